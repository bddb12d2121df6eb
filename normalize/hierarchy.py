"""Row levels and the kode tree: urusan › bidang › program › kegiatan › sub kegiatan.

Every row's level is decided from all the evidence the table gives, and the row records how
(``Row.level_source``) and how sure (``Row.level_confidence``):

- the kode, read through the code grammar inferred from the table's own codes
  (:mod:`.codes`: separators, segment widths, depth per level; a kode printed across several
  cells read as one; a kode opening a label merged over the Kode and Uraian cells);
- the level words opening its label (:mod:`.level_words`: ``Sub Kegiatan …``, ``JUMLAH …``,
  ``[#]``, ``DINAS …``), with capitals as supporting evidence;
- the official nomenclature (an exact name match of one level);
- row order: a kegiatan printed with its program's code or its first sub kegiatan's;
- the kind's own conventions: in account tables (rincian belanja, LRA) an account with rows
  under it and a group line are ``section``, a leaf account or an item line ``other``.

Printed codes are often wrong, so where the code and the name disagree the name and the order
decide; contradictions are left for validate to report (a low confidence flags them).
"""

from __future__ import annotations

import re

from renjana import nomenclature
from renjana.models import Row

from .codes import CodeGrammar, Kode, infer_grammar, join_kode_cells, leading_kode, parse_kode
from .level_words import hierarchy_word, in_capitals, opening_word

RANK = {"urusan": 1, "bidang": 2, "program": 3, "kegiatan": 4, "sub_kegiatan": 5}
# Kinds whose codes are accounts, not planning levels (shared/corpus/CONTRACT.md).
ACCOUNT_KINDS = ("rincian_belanja", "realisasi_anggaran")
# Code schemes of the period the shipped nomenclature (Kepmendagri 050-3708/2020) describes.
NOMENCLATURE_SCHEMES = ("permendagri90",)
# Column keys (their base, without a ``_2`` suffix) that hold a row's name.
NAME_PREFIXES = ("uraian", "tujuan", "sasaran", "nama", "program", "kegiatan")
# Column keys that hold neither a name nor a value to sum.
NOT_VALUE_PREFIXES = ("no", "kode", "indikator", "keterangan", "catatan", "lokasi", "sumber",
                      "opd", "perangkat", "satuan", "tolok")
AVERAGE_ANYWHERE = re.compile(r"rata-?\s?rata", re.IGNORECASE)
# A column with no name key is taken for the name column when at least this share of its
# filled cells read as words (three letters or more, more letters than digits).
NAME_COLUMN_SHARE = 0.5
# How many rows ahead a kegiatan printed with its first sub kegiatan's code is looked for.
SAME_CODE_LOOKAHEAD = 3

# Confidence of each way of deciding a level (1 = every piece of evidence agrees).
CONF_AGREE = 1.0        # the code's level and the name's level words agree
CONF_CODE = 0.9         # the code alone
CONF_WORDS = 0.9        # level words alone (no kode printed)
CONF_LABEL = 0.95       # a total / average / predikat / group label
CONF_NOMENCLATURE = 0.8  # an exact name match in the official nomenclature
CONF_ORDER = 0.7        # row order overrode the code (a kegiatan printed with another's code)
CONF_CONFLICT = 0.6     # the code and the level words disagree; the code was kept
CONF_WEAK = 0.5         # only typography or the absence of values


def clean_kode(text: str) -> str | None:
    """The kode printed in ``text`` with spaces removed (trailing dot kept), or None."""
    kode = parse_kode(text)
    return kode.printed if kode else None


def _base(key: str) -> str:
    return re.sub(r"_\d+$", "", key)


def _has_prefix(key: str, prefixes: tuple[str, ...]) -> bool:
    base = _base(key)
    return any(base == p or base.startswith(p + "_") or (p not in ("no",) and base.startswith(p))
               for p in prefixes)


