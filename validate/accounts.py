"""Account-code trees and group sums shared by the budget-sheet rules (rincian_belanja, LRA).

An account code (``5``, ``5.1``, ``5.1.02.01.01.0024``; Permendagri 90/2019 and 77/2020 charts of
accounts) names its parent by its own prefix: ``5.1.02`` is a child of ``5.1``. A group row's
amount is the sum of the rows one code level below it. A blank cell is not a zero: a sum with a
blank member, or a member lost ('###') or read with low confidence, is reported as a warning
(cannot be proved), never as an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from renjana.models import Finding

from .numbers import ZERO, as_printed, format_id, matches_printed, number_or_zero, printed_decimals
from .registry import TableView

# A printed account code: digit segments separated by dots (a trailing dot is a style).
_ACCOUNT = re.compile(r"^\d+(\.\d+)*\.?$")


def account_code(view: TableView, r: int) -> tuple[str, ...] | None:
    """The segments of row ``r``'s account code, or None when it prints none."""
    text = view.rows[r].kode or (view.text(r, "kode") if view.has("kode") else "")
    text = "".join((text or "").split())
    if not text or not _ACCOUNT.match(text):
        return None
    return tuple(text.rstrip(".").split("."))


def code_parents(view: TableView) -> dict[int, int | None]:
    """For every coded row: the nearest coded row above it whose code is a proper prefix of its
    own (None for a top code). Rows without a code are not in the result."""
    out: dict[int, int | None] = {}
    stack: list[tuple[int, tuple[str, ...]]] = []
    for r in range(len(view.rows)):
        code = account_code(view, r)
        if code is None or r in view.noise:
            continue
        while stack and not (len(stack[-1][1]) < len(code)
                             and code[:len(stack[-1][1])] == stack[-1][1]):
            stack.pop()
        out[r] = stack[-1][0] if stack else None
        stack.append((r, code))
    return out


def children_of(parents: dict[int, int | None]) -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            kids.setdefault(parent, []).append(child)
    return kids


def _rows_text(rows: list[int]) -> str:
    if len(rows) > 8:
        return f"{len(rows)} rows {rows[0]}–{rows[-1]}"
    return "rows " + ", ".join(str(r) for r in rows)


def check_sum(view: TableView, rule_id: str, p: int, terms: Iterable[tuple[int, int]], key: str,
              what: str) -> Finding | None:
    """``p``'s ``key`` = Σ sign·(term row's ``key``); ``terms``: (sign, row). None when it holds
    or nothing is claimed (the parent prints no number, or no term prints one)."""
    terms = list(terms)
    pv = view.value(p, key)
    if pv is None or (pv.number is None and pv.reason != "nil"):
        if pv is not None and pv.reason == "lost":
            return view.finding(rule_id, "warning", p, key,
                                f"{key} was lost ('###'): {what} cannot be verified")
        return None
    total, printed, blank, unsure = ZERO, 0, [], []
    for sign, r in terms:
        v = view.value(r, key)
        x = number_or_zero(v)
        if x is None:
            (blank if v.reason == "empty" else unsure).append(r)
            continue
        printed += 1
        total += sign * x
        if not view.confident(r, key):
            unsure.append(r)
    if not printed:
        return None
    shown = as_printed(pv)
    if matches_printed(total, shown, truncation=False):
        return None
    dec = printed_decimals(shown)
    rows = [r for _, r in terms]
    why = []
    if blank:
        why.append(f"rows {blank} are blank (a blank is not a zero)")
    if unsure:
        why.append(f"rows {sorted(set(unsure))} unreadable or read with low confidence")
    if not view.confident(p, key):
        why.append("this cell was read with low confidence")
    severity = "warning" if why else "error"
    want = format_id(total, dec)
    return view.finding(
        rule_id, severity, p, key,
        f"{key}: {what} ({_rows_text(rows)}) = {want}; printed {view.text(p, key).strip()}, "
        f"difference printed − computed = {format_id(shown.number - total, dec)}"
        + (f"; cannot be verified: {'; '.join(why)}" if why else ""),
        expected=want)


def money_number(view: TableView, r: int, key: str) -> Decimal | None:
    """The number a money cell prints ('-' = 0), None when blank, lost or text."""
    return number_or_zero(view.value(r, key))
