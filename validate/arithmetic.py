"""Row-level arithmetic: ratios (capaian), cumulative realisation, sum of quarters, selisih, jumlah.

Every relation is checked on the printed values. A relation whose inputs are not all printed is
skipped (nothing is claimed); one whose inputs were lost ('###') or read with low confidence is
reported as a warning (cannot be verified), never as an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from renjana.models import Finding

from .numbers import (
    HUNDRED, ZERO, as_printed, format_id, looks_grouped, matches_printed, number_or_zero, plain,
    printed_decimals, round_half_up, units_compatible,
)
from .registry import PROGRAM_KINDS, TableView, rule

# Rows whose percent columns are not ratios of their own row.
NOT_A_RATIO_ROW = {"average", "predikat"}


def severity_for(view: TableView, r: int, keys: list[str]) -> str:
    """'error' when every cell of the relation was read with confidence, else 'warning'."""
    return "error" if all(view.confident(r, k) for k in keys) else "warning"


def unsure_cells(view: TableView, r: int, keys: list[str]) -> str:
    bad = [k for k in keys if not view.confident(r, k)]
    if not bad:
        return ""
    parts = [f"{k} lost (###)" if view.lost(r, k) else
             view.misread(r, k) or f"{k} read with low confidence" for k in bad]
    return "; cannot be verified: " + ", ".join(parts)


def _shown(view: TableView, r: int, key: str) -> str:
    """A cell as printed, for a message."""
    return " ".join(view.text(r, key).split()) or "(empty)"


def _unverifiable(view: TableView, rule_id: str, r: int, key: str, keys: list[str],
                  relation: str) -> Finding | None:
    """A warning when a relation cannot be checked because one of its cells was lost/unsure."""
    if all(view.confident(r, k) for k in keys):
        return None
    printed = view.value(r, key)
    if printed is not None and printed.reason in ("empty", "text", "unparsed") and \
            view.confident(r, key):
        return None
    return view.finding(rule_id, "warning", r, key,
                        f"{relation} cannot be verified{unsure_cells(view, r, keys)}")


# --------------------------------------------------------------------------- ratios
RATIOS = [
    # rule id / printed ratio, numerator, denominator, is a K (quantity) ratio
    ("capaian_k", "realisasi_k", "target_k", True),
    ("capaian_rp", "realisasi_rp", "target_rp", False),
    ("capaian_renstra_k", "realisasi_renstra_k", "target_renstra_k", True),
    ("capaian_renstra_rp", "realisasi_renstra_rp", "target_renstra_rp", False),
]


# A row that states its indicator's polarity: "semakin kecil semakin baik" (less is better, the
# capaian is target / realisasi × 100, Permendagri 86/2017) or "semakin besar semakin baik".
_LESS_IS_BETTER = re.compile(r"semakin\s+(kecil|rendah|sedikit)\s+semakin\s+baik|polaritas\s*:?\s*"
                             r"negatif", re.IGNORECASE)
_MORE_IS_BETTER = re.compile(r"semakin\s+(besar|tinggi|banyak)\s+semakin\s+baik|polaritas\s*:?\s*"
                             r"positif", re.IGNORECASE)


def polarity(view: TableView, r: int) -> str | None:
    """'negative' (less is better), 'positive', or None when the row does not state it."""
    text = " ".join(c for c in view.rows[r].cells if c)
    if _LESS_IS_BETTER.search(text):
        return "negative"
    if _MORE_IS_BETTER.search(text):
        return "positive"
    return None


def check_ratio(view: TableView, rule_id: str, ratio: str, num_key: str, den_key: str,
                is_k: bool, scale: Decimal = HUNDRED) -> Iterator[Finding]:
    """``ratio = num / den × scale`` on every row. For a K ratio (a capaian of an indicator)
    whose row does not state its polarity, the inverse (den / num × scale, an indicator where
    less is better, Permendagri 86/2017) is accepted too; a row stating less-is-better is held
    to the inverse only."""
    keys = [ratio, num_key, den_key]
    relation = f"{ratio} = {num_key} / {den_key}" + (f" × {scale}" if scale != 1 else "")
    for r in range(len(view.rows)):
        if view.level(r) in NOT_A_RATIO_ROW or r in view.noise:
            continue
        pr, num, den = (view.value(r, k) for k in keys)
        n, d = number_or_zero(num), number_or_zero(den)
        if pr.number is None or n is None or d is None:
            if f := _unverifiable(view, rule_id, r, ratio, keys, relation):
                yield f
            continue
        if is_k and not units_compatible(num.unit, den.unit):
            continue  # e.g. realisasi in 'Dokumen' against a target in 'Laporan': not comparable
        if d == 0:
            if pr.number != 0:
                yield view.finding(
                    rule_id, "warning", r, ratio,
                    f"{den_key} is 0, so {ratio} is undefined; the documents print 0,00 for a "
                    f"zero target, this row prints {view.text(r, ratio).strip()}",
                    expected=format_id(ZERO, printed_decimals(pr)))
            continue
        expected = n / d * scale
        pol = polarity(view, r) if is_k else "positive"
        if pol == "negative" and n != 0:
            expected = d / n * scale
        if matches_printed(expected, pr):
            continue
        if pol is None and n != 0 and matches_printed(d / n * scale, pr):
            continue  # polarity not stated: less-is-better computed inversely holds
        dec = printed_decimals(pr)
        yield view.finding(
            rule_id, severity_for(view, r, keys), r, ratio,
            f"{relation} = {_shown(view, r, num_key)} / {_shown(view, r, den_key)}"
            f"{' × ' + str(scale) if scale != 1 else ''} = "
            f"{plain(expected)}; "
            f"printed {view.text(r, ratio).strip()} is neither rounded nor truncated to "
            f"{dec} decimals{unsure_cells(view, r, keys)}",
            expected=format_id(round_half_up(expected, dec), dec))


def _register_ratio(rule_id: str, num_key: str, den_key: str, is_k: bool) -> None:
    def fn(view: TableView) -> Iterator[Finding]:
        return check_ratio(view, rule_id, rule_id, num_key, den_key, is_k)

    fn.__name__ = f"check_{rule_id}"
    kind = "K (units must agree or one be %)" if is_k else "Rp"
    rule(rule_id, kinds=PROGRAM_KINDS, reads=[rule_id, num_key, den_key],
         doc=f"{rule_id} = {num_key} / {den_key} × 100, {kind}; half-up rounding or truncation "
             f"to the printed decimals; a zero denominator printed as 0 is consistent")(fn)


for _ratio, _num, _den, _is_k in RATIOS:
    _register_ratio(_ratio, _num, _den, _is_k)


# --------------------------------------------------------------------------- sums of a row
def check_row_sum(view: TableView, rule_id: str, result: str, terms: list[tuple[int, str]],
                  is_k: bool = False, skip_percent: bool = False,
                  empty_terms_are_zero: bool = False) -> Iterator[Finding]:
    """``result = Σ sign·term`` on every row; '-' counts as 0."""
    keys = [result] + [k for _, k in terms]
    relation = f"{result} = " + " ".join(
        (("- " if s < 0 else "+ ") if i else ("-" if s < 0 else "")) + k
        for i, (s, k) in enumerate(terms))
    for r in range(len(view.rows)):
        if view.level(r) in NOT_A_RATIO_ROW or r in view.noise:
            continue
        pr = view.value(r, result)
        values = [view.value(r, k) for _, k in terms]
        numbers = [number_or_zero(v) for v in values]
        if empty_terms_are_zero and any(x is not None for x in numbers):
            numbers = [ZERO if x is None and v.reason == "empty" else x
                       for x, v in zip(numbers, values)]
        res = number_or_zero(pr)
        if res is None or any(x is None for x in numbers):
            if f := _unverifiable(view, rule_id, r, result, keys, relation):
                yield f
            continue
        if is_k:
            units = [pr.unit, *(v.unit for v in values)]
            if not units_compatible(*units):
                continue
            if skip_percent and any((u or "").strip() == "%" for u in units):
                continue
        expected = sum((s * x for (s, _), x in zip(terms, numbers)), ZERO)
        shown = as_printed(pr)
        if matches_printed(expected, shown, truncation=False):
            continue
        dec = printed_decimals(shown)
        unit = pr.unit if is_k else None
        grouping = not is_k or looks_grouped(*(view.text(r, k) for k in keys))
        want = format_id(expected, dec, unit, grouping)
        detail = " ".join(
            (("- " if s < 0 else "+ ") if i else ("-" if s < 0 else "")) + _shown(view, r, k)
            for i, (s, k) in enumerate(terms))
        yield view.finding(
            rule_id, severity_for(view, r, keys), r, result,
            f"{relation}: {detail} = {want}, printed "
            f"{_shown(view, r, result)}{unsure_cells(view, r, keys)}",
            expected=want)


@rule("realisasi_renstra_k", kinds=PROGRAM_KINDS,
      reads=["realisasi_renstra_k", "realisasi_lalu_k", "realisasi_k"])
def cumulative_k(view: TableView) -> Iterator[Finding]:
    """realisasi_renstra_k = realisasi_lalu_k + realisasi_k (units kept; % values add too)."""
    return check_row_sum(view, "realisasi_renstra_k", "realisasi_renstra_k",
                         [(1, "realisasi_lalu_k"), (1, "realisasi_k")], is_k=True)


@rule("realisasi_renstra_rp", kinds=PROGRAM_KINDS,
      reads=["realisasi_renstra_rp", "realisasi_lalu_rp", "realisasi_rp"])
def cumulative_rp(view: TableView) -> Iterator[Finding]:
    """realisasi_renstra_rp = realisasi_lalu_rp + realisasi_rp."""
    return check_row_sum(view, "realisasi_renstra_rp", "realisasi_renstra_rp",
                         [(1, "realisasi_lalu_rp"), (1, "realisasi_rp")])


def _quarters(view: TableView, kind: str) -> list[str]:
    return [k for q in range(1, 5) if view.table.column_index(k := f"realisasi_tw{q}_{kind}")
            is not None]


@rule("realisasi_quarters_k", kinds=PROGRAM_KINDS, any_of=True,
      reads=["realisasi_tw1_k", "realisasi_tw2_k", "realisasi_tw3_k", "realisasi_tw4_k"])
def quarters_k(view: TableView) -> Iterator[Finding]:
    """realisasi_k = Σ realisasi_tw1_k … tw4_k (at least two quarter columns; % rows skipped, a
    percentage of a quarter does not add up)."""
    quarters = _quarters(view, "k")
    if len(quarters) < 2 or view.table.column_index("realisasi_k") is None:
        return iter(())
    return check_row_sum(view, "realisasi_quarters_k", "realisasi_k",
                         [(1, q) for q in quarters], is_k=True, skip_percent=True,
                         empty_terms_are_zero=True)


@rule("realisasi_quarters_rp", kinds=PROGRAM_KINDS, any_of=True,
      reads=["realisasi_tw1_rp", "realisasi_tw2_rp", "realisasi_tw3_rp", "realisasi_tw4_rp"])
def quarters_rp(view: TableView) -> Iterator[Finding]:
    """realisasi_rp = Σ realisasi_tw1_rp … tw4_rp (at least two quarter columns)."""
    quarters = _quarters(view, "rp")
    if len(quarters) < 2 or view.table.column_index("realisasi_rp") is None:
        return iter(())
    return check_row_sum(view, "realisasi_quarters_rp", "realisasi_rp",
                         [(1, q) for q in quarters], empty_terms_are_zero=True)


@rule("selisih", kinds=PROGRAM_KINDS, reads=["selisih", "pagu_sesudah", "pagu_sebelum"])
def selisih(view: TableView) -> Iterator[Finding]:
    """selisih = pagu_sesudah − pagu_sebelum ('-' = 0)."""
    return check_row_sum(view, "selisih", "selisih", [(1, "pagu_sesudah"), (-1, "pagu_sebelum")])


@rule("jumlah", kinds=PROGRAM_KINDS, reads=["jumlah", "pagu", "tambahan"])
def jumlah(view: TableView) -> Iterator[Finding]:
    """jumlah = pagu + tambahan ('-' = 0)."""
    return check_row_sum(view, "jumlah", "jumlah", [(1, "pagu"), (1, "tambahan")])

