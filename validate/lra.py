"""Laporan Realisasi Anggaran (``realisasi_anggaran``): Uraian | Anggaran | Realisasi | % |
Lebih/(Kurang).

Source: PP 71/2010 (SAP) statement LRA and Permendagri 77/2020 chart of accounts: % = realisasi /
anggaran × 100; lebih/(kurang) = the difference the header states (anggaran − realisasi, or the
reverse); a group account (4, 4.1, 5, 5.1 …) = Σ the accounts one code level below it; a JUMLAH row
= its block's top account(s); SURPLUS/(DEFISIT) = JUMLAH PENDAPATAN − JUMLAH BELANJA.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from renjana.models import Finding, Relation

from .accounts import check_sum, children_of, code_parents, money_number
from .arithmetic import check_ratio
from .declared import covers, rule_applies
from .numbers import format_id, matches_printed, printed_decimals
from .registry import TableView, rule

KINDS = ("realisasi_anggaran",)
# Column keys, most specific first (docs/COLUMN_KEYS.md, realisasi_anggaran).
ANGGARAN_KEYS = ("pagu_sesudah", "pagu", "anggaran", "pagu_sebelum")
REALISASI_KEYS = ("realisasi_rp", "realisasi")
PERSEN_KEYS = ("realisasi_pct", "persen", "capaian_rp", "capaian_pct")
LEBIH_KEYS = ("lebih_kurang", "selisih")
# A header that states the difference's direction: "(Anggaran - Realisasi)" / "(Realisasi - …)".
_ANGGARAN_MINUS = re.compile(r"anggaran\s*[-–−]\s*realisasi", re.IGNORECASE)
_REALISASI_MINUS = re.compile(r"realisasi\s*[-–−]\s*anggaran", re.IGNORECASE)
# The LRA's surplus/deficit line (PP 71/2010 statement wording).
_SURPLUS = re.compile(r"surplus|defisit", re.IGNORECASE)
# An inferred sign needs this share of the rows that tell the two directions apart …
MAJORITY = 0.75
# … and at least this many of them, else a flipped sign is only a warning.
MIN_AGREEING = 3


def _first(view: TableView, keys: tuple[str, ...]) -> str | None:
    return next((k for k in keys if view.has(k) and view.key(k) == k), None)


def columns(view: TableView) -> dict[str, str | None]:
    """{'anggaran', 'realisasi', 'persen', 'lebih'}: the column key of each role (None: absent).
    The % column is also found as the table's only percent-typed column."""
    out = {"anggaran": _first(view, ANGGARAN_KEYS), "realisasi": _first(view, REALISASI_KEYS),
           "persen": _first(view, PERSEN_KEYS), "lebih": _first(view, LEBIH_KEYS)}
    if out["persen"] is None:
        percent = [c.key for c in view.table.columns if c.type == "percent" and view.has(c.key)
                   and view.key(c.key) == c.key]
        if len(percent) == 1:
            out["persen"] = percent[0]
    return out


@rule("lra_persen", kinds=KINDS, reads=[*REALISASI_KEYS, *ANGGARAN_KEYS], any_of=True)
def lra_persen(view: TableView) -> Iterator[Finding]:
    """% = realisasi / anggaran × 100 on every row printing all three (half-up or truncated to
    the printed decimals). Source: PP 71/2010, LRA."""
    c = columns(view)
    if None in (c["persen"], c["realisasi"], c["anggaran"]):
        return
    yield from check_ratio(view, "lra_persen", c["persen"], c["realisasi"], c["anggaran"],
                           is_k=False)


def stated_sign(view: TableView, c: dict) -> int | None:
    """+1 when lebih = anggaran − realisasi, −1 when realisasi − anggaran, as the column-number
    row or the header label states it; None when neither says."""
    for rel in view.table.relations:
        if rel.kind == "sum" and rel.column == c["lebih"]:
            if rel.plus == [c["anggaran"]] and rel.minus == [c["realisasi"]]:
                return 1
            if rel.plus == [c["realisasi"]] and rel.minus == [c["anggaran"]]:
                return -1
    i = view.table.column_index(c["lebih"])
    label = view.table.columns[i].label if i is not None else ""
    if _ANGGARAN_MINUS.search(label):
        return 1
    if _REALISASI_MINUS.search(label):
        return -1
    return None


def _rows_of_three(view: TableView, c: dict) -> Iterator[tuple[int, object, object, object]]:
    for r in range(len(view.rows)):
        if r in view.noise:
            continue
        a, x = money_number(view, r, c["anggaran"]), money_number(view, r, c["realisasi"])
        pv = view.value(r, c["lebih"])
        lebih = money_number(view, r, c["lebih"])
        if a is None or x is None or lebih is None:
            continue
        yield r, a, x, pv


