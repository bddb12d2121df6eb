"""Relations between rows: a parent's money is the sum of its children's, averages and predikat.

Parent sums are checked twice, against the direct children and against the leaves, so that the
finding lands on the row that is wrong: a kegiatan whose sub kegiatan do not add up is reported
on the kegiatan; a program that disagrees with its kegiatan but agrees with the sub kegiatan
below them only gets a warning pointing at the wrong kegiatan subtotal(s).
"""

from __future__ import annotations

import fnmatch

from collections.abc import Iterator
from decimal import Decimal

from renjana.models import Finding, ParsedValue

from .numbers import (
    HUNDRED, ZERO, as_printed, format_id, matches_printed, number_or_zero, plain, printed_decimals,
    round_half_up, units_compatible,
)
from .registry import PROGRAM_KINDS, RANK, TableView, rule

MONEY_COLUMNS = [
    "target_renstra_rp", "realisasi_lalu_rp", "target_rp",
    "realisasi_tw1_rp", "realisasi_tw2_rp", "realisasi_tw3_rp", "realisasi_tw4_rp",
    "realisasi_rp", "realisasi_renstra_rp", "pagu", "tambahan", "jumlah", "pagu_maju",
    "pagu_sebelum", "pagu_sesudah", "selisih",
    # Per-year and end-of-period money of a Renstra form (target_2021_rp …, kondisi_akhir_rp).
    "target_*_rp", "kondisi_akhir_rp",
]


def is_money_column(key: str) -> bool:
    """Is ``key`` one of MONEY_COLUMNS (entries may be shell-style patterns)?"""
    return any(fnmatch.fnmatchcase(key, pattern) for pattern in MONEY_COLUMNS)


# --------------------------------------------------------------------------- parent sums
class _Sum:
    """Σ of a column over some rows: '-' and empty count 0; lost/unsure cells are remembered."""

    def __init__(self, view: TableView, rows: list[int], key: str):
        self.total = ZERO
        self.printed = 0  # rows with a number or '-'
        self.unsure: list[int] = []
        for r in rows:
            v = view.value(r, key)
            x = number_or_zero(v)
            if x is not None:
                self.total += x
                self.printed += 1
            elif v.reason not in ("empty",):
                self.unsure.append(r)  # lost ('###'), or text where a number belongs
            if x is not None and not view.confident(r, key):
                self.unsure.append(r)


def _program_rows_under(view: TableView, p: int) -> list[int]:
    return [d for d in view.tree.descendants(p) if view.level(d) == "program"]


def _with_indicators(view: TableView, rows: list[int]) -> list[int]:
    out: list[int] = []
    for r in rows:
        out.extend(view.tree.with_indicators(r))
    return out


def _leaves_of(view: TableView, tops: list[int]) -> list[int]:
    out: list[int] = []
    for t in tops:
        out.extend(view.tree.leaves(t) if view.tree.children(t) else view.tree.with_indicators(t))
    return sorted(set(out))


def _total_groups(view: TableView) -> list[tuple[int, list[int], list[int]]]:
    """For each total row: (row, the top-level rows it covers, every top-level row)."""
    rows = view.rows
    levels = view.levels
    top_level = "program" if "program" in levels else None
    if top_level is None:
        ranks = [RANK[lvl] for lvl in levels if lvl in RANK]
        if not ranks:
            return []
        top_level = next(k for k, v in RANK.items() if v == min(ranks))
    tops = [i for i, lvl in enumerate(levels) if lvl == top_level]
    totals = [i for i, lvl in enumerate(levels) if lvl == "total"]
    out = []
    for n, t in enumerate(totals):
        prev_t = totals[n - 1] if n else -1
        next_t = totals[n + 1] if n + 1 < len(totals) else len(rows)
        before = [i for i in tops if prev_t < i < t]
        covered = before or [i for i in tops if t < i < next_t]
        if covered:
            out.append((t, covered, tops))
    return out


def _groups(view: TableView) -> Iterator[tuple[int, list[int], list[int], list[int], str]]:
    """(parent row, direct money children, leaves, alternative children, what the children are)."""
    tree = view.tree
    for p in range(len(view.rows)):
        rank = RANK.get(view.level(p))
        if rank is None or not tree.children(p):
            continue
        if rank <= 1:  # urusan, bidang: Σ programs under them
            programs = _program_rows_under(view, p)
            if not programs:
                continue
            yield p, _with_indicators(view, programs), tree.leaves(p), [], "programs"
        else:
            yield p, tree.money_children(p), tree.leaves(p), [], "children"
    for t, covered, tops in _total_groups(view):
        everything = _with_indicators(view, tops) if covered != tops else []
        yield t, _with_indicators(view, covered), _leaves_of(view, covered), everything, \
            "programs" if view.level(covered[0]) == "program" else "rows"