class _Roles:
    """Which columns of a table hold the kode, the name, the indicator and the values."""

    def __init__(self, rows: list[Row], keys: list[str]):
        self.kode = self._kode_group(keys)
        self.indikator = next((i for i, k in enumerate(keys) if _base(k).startswith("indikator")), None)
        self.names = [i for i, k in enumerate(keys) if _has_prefix(k, NAME_PREFIXES) and i not in self.kode]
        if not self.names and self.kode:
            guess = self._name_by_content(rows, keys)
            self.names = [guess] if guess is not None else []
        self.values = [i for i, k in enumerate(keys)
                       if i not in self.names and i not in self.kode and not _has_prefix(k, NOT_VALUE_PREFIXES)]

    @staticmethod
    def _kode_group(keys: list[str]) -> list[int]:
        """The first run of adjacent kode columns (a kode printed as ``1 | 01 | 01``)."""
        group: list[int] = []
        for i, key in enumerate(keys):
            if _base(key).startswith("kode") and (not group or group[-1] == i - 1):
                group.append(i)
            elif group:
                break
        return group

    def _name_by_content(self, rows: list[Row], keys: list[str]) -> int | None:
        start = self.kode[-1] + 1
        for i in range(start, len(keys)):
            if _has_prefix(keys[i], NOT_VALUE_PREFIXES):
                continue
            filled = [r.cells[i] for r in rows if i < len(r.cells) and r.cells[i].strip()]
            wordy = sum(_wordy(t) for t in filled)
            if filled and wordy >= NAME_COLUMN_SHARE * len(filled):
                return i
        return None


