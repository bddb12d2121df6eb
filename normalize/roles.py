"""Column roles from a column's whole header path: measure, period, phase and unit.

The vocabulary is data (``data/column_roles.toml``); this module only applies it. A column's
*roles* are read from every header label above it, top to bottom: the deepest label naming a
measure gives the measure, the deepest label naming a period / phase / unit gives those. Keys
are then composed from the roles (see :func:`compose_key`) by ``columns.py``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

VOCABULARY_FILE = Path(__file__).with_name("data") / "column_roles.toml"
# A four-digit year printed in a label (a period when it tells sibling columns apart).
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
# "s/d" / "sampai dengan" this close before a quarter makes it a running total, not a quarter
# (characters; "s/d Tingkat Triwulan II" when a converter merged two labels).
RUNNING_TOTAL_REACH = 24
RUNNING_TOTAL = re.compile(r"s\s*/\s*d|sampai\s+dengan", re.IGNORECASE)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Vocabulary:
    """The compiled vocabulary: ``measures[name] = (patterns, type, units, periods)``."""
    measures: dict[str, tuple[list[re.Pattern], str, bool, bool]]
    periods: dict[str, list[re.Pattern]]
    phases: dict[str, list[re.Pattern]]
    units_strong: dict[str, list[re.Pattern]]
    units_weak: dict[str, list[re.Pattern]]
    raw: dict


def _compile(term: str) -> re.Pattern:
    # Word boundaries that also work next to non-word characters ("%", "(Rp)").
    return re.compile(r"(?<![\w])(?:" + term + r")(?![\w])", re.IGNORECASE)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary file, compiled once. Raises ``tomllib.TOMLDecodeError`` on a broken file."""
    raw = tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    measures = {name: ([_compile(t) for t in spec["terms"]], spec.get("type", "text"),
                       bool(spec.get("units")), bool(spec.get("periods")))
                for name, spec in raw["measure"].items()}
    periods = {name: [_compile(t) for t in spec["terms"]] for name, spec in raw["period"].items()}
    phases = {name: [_compile(t) for t in spec["terms"]] for name, spec in raw["phase"].items()}
    strong = {name: [_compile(t) for t in spec.get("strong", [])] for name, spec in raw["unit"].items()}
    weak = {name: [_compile(t) for t in spec.get("weak", [])] for name, spec in raw["unit"].items()}
    return Vocabulary(measures, periods, phases, strong, weak, raw)


def _clean(label: str) -> str:
    return " ".join(label.split())


@lru_cache(maxsize=4096)  # a document repeats its header labels on every page
def label_measure(label: str) -> str | None:
    """The measure a label names: the vocabulary term starting first (ties: the longest)."""
    text = _clean(label)
    best: tuple[int, int, str] | None = None
    for name, (patterns, *_rest) in vocabulary().measures.items():
        for pattern in patterns:
            m = pattern.search(text)
            if m and (best is None or (m.start(), -(m.end() - m.start())) < (best[0], best[1])):
                best = (m.start(), -(m.end() - m.start()), name)
    return best[2] if best else None


def label_period(label: str) -> str | None:
    """``tw1``…``tw4``, ``lalu``, ``maju``, ``renstra`` or None (years are read separately)."""
    text = _clean(label)
    for name, patterns in vocabulary().periods.items():
        for pattern in patterns:
            m = pattern.search(text)
            if m:
                if name == "tw":
                    if RUNNING_TOTAL.search(text[max(0, m.start() - RUNNING_TOTAL_REACH):m.start()]):
                        continue
                    return f"tw{ROMAN[m.group(1).casefold()]}"
                return name
    return None


def label_phase(label: str) -> str | None:
    """``sebelum`` / ``sesudah`` or None; a before-term wins ("Sebelum Perubahan")."""
    text = _clean(label)
    for name, patterns in vocabulary().phases.items():  # sebelum is listed first
        if any(p.search(text) for p in patterns):
            return name
    return None


def label_units(label: str, strength: str = "strong") -> set[str]:
    """Every unit (``k`` / ``rp`` / ``pct``) the label states (or hints at, ``strength="weak"``)."""
    table = vocabulary().units_strong if strength == "strong" else vocabulary().units_weak
    text = _clean(label)
    return {name for name, patterns in table.items() if any(p.search(text) for p in patterns)}


def label_unit(label: str, strength: str = "strong") -> str | None:
    """``k`` / ``rp`` / ``pct`` when the label states exactly one unit, else None."""
    found = label_units(label, strength)
    return found.pop() if len(found) == 1 else None


def label_year(label: str) -> str | None:
    """The last year printed in a label ("Tahun 2019 s/d Tahun 2024" → 2024), or None."""
    years = YEAR.findall(label)
    return years[-1] if years else None


@dataclass
class ColumnRoles:
    """What one leaf column holds, read from its header path.

    ``measure``: a vocabulary measure name or None; ``period``: tw1…tw4 / lalu / maju / renstra
    / None; ``year``: a printed year (str) or None; ``phase``: sebelum / sesudah / None;
    ``unit``: k / rp / pct / satuan / None; ``label``: the path joined with " - ".
    """
    label: str
    measure: str | None = None
    period: str | None = None
    year: str | None = None
    phase: str | None = None
    unit: str | None = None
    unit_source: str = ""  # "header", "hint", "values", "formula", "pair", "default"
    stated_units: set[str] = field(default_factory=set)  # several: K/Rp labels merged in one
    stack: list[str] = field(default_factory=list)

    @property
    def unit_bearing(self) -> bool:
        return bool(self.measure and vocabulary().measures[self.measure][2])

    @property
    def takes_period(self) -> bool:
        return bool(self.measure and vocabulary().measures[self.measure][3])

    @property
    def type(self) -> str:
        return vocabulary().measures[self.measure][1] if self.measure else "text"


def _quarter_from_group(stack: list[str]) -> str | None:
    """``tw1``…``tw4`` for a column labelled by a bare numeral under a group label that names
    the quarters ("Realisasi Triwulan" › "III"), else None. Terms: ``[period.tw]`` group/leaf."""
    spec = vocabulary().raw["period"]["tw"]
    leaf = re.match(spec.get("leaf", r"$^"), _clean(stack[-1]), re.IGNORECASE)
    if leaf is None:
        return None
    groups = [re.compile(t, re.IGNORECASE) for t in spec.get("group", [])]
    if any(g.search(_clean(text)) for text in stack[:-1] for g in groups):
        return f"tw{ROMAN[leaf.group(1).casefold()]}"
    return None


def path_roles(stack: list[str]) -> ColumnRoles:
    """The roles of one column from its header texts, top first (deepest label wins)."""
    roles = ColumnRoles(label=" - ".join(stack), stack=list(stack))
    for text in stack:
        if (m := label_measure(text)) is not None:
            roles.measure = m
        if (p := label_period(text)) is not None:
            roles.period = p
        if (y := label_year(text)) is not None:
            roles.year = y
        if (ph := label_phase(text)) is not None:
            roles.phase = ph
        if units := label_units(text):
            roles.stated_units = units
            if len(units) == 1:
                roles.unit, roles.unit_source = next(iter(units)), "header"
    if roles.period is None and len(stack) >= 2:
        roles.period = _quarter_from_group(stack)
    if roles.unit is None:
        for text in reversed(stack):
            if (u := label_unit(text, "weak")) is not None:
                roles.unit, roles.unit_source = u, "hint"
                break
    return roles