@rule("lra_lebih_kurang", kinds=KINDS, reads=[*REALISASI_KEYS, *ANGGARAN_KEYS], any_of=True)
def lra_lebih_kurang(view: TableView) -> Iterator[Finding]:
    """lebih/(kurang) = anggaran − realisasi (or realisasi − anggaran) by the sign the header
    states; where it states none, by the direction most rows follow. A value of the right size
    with the opposite sign is reported as a flipped sign. Source: PP 71/2010, LRA."""
    c = columns(view)
    if None in (c["lebih"], c["realisasi"], c["anggaran"]):
        return
    keys = [c["lebih"], c["anggaran"], c["realisasi"]]
    rows = list(_rows_of_three(view, c))
    sign = stated_sign(view, c)
    stated = sign is not None
    if sign is None:
        votes = {1: 0, -1: 0}
        for r, a, x, pv in rows:
            if a != x:
                for s in votes:
                    votes[s] += matches_printed(s * (a - x), pv, truncation=False)
        best = max(votes, key=votes.get)
        total = votes[1] + votes[-1]
        if not total:
            return
        sign = best
        stated = votes[best] >= MIN_AGREEING and votes[best] >= MAJORITY * total
    how = "anggaran − realisasi" if sign == 1 else "realisasi − anggaran"
    source = "as the header states" if stated_sign(view, c) is not None else \
        "as most rows of this table compute it"
    for r, a, x, pv in rows:
        want = sign * (a - x)
        if matches_printed(want, pv, truncation=False):
            continue
        dec = printed_decimals(pv)
        flipped = want != 0 and matches_printed(-want, pv, truncation=False)
        unsure = [k for k in keys if not view.confident(r, k)]
        severity = "error" if stated and not unsure else "warning"
        why = "; the sign is flipped" if flipped else ""
        if not stated:
            why += "; the direction is not stated and too few rows show it to prove it"
        if unsure:
            why += f"; cannot be verified: {', '.join(unsure)} read with low confidence"
        yield view.finding(
            "lra_lebih_kurang", severity, r, c["lebih"],
            f"{c['lebih']} = {how} ({source}) = {format_id(want, dec)}, printed "
            f"{view.text(r, c['lebih']).strip()}{why}", expected=format_id(want, dec))


@covers
def _covers(view: TableView, rel: Relation) -> bool:
    if view.table.kind not in KINDS:
        return False
    c = columns(view)
    if rel.kind == "ratio":
        return (rel.column == c["persen"] and rel.numerator == c["realisasi"]
                and rel.denominator == c["anggaran"] and rule_applies("lra_persen", view))
    pair = {c["anggaran"], c["realisasi"]}
    return (rel.column == c["lebih"] and len(rel.plus) == 1 and len(rel.minus) == 1
            and {*rel.plus, *rel.minus} == pair and rule_applies("lra_lebih_kurang", view))


@rule("lra_group_sum", kinds=KINDS, reads=[*REALISASI_KEYS, *ANGGARAN_KEYS], any_of=True)
def lra_group_sum(view: TableView) -> Iterator[Finding]:
    """A group account = Σ the accounts one code level below it (4 = 4.1 + 4.2 …), for the
    anggaran, realisasi and lebih/(kurang) columns; a JUMLAH row = the top account(s) of its
    block; SURPLUS/(DEFISIT) = the first block total − the second. Source: PP 71/2010, LRA;
    Permendagri 77/2020 chart of accounts."""
    c = columns(view)
    keys = [k for k in (c["anggaran"], c["realisasi"], c["lebih"]) if k]
    parents = code_parents(view)
    kids = children_of(parents)
    for p, members in sorted(kids.items()):
        for key in keys:
            if f := check_sum(view, "lra_group_sum", p, [(1, m) for m in members], key,
                              "Σ of the accounts one code level below"):
                yield f
    yield from _totals(view, keys, parents)


def _totals(view: TableView, keys: list[str], parents: dict[int, int | None]) -> Iterator[Finding]:
    blocks: list[int] = []  # total rows that close a block of accounts
    start = 0
    for t in range(len(view.rows)):
        if view.level(t) != "total":
            continue
        tops = [r for r in range(start, t) if r in parents and parents[r] is None]
        start = t + 1
        if tops:
            blocks.append(t)
            for key in keys:
                if f := check_sum(view, "lra_group_sum", t, [(1, r) for r in tops], key,
                                  "Σ of the top accounts of its block"):
                    yield f
        elif len(blocks) >= 2 and _SURPLUS.search(" ".join(view.rows[t].cells)):
            a, b = blocks[-2], blocks[-1]
            for key in keys:
                if f := check_sum(view, "lra_group_sum", t, [(1, a), (-1, b)], key,
                                  f"surplus/(defisit) = row {a} − row {b}"):
                    yield f