def _wordy(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    return letters >= 3 and letters > digits


class _RowView:
    """What the level decision reads of one row."""

    def __init__(self, row: Row, roles: _Roles):
        cells = row.cells
        cell = lambda i: cells[i].strip() if i is not None and i < len(cells) else ""  # noqa: E731
        self.indikator = cell(roles.indikator)
        self.name = next((cell(i) for i in roles.names if cell(i)), "")
        limit = roles.indikator if roles.indikator is not None else len(cells)
        # The row's label: its first text before the indicator column (totals, averages and
        # predikat rows print it in a cell merged over the No/Kode/Uraian columns).
        self.label = next((c.strip() for i, c in enumerate(cells) if c.strip() and i < limit), "")
        self.has_values = any(cell(i) for i in roles.values)
        self.kode: Kode | None = join_kode_cells([cells[i] for i in roles.kode if i < len(cells)]) \
            if roles.kode else None
        if self.kode is None and not any(cell(i) for i in roles.kode):
            # A section row merged over Kode and Uraian prints its kode inside its label.
            found = leading_kode(self.label)
            if found:
                self.kode, name = found
                self.name = self.name if self.name and self.name != self.label else name


def assign_levels(rows: list[Row], keys: list[str], kind: str) -> None:
    """Set ``level``, ``level_source``, ``level_confidence``, ``kode`` and ``parent`` of every
    row in place. ``keys`` are the table's column keys (one per cell), ``kind`` its kind."""
    roles = _Roles(rows, keys)
    views = [_RowView(row, roles) for row in rows]
    for row, view in zip(rows, views):
        row.kode = view.kode.printed if view.kode else None
    if kind == "tujuan_sasaran":
        for row, view in zip(rows, views):
            indicator = not view.name and bool(view.indikator)
            _set(row, "indicator" if indicator else "other", "kind:tujuan_sasaran", CONF_LABEL)
        _link_parents(rows)
        return
    named = [(v.kode.depth, w) for v in views if v.kode and (w := hierarchy_word(v.name))]
    grammar = infer_grammar([v.kode for v in views if v.kode], named, account=kind in ACCOUNT_KINDS)
    for index, (row, view) in enumerate(zip(rows, views)):
        if grammar.scheme == "account":
            _set(row, *_account_level(views, index))
        else:
            _set(row, *_planning_level(views, index, grammar))
    _link_parents(rows)


def _set(row: Row, level: str, source: str, confidence: float) -> None:
    row.level = level
    row.level_source = source
    row.level_confidence = round(confidence, 3)


def _label_level(view: _RowView) -> tuple[str, str, float] | None:
    """A level the row's label states outright: predikat, average, total or a group line."""
    word = opening_word(view.label)
    if word == "predikat":
        return "predikat", "label:predikat", CONF_LABEL
    if word == "average" or AVERAGE_ANYWHERE.search(view.label):
        return "average", "label:average", CONF_LABEL
    if word == "total":
        return "total", "label:total", CONF_LABEL
    if word == "group":
        return "section", "label:group line", CONF_LABEL
    return None


def _account_level(views: list[_RowView], index: int) -> tuple[str, str, float]:
    """Account tables: a group account (rows under it) or group line is a ``section``, a leaf
    account or item line ``other``, a JUMLAH / SURPLUS line a ``total``."""
    view = views[index]
    if view.kode is None:
        by_label = _label_level(view)
        if by_label:
            return by_label
        return "other", "account:item line", CONF_CODE
    nxt = views[index + 1] if index + 1 < len(views) else None
    if nxt is not None:
        by_label = _label_level(nxt)  # a total or average closes the group; a group line opens one
        if (by_label is None or by_label[0] == "section") and \
                (nxt.kode is None or view.kode.is_prefix_of(nxt.kode)):
            return "section", "account:has children", CONF_CODE
    return "other", "account:leaf", CONF_CODE


def _planning_level(views: list[_RowView], index: int, grammar: CodeGrammar) -> tuple[str, str, float]:
    view = views[index]
    if view.kode:
        return _level_from_code(views, index, grammar)
    by_label = _label_level(view)
    if by_label:
        return by_label
    if view.name:
        return _level_from_name(view.name, view.has_values, grammar)
    if view.indikator:
        return "indicator", "indicator column only", CONF_CODE
    if view.has_values:
        return "total", "values without a label", CONF_WEAK  # often printed above the first program
    return "other", "nothing to go by", CONF_WEAK


def _nomenclature_level(name: str, grammar: CodeGrammar) -> str | None:
    """The one level the official (Permendagri 90) nomenclature gives this exact name, or None;
    a table coded in another scheme is of another period, where the names meant other levels."""
    if grammar.scheme not in NOMENCLATURE_SCHEMES:
        return None
    levels = nomenclature.levels_by_name().get(nomenclature.normal_name(name), set()) if name else set()
    return next(iter(levels)) if len(levels) == 1 else None


def _level_from_name(name: str, has_values: bool, grammar: CodeGrammar) -> tuple[str, str, float]:
    word = opening_word(name)
    if word in RANK:
        return word, "words", CONF_WORDS
    if word == "agency":
        return "section", "words:agency", CONF_WORDS  # the dinas itself heading its block
    by_name = _nomenclature_level(name, grammar)
    if by_name:
        return by_name, "nomenclature", CONF_NOMENCLATURE
    if not has_values:
        return "section", "heading without values", CONF_WEAK
    if in_capitals(name):
        return "section", "typography:capitals", CONF_WEAK
    return "other", "name with values", CONF_WEAK


def _level_from_code(views: list[_RowView], index: int, grammar: CodeGrammar) -> tuple[str, str, float]:
    view = views[index]
    kode, name = view.kode, view.name
    assert kode is not None
    if name and opening_word(name) == "agency":
        return "section", "words:agency", CONF_WORDS
    level = grammar.level(kode) or "other"
    source = grammar.evidence.get(kode.depth, f"code:{grammar.scheme}")
    by_name = _nomenclature_level(name, grammar)
    if by_name and by_name != level:
        return by_name, f"nomenclature (code says {level})", CONF_NOMENCLATURE
    word = hierarchy_word(name) if name else None
    if level == "program" and name and not in_capitals(name) and word != "program" \
            and grammar.evidence.get(kode.depth, "").startswith("code:"):
        return "kegiatan", "order: a kegiatan printed with its program's code", CONF_ORDER
    if level == "sub_kegiatan" and _next_kode(views, index) == kode.printed:
        return "kegiatan", "order: a kegiatan printed with its first sub kegiatan's code", CONF_ORDER
    if word == level or by_name == level:
        return level, source + "+words" if word == level else source + "+nomenclature", CONF_AGREE
    if word and word != level:
        return level, f"{source}; words say {word}", CONF_CONFLICT
    if level in ("urusan", "bidang", "program") and name and in_capitals(name):
        return level, source + "+capitals", (CONF_CODE + CONF_AGREE) / 2
    return level, source, CONF_CODE


def _next_kode(views: list[_RowView], index: int) -> str | None:
    following = (v.kode for v in views[index + 1:index + 1 + SAME_CODE_LOOKAHEAD])
    nxt = next((k for k in following if k), None)
    return nxt.printed if nxt else None


def _link_parents(rows: list[Row]) -> None:
    stack: list[tuple[int, int]] = []  # (rank, row index)
    last_structural: int | None = None
    for index, row in enumerate(rows):
        rank = RANK.get(row.level)
        if rank is not None:
            while stack and stack[-1][0] >= rank:
                stack.pop()
            row.parent = stack[-1][1] if stack else None
            stack.append((rank, index))
            last_structural = index
        elif row.level == "indicator":
            row.parent = last_structural
        else:
            row.parent = None