def _same(computed: Decimal, printed: ParsedValue) -> bool:
    """A sum of printed amounts is exact (or rounded to fewer printed decimals), never truncated."""
    return matches_printed(computed, printed, truncation=False)


def _rows_text(rows: list[int]) -> str:
    if len(rows) > 8:
        return f"{len(rows)} rows {rows[0]}–{rows[-1]}"
    return "rows " + ", ".join(str(r) for r in rows)


def _wrong_subtotals(view: TableView, kids: list[int], key: str) -> list[int]:
    out = []
    for k in kids:
        if not view.tree.children(k):
            continue
        pv = view.value(k, key)
        inner = _Sum(view, view.tree.money_children(k), key)
        if inner.printed and not _same(inner.total, as_printed(pv)):
            out.append(k)
    return out


@rule("parent_sum", kinds=PROGRAM_KINDS, reads=MONEY_COLUMNS, any_of=True)
def parent_sum(view: TableView) -> Iterator[Finding]:
    """A parent's money = Σ its children (kegiatan = Σ sub kegiatan and their indicator lines,
    program = Σ kegiatan; urusan, bidang and totals = Σ programs), checked against the direct
    children and against the leaves so that the wrong row is named."""
    money = [k for k in view.keys() if is_money_column(k)]
    for key in money:
        printed = [r for r in range(len(view.rows))
                   if number_or_zero(view.value(r, key)) is not None]
        peers = {lvl: sum(1 for r in printed if view.level(r) == lvl)
                 for lvl in ("urusan", "bidang", "program", "kegiatan", "total")}
        for p, kids, leaves, alternative, what in _groups(view):
            direct = _Sum(view, kids, key)
            if not direct.printed:
                continue  # nothing printed below: no claim
            pv = view.value(p, key)
            p_unsure = not view.confident(p, key)
            if pv.number is None and pv.reason != "nil":
                if pv.reason == "empty" and direct.total != 0 and \
                        peers.get(view.level(p), 0) > 0 and _prints_money(view, p):
                    sev = "warning" if direct.unsure else "error"
                    yield view.finding(
                        "parent_sum", sev, p, key,
                        f"{view.level(p)} leaves {key} empty although its {what} "
                        f"({_rows_text(kids)}) carry {format_id(direct.total, 2)}",
                        printed="", expected=format_id(direct.total, printed_decimals_any(
                            view, kids, key)))
                elif pv.reason == "lost" or p_unsure:
                    how = "was lost ('###')" if pv.reason == "lost" else "could not be read"
                    yield view.finding("parent_sum", "warning", p, key,
                                       f"{key} of this {view.level(p)} {how}: Σ of its {what} "
                                       f"is {format_id(direct.total, 2)}",
                                       expected=format_id(direct.total, 2))
                continue
            pv = as_printed(pv)
            if _same(direct.total, pv):
                continue
            repeats = _repeated_indicator_lines(view, kids, key)
            if repeats and _same(_Sum(view, [k for k in kids if k not in repeats], key).total,
                                 pv):
                continue  # indicator lines repeating their row's amount (a merged cell copied)
            if alternative and _same(_Sum(view, alternative, key).total, pv):
                continue  # a grand total after sub totals: = Σ of every program
            dec = printed_decimals(pv)
            leaf = _Sum(view, leaves, key)
            intermediate = sorted(set(leaves)) != sorted(set(kids))
            if intermediate and leaf.printed and _same(leaf.total, pv):
                wrong = _wrong_subtotals(view, kids, key)
                where = f" (rows {', '.join(map(str, wrong))}, reported there)" if wrong else ""
                # The sum this row claims fails (an error on it), though the cause is below.
                yield view.finding(
                    "parent_sum", "warning" if direct.unsure or p_unsure else "error", p, key,
                    f"{key} of this {view.level(p)} ≠ Σ its {what} ({_rows_text(kids)}) = "
                    f"{format_id(direct.total, dec)}, but = Σ of the rows below them "
                    f"({format_id(leaf.total, dec)}): a subtotal below is wrong{where}",
                    expected=format_id(direct.total, dec))
                continue
            unsure = direct.unsure or p_unsure
            note = f"; Σ of the lowest rows = {format_id(leaf.total, dec)}" \
                if intermediate and leaf.printed else ""
            yield view.finding(
                "parent_sum", "warning" if unsure else "error", p, key,
                f"{key} of this {view.level(p)} should be Σ its {what} ({_rows_text(kids)}) = "
                f"{format_id(direct.total, dec)}; difference printed − computed = "
                f"{format_id(number_or_zero(pv) - direct.total, dec)}{note}"
                + (f"; cannot be verified: rows {sorted(set(direct.unsure))} unreadable"
                   if direct.unsure else "")
                + ("; this cell was read with low confidence" if p_unsure else ""),
                expected=format_id(direct.total, dec))


