"""The relations a table's column-number row declares (``12 = 8+9+10+11``, ``5 = 4/3 x 100``),
checked on every row where their cells hold numbers.

normalize reads them into ``Table.relations`` (see ``normalize/relations.py``). A relation that a
specific rule already checks (capaian_k, realisasi_quarters_rp, selisih, kondisi_akhir_rp, the LRA
rules …) is left to that rule, so that one cell never gets two findings for one relation: a rule
module says which declared relations it covers with :func:`covers`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from renjana.models import Finding, Relation

from .arithmetic import RATIOS, check_ratio, check_row_sum
from .numbers import HUNDRED
from .registry import ALL_KINDS, RULES, TableView, rule

RULE_ID = "declared_relation"

# Every kind a table can have (the registry's ALL_KINDS plus the budget-sheet kinds).
DECLARED_KINDS: tuple[str, ...] = (*ALL_KINDS, "rincian_belanja", "realisasi_anggaran")

Cover = Callable[[TableView, Relation], bool]
_COVERS: list[Cover] = []


def covers(fn: Cover) -> Cover:
    """Register ``fn(view, relation) -> bool``: True when a specific rule checks ``relation`` on
    ``view`` itself (so the generic rule leaves it alone)."""
    _COVERS.append(fn)
    return fn


def rule_applies(rule_id: str, view: TableView) -> bool:
    """Is the registered rule ``rule_id`` run on ``view``?"""
    return any(r.id == rule_id and r.applies_to(view) for r in RULES)


def is_covered(view: TableView, rel: Relation) -> bool:
    return any(fn(view, rel) for fn in _COVERS)


# --------------------------------------------------------------------------- the arithmetic rules
# Sum relations the arithmetic module checks by name: result, plus, minus, rule id.
_NAMED_SUMS = [
    ("realisasi_renstra_k", {"realisasi_lalu_k", "realisasi_k"}, set(), "realisasi_renstra_k"),
    ("realisasi_renstra_rp", {"realisasi_lalu_rp", "realisasi_rp"}, set(), "realisasi_renstra_rp"),
    ("selisih", {"pagu_sesudah"}, {"pagu_sebelum"}, "selisih"),
    ("jumlah", {"pagu", "tambahan"}, set(), "jumlah"),
]


@covers
def _arithmetic_covers(view: TableView, rel: Relation) -> bool:
    if rel.kind == "ratio":
        return any(rel.column == ratio and rel.numerator == num and rel.denominator == den
                   and rule_applies(ratio, view) for ratio, num, den, _ in RATIOS)
    plus, minus = set(rel.plus), set(rel.minus)
    for result, p, m, rule_id in _NAMED_SUMS:
        if rel.column == result and plus == p and minus == m and rule_applies(rule_id, view):
            return True
    for unit in ("k", "rp"):
        quarters = {f"realisasi_tw{q}_{unit}" for q in range(1, 5)
                    if view.table.column_index(f"realisasi_tw{q}_{unit}") is not None}
        if rel.column == f"realisasi_{unit}" and not minus and plus == quarters and \
                len(quarters) >= 2 and rule_applies(f"realisasi_quarters_{unit}", view):
            return True
    return False


# --------------------------------------------------------------------------- the generic rule
def _column_type(view: TableView, key: str) -> str | None:
    i = view.table.column_index(key)
    return view.table.columns[i].type if i is not None else None


def _readable(view: TableView, rel: Relation) -> bool:
    keys = [rel.column, *rel.plus, *rel.minus, rel.numerator, rel.denominator]
    return all(view.has(k) and view.key(k) == k for k in keys if k is not None)


def _with_source(findings: Iterator[Finding], rel: Relation) -> Iterator[Finding]:
    for f in findings:
        f.message += f" (declared by the column-number row: {rel.printed})"
        yield f


@rule(RULE_ID, kinds=DECLARED_KINDS)
def declared_relation(view: TableView) -> Iterator[Finding]:
    """Every relation the column-number row declares (``16 = 6+8+10+12+14``, ``5 = 4/3 x 100``,
    ``6 = 3 - 4``) holds on every row whose cells print numbers, at the printed precision (half-up
    or truncated); relations a specific rule checks are left to it. Source: the table's own
    header."""
    for rel in view.table.relations:
        if not _readable(view, rel) or is_covered(view, rel):
            continue
        if rel.kind == "ratio":
            is_k = _column_type(view, rel.numerator) == "qty"
            # "5 = 4/3" over a % column means × 100, as the documents print it.
            scale = HUNDRED if rel.scale == 100 or _column_type(view, rel.column) == "percent" \
                else Decimal(rel.scale)
            yield from _with_source(check_ratio(view, RULE_ID, rel.column, rel.numerator,
                                                rel.denominator, is_k, scale=scale), rel)
        else:
            terms = [(1, k) for k in rel.plus] + [(-1, k) for k in rel.minus]
            is_k = _column_type(view, rel.column) == "qty"
            yield from _with_source(check_row_sum(view, RULE_ID, rel.column, terms, is_k=is_k),
                                    rel)
