"""Rincian Belanja Sub Kegiatan (SIPD RKA/DPA, ``rincian_belanja``): Kode Rekening | Uraian |
Koefisien | Satuan | Harga | PPN | Jumlah.

Source: Permendagri 77/2020 (RKA-SKPD 2.2.1 / DPA) and the SIPD print: an item's jumlah =
koefisien × harga × (1 + PPN %), where a koefisien such as ``5 Rim x 2 Kegiatan`` multiplies out;
a ``[-]`` line = Σ its items, a ``[#]`` line = Σ its ``[-]`` lines, the lowest account (sub rincian
objek) = Σ its ``[#]`` lines, every other account = Σ the accounts one code level below it; the
sheet's indicator table states the same total as "Masukan".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from renjana.models import Finding
from renjana.normalize.numbers import to_decimal

from .accounts import account_code, check_sum, code_parents
from .numbers import HUNDRED, ZERO, format_id, matches_printed, number_or_zero, plain, printed_decimals
from .registry import TableView, rule

KINDS = ("rincian_belanja",)
# SIPD group lines: "[#] <komponen group>" above "[-] <keterangan>" above the items.
_GROUP = re.compile(r"^\s*\[\s*([#\-–])\s*\]")
# One factor of a koefisien: a number with Indonesian separators, then its unit words.
_FACTOR = re.compile(r"(\d[\d.,]*)")
# Factors are joined by "x" / "×" / "*" between units: "5 Orang x 2 Kali x 3 Hari".
_TIMES = re.compile(r"\s[x×*]\s|\s?×\s?", re.IGNORECASE)
# The indicator line of the sheet that states the money going in (SIPD "Masukan").
_MASUKAN = re.compile(r"^\s*masukan\b", re.IGNORECASE)


def printed_decimals_of(x: Decimal) -> int:
    """Decimals to show a computed factor with: none for a whole number, else up to 4."""
    return 0 if x == x.to_integral_value() else 4


def group_mark(view: TableView, r: int) -> str | None:
    """'#' or '-' for a SIPD group line, else None."""
    m = _GROUP.match(view.text(r, "uraian") if view.has("uraian") else "")
    if not m:
        return None
    return "#" if m.group(1) == "#" else "-"


def koefisien(text: str) -> Decimal | None:
    """The product of the factors of a printed koefisien: '20 Rim x 2 Kegiatan' → 40,
    '1,5 Paket' → 1.5; None when a factor is not one number."""
    t = " ".join((text or "").split())
    if not t:
        return None
    product = Decimal(1)
    for part in _TIMES.split(t):
        numbers = _FACTOR.findall(part)
        if len(numbers) != 1:
            return None
        parsed = to_decimal(numbers[0].rstrip(".,"))
        if parsed is None:
            return None
        product *= parsed[0]
    return product


def _is_item(view: TableView, r: int) -> bool:
    return bool(view.text(r, "koefisien").strip()) or \
        view.value(r, "harga") is not None and view.value(r, "harga").number is not None


def tree(view: TableView) -> dict[int, int | None]:
    """Parent of every account row, [#] / [-] line and item: accounts by code prefix; a [#] line
    under the account above it; a [-] line under the [#] line above it (else the account); an
    item under the nearest [-] / [#] line / account above it."""
    parents: dict[int, int | None] = dict(code_parents(view))
    account = hash_line = dash_line = None
    for r in range(len(view.rows)):
        if r in view.noise:
            continue
        if account_code(view, r) is not None:
            account, hash_line, dash_line = r, None, None
            continue
        mark = group_mark(view, r)
        if mark == "#":
            parents[r] = account
            hash_line, dash_line = r, None
        elif mark == "-":
            parents[r] = hash_line if hash_line is not None else account
            dash_line = r
        elif _is_item(view, r):
            parents[r] = next((x for x in (dash_line, hash_line, account) if x is not None), None)
    return parents


@rule("rincian_item", kinds=KINDS, reads=["koefisien", "harga", "jumlah"])
def rincian_item(view: TableView) -> Iterator[Finding]:
    """An item's jumlah = koefisien × harga × (1 + PPN %) ('5 Rim x 2 Kegiatan' = 10; no PPN
    column or a blank/'-' PPN = 0 %), half-up or truncated to the printed decimals. Source:
    Permendagri 77/2020 RKA/DPA rincian; SIPD."""
    for r in range(len(view.rows)):
        if r in view.noise or account_code(view, r) is not None or group_mark(view, r):
            continue
        k = koefisien(view.text(r, "koefisien"))
        harga, jumlah = view.value(r, "harga"), view.value(r, "jumlah")
        if k is None or harga.number is None or jumlah.number is None:
            continue
        ppn = ZERO
        keys = ["jumlah", "koefisien", "harga"]
        if view.has("ppn"):
            pv = view.value(r, "ppn")
            x = number_or_zero(pv)
            if x is None and pv.reason not in ("empty",):
                continue  # a PPN printed as text: the rate is unknown
            ppn = x or ZERO
            keys.append("ppn")
        want = k * harga.number * (HUNDRED + ppn) / HUNDRED
        if matches_printed(want, jumlah):
            continue
        dec = printed_decimals(jumlah)
        unsure = [key for key in keys if not view.confident(r, key)]
        yield view.finding(
            "rincian_item", "warning" if unsure else "error", r, "jumlah",
            f"jumlah = koefisien × harga × (1 + PPN) = {plain(k, printed_decimals_of(k))} × "
            f"{view.text(r, 'harga').strip()} × (1 + {plain(ppn, 0)} %) = {plain(want, 2)}; "
            f"printed {view.text(r, 'jumlah').strip()}"
            + (f"; cannot be verified: {', '.join(unsure)} read with low confidence"
               if unsure else ""),
            expected=format_id(want, dec))


def _what(view: TableView, members: list[int]) -> str:
    """How a group's members are named in a message."""
    if all(account_code(view, m) is not None for m in members):
        return "Σ of the accounts one code level below"
    marks = {group_mark(view, m) for m in members}
    if marks == {"#"}:
        return "Σ of its [#] lines"
    if marks == {"-"}:
        return "Σ of its [-] lines"
    if marks == {None}:
        return "Σ of its items"
    return "Σ of the lines below it"


@rule("rincian_sum", kinds=KINDS, reads=["jumlah"])
def rincian_sum(view: TableView) -> Iterator[Finding]:
    """Each [-] line = Σ its items, each [#] line = Σ its [-] lines, the lowest account = Σ its
    [#] lines (or items), every other account = Σ the accounts one code level below it, a total
    row = Σ the top accounts. Source: Permendagri 77/2020 RKA/DPA; SIPD."""
    parents = tree(view)
    kids: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            kids.setdefault(parent, []).append(child)
    for p, members in sorted(kids.items()):
        what = _what(view, members)
        if f := check_sum(view, "rincian_sum", p, [(1, m) for m in sorted(members)], "jumlah",
                          what):
            yield f
    tops = [r for r, p in parents.items() if p is None and account_code(view, r) is not None]
    for t in range(len(view.rows)):
        if view.level(t) == "total" and tops:
            above = [r for r in tops if r < t]
            if above and (f := check_sum(view, "rincian_sum", t, [(1, r) for r in above],
                                         "jumlah", "Σ of the top accounts")):
                yield f


def grand_total(view: TableView) -> tuple[int, Decimal] | None:
    """(row, amount) of a rincian table's grand total: its total row, else its only top account."""
    for r in range(len(view.rows)):
        if view.level(r) == "total" and (x := view.value(r, "jumlah").number) is not None:
            return r, x
    parents = code_parents(view)
    tops = [r for r, p in parents.items() if p is None]
    if len(tops) == 1 and (x := view.value(tops[0], "jumlah").number) is not None:
        return tops[0], x
    return None


@rule("rincian_masukan", kinds=(*KINDS, "other"), reads=["jumlah", "target_k"], any_of=True,
      scope="document", category="cross_table")
def rincian_masukan(views: list[TableView]) -> Iterator[Finding]:
    """The sheet's indicator table states the money going in ('Masukan … Rp 406.594.465,00'):
    it equals the rincian table's grand total, when the document has exactly one rincian
    table. Source: SIPD RKA/DPA sheet."""
    rincian = [v for v in views if v.table.kind in KINDS and v.has("jumlah")]
    if len(rincian) != 1 or (total := grand_total(rincian[0])) is None:
        return
    row, amount = total
    for v in views:
        if v.table.kind != "other" or not v.has("indikator"):
            continue
        for key in ("target_k", "target_rp", "target"):
            if not v.has(key):
                continue
            for r in range(len(v.rows)):
                pv = v.value(r, key)
                if not _MASUKAN.match(v.text(r, "indikator")) or pv.number is None:
                    continue
                if (pv.unit or "").lower().startswith("rp") is False and v.table.columns[
                        v.col(key)].type != "money":
                    continue  # not an amount of money
                if matches_printed(amount, pv, truncation=False):
                    continue
                sev = "error" if v.confident(r, key) and rincian[0].confident(row, "jumlah") \
                    else "warning"
                yield v.finding(
                    "rincian_masukan", sev, r, key,
                    f"Masukan = the grand total of the rincian table ({rincian[0].table.id} row "
                    f"{row}: {rincian[0].text(row, 'jumlah').strip()}); printed "
                    f"{v.text(r, key).strip()}",
                    expected=format_id(amount, printed_decimals(pv)))