def _repeated_indicator_lines(view: TableView, rows: list[int], key: str) -> set[int]:
    """Indicator lines whose amount is the same as the row they belong to."""
    out = set()
    for r in rows:
        a = view.tree.anchor[r]
        if a is None or view.level(r) != "indicator":
            continue
        x, y = view.value(r, key).number, view.value(a, key).number
        if x is not None and x != 0 and x == y:
            out.add(r)
    return out


def printed_decimals_any(view: TableView, rows: list[int], key: str) -> int:
    for r in rows:
        v = view.value(r, key)
        if v.number is not None:
            return printed_decimals(v)
    return 2


def _prints_money(view: TableView, r: int) -> bool:
    return any(view.value(r, k).number is not None for k in view.keys() if is_money_column(k))


# --------------------------------------------------------------------------- averages
AVERAGED = {
    # average column: (numerator, denominator, this year's target used by the documents)
    "capaian_k": ("realisasi_k", "target_k", "target_k"),
    "capaian_rp": ("realisasi_rp", "target_rp", "target_rp"),
    "capaian_renstra_k": ("realisasi_renstra_k", "target_renstra_k", "target_k"),
    "capaian_renstra_rp": ("realisasi_renstra_rp", "target_renstra_rp", "target_rp"),
}
_TOTAL_WORDS = ("total", "keseluruhan", "seluruh")


def _row_words(view: TableView, r: int) -> str:
    return " ".join(c for c in view.rows[r].cells if c).lower()


def average_scope(view: TableView, a: int) -> tuple[str, list[int]]:
    """('program', rows) or ('total', rows): the rows an average row is the mean of."""
    tree = view.tree
    all_leaves = sorted({x for r in range(len(view.rows))
                         if view.level(r) in RANK and not tree.children(r)
                         for x in tree.with_indicators(r)})
    if any(w in _row_words(view, a) for w in _TOTAL_WORDS):
        return "total", all_leaves
    j = a - 1
    while j >= 0 and view.level(j) in ("predikat", "section", "other"):
        j -= 1
    if j < 0 or view.level(j) in ("average", "total"):
        return "total", all_leaves
    r = tree.anchor[j] if view.level(j) == "indicator" else j
    if r is None or view.level(r) not in RANK:
        return "total", all_leaves
    chain = [r, *tree.ancestors(r)]
    program = next((x for x in chain if view.level(x) == "program"), chain[-1])
    rows = tree.leaves(program) if tree.children(program) else tree.with_indicators(program)
    return "program", rows


def _ratio_unrounded(view: TableView, r: int, col: str) -> Decimal | None:
    num_key, den_key, _ = AVERAGED[col]
    num, den = view.value(r, num_key), view.value(r, den_key)
    if num is None or den is None:
        return None
    n, d = number_or_zero(num), number_or_zero(den)
    if n is None or d is None or d == 0 or not units_compatible(num.unit, den.unit):
        return None
    return n / d * HUNDRED


def _positive(view: TableView, r: int, key: str) -> bool:
    v = view.value(r, key)
    return v is not None and v.number is not None and v.number > 0


def average_candidates(view: TableView, rows: list[int], col: str) -> dict[str, Decimal]:
    """The mean under each convention the documents use (row set × printed/unrounded)."""
    _, den_key, year_key = AVERAGED[col]
    with_value = [r for r in rows if view.value(r, col).number is not None]
    sets = {
        f"rows with {year_key} > 0": [r for r in with_value if _positive(view, r, year_key)],
        "all rows": with_value,
        f"rows with {den_key} > 0": [r for r in with_value if _positive(view, r, den_key)],
    }
    out: dict[str, Decimal] = {}
    for name, chosen in sets.items():
        if not chosen:
            continue
        printed = [view.value(r, col).number for r in chosen]
        out[f"mean of printed values over {name}"] = sum(printed, ZERO) / len(printed)
        unrounded = [_ratio_unrounded(view, r, col) for r in chosen]
        unrounded = [u if u is not None else p for u, p in zip(unrounded, printed)]
        out[f"mean of unrounded ratios over {name}"] = sum(unrounded, ZERO) / len(unrounded)
    return out


