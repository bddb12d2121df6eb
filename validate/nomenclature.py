"""Codes and names against the official nomenclature (Permendagri 90/2019 as updated by
Kepmendagri 050-3708/2020), the CSV shipped as ``renjana/data/`` and loaded once, lazily, by
:mod:`renjana.nomenclature`.

A disagreement is a warning, never an error: a 2022+ document may follow a later decree, and the
data itself has gaps (see ``shared/reference/README.md``). Lookup: the exact code first, then,
for program ``01``, the penunjang program ``X.XX.01.<rest>`` that documents print under their
own urusan.bidang. Names are compared case-insensitively with whitespace collapsed and footnote
markers (``****)``) stripped; punctuation is ignored (only words are compared).

Rules in their scope: the shipped edition is in force from :data:`IN_FORCE_FROM` (budget year
2021). A document of an earlier year, or a table coded in another scheme (Permendagri 13, a
local scheme), is not checked against it: one ``info`` finding per table says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from renjana import nomenclature as reference
from renjana.models import Finding
from renjana.nomenclature import Entry

from .codes import level_ok, table_codes, table_scheme
from .registry import PROGRAM_KINDS, TableView, rule

_FOOTNOTE = re.compile(r"\s*\*+\)\s*$")
# The shipped reference and the first budget year it governs (Kepmendagri 050-3708/2020 was
# issued in 2020 for the 2021 budget; 2020 and earlier documents follow Permendagri 13/2006).
EDITION = "Kepmendagri 050-3708/2020"
IN_FORCE_FROM = 2021


def normalize_name(name: str) -> str:
    """Words only: case folded, footnote marker stripped, punctuation and whitespace runs made
    one space ('Perundang-Undangan' = 'Perundang Undangan', 'Kabupaten/ Kota' =
    'Kabupaten/Kota', 'Pemeliharaan, dan' = 'Pemeliharaan dan')."""
    t = _FOOTNOTE.sub("", " ".join(name.split()))
    t = re.sub(r"[^\w]+", " ", t.casefold())
    return " ".join(t.split())


def load_nomenclature() -> dict[str, list[Entry]]:
    """code → entries (two where provinsi and kab/kota names differ). Loaded once, lazily."""
    return reference.by_code()


@lru_cache(maxsize=1)
def _names_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for kode, entries in load_nomenclature().items():
        for e in entries:
            index.setdefault(normalize_name(e.nama), []).append(kode)
    return {k: tuple(sorted(set(v))) for k, v in index.items()}


def lookup(code: str) -> tuple[str, list[Entry]] | None:
    """(the code found, its entries) for a zero-padded document code, or None."""
    data = load_nomenclature()
    if code in data:
        return code, data[code]
    parts = code.split(".")
    if len(parts) >= 3 and parts[2] == "01":
        alt = ".".join(["X", "XX", *parts[2:]])
        if alt in data:
            return alt, data[alt]
    return None


def accepted_names(found: str, entries: list[Entry]) -> set[str]:
    names = {normalize_name(e.nama) for e in entries}
    if found == "X.XX.01":  # Permendagri prints the kab/kota penunjang program with its suffix
        names |= {n + " kabupaten kota" for n in names if not n.endswith("provinsi")}
    return names


def codes_for_name(name: str) -> tuple[str, ...]:
    return _names_index().get(normalize_name(name), ())


@rule("nomenclature", kinds=PROGRAM_KINDS, reads=["kode", "uraian"], category="nomenclature")
def nomenclature(view: TableView) -> Iterator[Finding]:
    """Each coded program / kegiatan / sub kegiatan (and urusan, bidang) exists in the 2020
    nomenclature under that code and carries its official name (warnings only; a name that
    differs in letter case only is info); documents of a year before the edition was in force,
    or coded in another scheme, are not checked (info)."""
    if (why := out_of_scope(view)) is not None:
        if table_codes(view):
            yield view.finding("nomenclature", "info", None, "kode",
                               f"not checked against the {EDITION} nomenclature: {why}")
        return
    for r, code in table_codes(view).items():
        if not level_ok(view, r, code):
            continue
        name = view.text(r, "uraian").strip()
        hit = lookup(code.normal)
        if hit is None:
            elsewhere = codes_for_name(name) if name else ()
            hint = f"; the name is the official name of {', '.join(elsewhere)}" if elsewhere else ""
            yield view.finding(
                "nomenclature", "warning", r, "kode",
                f"code {code.normal} is not in the {EDITION} nomenclature{hint}",
                printed=code.raw, expected=elsewhere[0] if len(elsewhere) == 1 else None)
            continue
        found, entries = hit
        if not name:
            continue
        if normalize_name(name) in accepted_names(found, entries):
            if (official := _case_only(name, entries)) is not None:
                yield view.finding(
                    "nomenclature", "info", r, "uraian",
                    f"name differs from the official name of {code.normal} in letter case only",
                    printed=name, expected=official)
            continue
        via = f" (as {found})" if found != code.normal else ""
        official = entries[-1].nama if len(entries) > 1 else entries[0].nama
        others = " / ".join(f"{e.nama} ({e.jenis_pemda})" for e in entries) \
            if len(entries) > 1 else official
        yield view.finding(
            "nomenclature", "warning", r, "uraian",
            f"name differs from the official name of {code.normal}{via}: {others}",
            printed=name, expected=official)


def _case_only(name: str, entries: list[Entry]) -> str | None:
    """The official name when ``name`` differs from it in letter case only; None when it is the
    same or differs otherwise. A name printed wholly in capitals is the level's typography (many
    documents print every program in capitals), not a difference."""
    printed = " ".join(name.split())
    if printed.isupper():
        return None
    for e in entries:
        official = " ".join(e.nama.split())
        if printed != official and printed.casefold() == official.casefold():
            return e.nama
    return None


def out_of_scope(view: TableView) -> str | None:
    """Why the table's codes are outside the shipped edition's scope, or None."""
    year = view.document.year if view.document is not None else None
    if year is not None and year < IN_FORCE_FROM:
        return f"the document is of {year}, the edition is in force from {IN_FORCE_FROM}"
    scheme = table_scheme(view)
    if not scheme.official:
        return f"the table's codes follow another scheme ({scheme.name})"
    return None


__all__ = ["Entry", "load_nomenclature", "lookup", "normalize_name", "nomenclature"]