def _other_scope_holds(view: TableView, a: int, scope: str, col: str, pv: ParsedValue) -> bool:
    """A lone average row closing a table (T-C.29's 'Rata-rata capaian kinerja') may be the mean
    of the whole table though it follows the last program, or of that program only: when the
    table prints a single average row, the scope the words did not settle may be either."""
    if sum(1 for r in range(len(view.rows)) if view.level(r) == "average") != 1:
        return False
    tree = view.tree
    if scope == "program":
        rows = sorted({x for r in range(len(view.rows))
                       if view.level(r) in RANK and not tree.children(r)
                       for x in tree.with_indicators(r)})
    else:
        return False  # a total average named as such ('keseluruhan') has no other scope
    return any(matches_printed(m, pv) for m in average_candidates(view, rows, col).values())


@rule("average", kinds=PROGRAM_KINDS, any_of=True, reads=list(AVERAGED))
def average(view: TableView) -> Iterator[Finding]:
    """An average row ('Rata-rata capaian kinerja') = mean of the capaian of the sub kegiatan /
    indicator rows of its program (all of them for a total average); flagged only when no
    documented convention (rows with target > 0, all rows, rows with own target > 0; mean of
    printed or of unrounded values) reproduces the printed value."""
    for a in range(len(view.rows)):
        if view.level(a) != "average":
            continue
        scope, rows = average_scope(view, a)
        if not rows:
            continue
        for col in AVERAGED:
            if not view.has(col):
                continue
            pv = view.value(a, col)
            if pv.number is None:
                continue
            candidates = average_candidates(view, rows, col)
            if not candidates:
                continue
            if any(matches_printed(m, pv) for m in candidates.values()):
                continue
            if _other_scope_holds(view, a, scope, col, pv):
                continue
            unsure = [r for r in rows if not view.confident(r, col)]
            dec = printed_decimals(pv)
            main_name, main = next(iter(candidates.items()))
            others = "; ".join(f"{n} = {plain(m)}" for n, m in list(candidates.items())[1:])
            sev = "warning" if unsure or not view.confident(a, col) else "error"
            yield view.finding(
                "average", sev, a, col,
                f"{scope} average of {col} over {_rows_text(rows)}: {main_name} = {plain(main)}"
                f", printed {view.text(a, col).strip()}; no convention reproduces it "
                f"({others})" + (f"; rows {unsure} unreadable" if unsure else ""),
                expected=format_id(round_half_up(main, dec), dec))


# --------------------------------------------------------------------------- predikat
BANDS = [(Decimal(91), "ST"), (Decimal(76), "T"), (Decimal(66), "S"), (Decimal(51), "R")]
_WORDS = {"SANGAT TINGGI": "ST", "TINGGI": "T", "SEDANG": "S", "RENDAH": "R",
          "SANGAT RENDAH": "SR"}


def band(x: Decimal) -> str:
    """Permendagri 86/2017 bands, gaps closed upward: ST ≥ 91, T ≥ 76, S ≥ 66, R ≥ 51, else SR.
    """
    for lower, letter in BANDS:
        if x >= lower:
            return letter
    return "SR"


def predikat_letter(text: str) -> str | None:
    t = " ".join(text.replace(".", " ").replace("(", " ").replace(")", " ").split()).upper()
    if t in ("ST", "T", "S", "R", "SR"):
        return t
    return _WORDS.get(t)


@rule("predikat", kinds=PROGRAM_KINDS, any_of=True, reads=list(AVERAGED))
def predikat(view: TableView) -> Iterator[Finding]:
    """A predikat row = the band of the printed average above it: ST ≥ 91, T 76–<91,
    S 66–<76, R 51–<66, SR < 51."""
    for q in range(len(view.rows)):
        if view.level(q) != "predikat":
            continue
        a = q - 1
        while a >= 0 and view.level(a) in ("other", "section"):
            a -= 1
        if a < 0 or view.level(a) != "average":
            continue  # the band is of the average printed right above it
        for col in AVERAGED:
            if not view.has(col):
                continue
            letter = predikat_letter(view.text(q, col))
            if letter is None:
                continue
            avg: ParsedValue = view.value(a, col)
            if avg.number is None:
                if avg.reason == "lost":
                    yield view.finding("predikat", "warning", q, col,
                                       f"the average above (row {a}) was lost: predikat "
                                       f"{letter} cannot be verified")
                continue
            want = band(avg.number)
            if want == letter:
                continue
            sev = "error" if view.confident(a, col) and view.confident(q, col) else "warning"
            yield view.finding(
                "predikat", sev, q, col,
                f"predikat {letter} does not match the average {view.text(a, col).strip()} of "
                f"row {a}: its band is {want} (ST ≥ 91, T ≥ 76, S ≥ 66, R ≥ 51, SR below)",
                expected=want)
