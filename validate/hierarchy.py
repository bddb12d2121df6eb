"""Relations between rows: a parent's money is the sum of its children's, averages and predikat.

Parent sums are checked twice, against the direct children and against the leaves, so that the
finding lands on the row that is wrong: a kegiatan whose sub kegiatan do not add up is reported
on the kegiatan; a program that disagrees with its kegiatan but agrees with the sub kegiatan
below them only gets a warning pointing at the wrong kegiatan subtotal(s).

Severity from proof: a relation is an ``error`` only when every cell it reads was read with
confidence, every row it relies on has a certain level (:meth:`TableView.level_doubt`), the
parent's scope is certain (a run of JUMLAH rows is mapped to the urusan blocks only when there
is one per block) and no child it adds is blank (a blank cell is not a zero). Otherwise the same
finding is a ``warning`` that says why it cannot be proved.
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
        self.blank: list[int] = []  # hierarchy rows that leave the cell empty (not a zero)
        for r in rows:
            v = view.value(r, key)
            x = number_or_zero(v)
            if x is not None:
                self.total += x
                self.printed += 1
            elif v.reason not in ("empty",):
                self.unsure.append(r)  # lost ('###'), or text where a number belongs
            elif view.level(r) in RANK:
                self.blank.append(r)
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


def _total_groups(view: TableView) -> list[tuple[int, list[int], list[int], str | None,
                                                  list[int]]]:
    """For each total row: (row, the top-level rows it covers, every top-level row, why its scope
    is not certain or None, the block totals a grand total may be the sum of).

    A total covers the top-level rows (programs) printed since the previous total, or, printed
    first, those up to the next one. Where one total closed every earlier block, a last block
    closed by two is closed by its own total and the grand total. A run of adjacent totals after
    one block (JUMLAH URUSAN A,
    JUMLAH URUSAN B, JUMLAH TOTAL) is mapped onto the urusan (or bidang) blocks of that block, in
    order, when there is one total per block (and maybe one more for everything); otherwise which
    rows each total covers is not known."""
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
    runs: list[list[int]] = []
    for t in totals:
        if runs and _adjacent(view, runs[-1][-1], t):
            runs[-1].append(t)
        else:
            runs.append([t])
    out = []
    prev_end = -1
    for n, run in enumerate(runs):
        next_start = runs[n + 1][0] if n + 1 < len(runs) else len(rows)
        before = [i for i in tops if prev_end < i < run[0]]
        covered = before or [i for i in tops if run[-1] < i < next_start]
        prev_end = run[-1]
        if not covered:
            continue
        if len(run) == 1:
            out.append((run[0], covered, tops, None, []))
            continue
        if len(run) == 2 and n == len(runs) - 1 and n > 0 and \
                all(len(r) == 1 for r in runs[:-1]):
            # one total closed every earlier block; the last block's second is the grand total
            out.append((run[0], covered, tops, None, []))
            out.append((run[1], tops, tops, None, [r[0] for r in runs]))
            continue
        blocks = _blocks(view, covered)
        if blocks and len(run) in (len(blocks), len(blocks) + 1):
            for t, block in zip(run, blocks):
                out.append((t, block, tops, None, []))
            if len(run) == len(blocks) + 1:
                out.append((run[-1], covered, tops, None, []))
            continue
        doubt = (f"which rows total row {run[0]} covers is not known ({len(run)} totals in a "
                 f"row, {len(blocks)} urusan/bidang blocks)")
        out.append((run[0], covered, tops, doubt, []))
    return out


def _adjacent(view: TableView, a: int, b: int) -> bool:
    """Only noise or empty rows between rows ``a`` and ``b``."""
    return all(r in view.noise or not any(c.strip() for c in view.rows[r].cells)
               for r in range(a + 1, b))


def _heads(view: TableView, covered: list[int]) -> dict[int, list[int]]:
    """The urusan (else bidang) rows heading the covered top-level rows → the rows each heads;
    empty when the table prints none or some covered row has none above it."""
    for container in ("urusan", "bidang"):
        heads = [r for r in range(len(view.rows)) if view.level(r) == container]
        if not heads:
            continue
        blocks: dict[int, list[int]] = {}
        for c in covered:
            head = next((h for h in reversed(heads) if h < c), None)
            if head is None:
                return {}
            blocks.setdefault(head, []).append(c)
        return blocks
    return {}


def _blocks(view: TableView, covered: list[int]) -> list[list[int]]:
    """The covered top-level rows split by the urusan (else bidang) row above them, in order."""
    heads = _heads(view, covered)
    return [heads[h] for h in sorted(heads)]


def _groups(view: TableView) -> Iterator[tuple[int, list[int], list[int], list[int], str,
                                               str | None, list[int]]]:
    """(parent row, direct money children, leaves, alternative children, what the children are,
    why the parent's scope is not certain or None, the urusan/bidang rows heading the children
    of a total: a total that equals their sum is right, a wrong subtotal is reported on them)."""
    tree = view.tree
    for p in range(len(view.rows)):
        rank = RANK.get(view.level(p))
        if rank is None or not tree.children(p):
            continue
        if rank == 0:  # urusan: Σ its bidang where it prints them, else Σ its programs
            bidang = [c for c in tree.children(p) if view.level(c) == "bidang"]
            if bidang and len(bidang) == len(tree.children(p)):
                yield p, _with_indicators(view, bidang), tree.leaves(p), [], "bidang", None, []
                continue
        if rank <= 1:  # urusan, bidang: Σ programs under them
            programs = _program_rows_under(view, p)
            if not programs:
                continue
            yield p, _with_indicators(view, programs), tree.leaves(p), [], "programs", None, []
        else:
            yield p, tree.money_children(p), tree.leaves(p), [], "children", None, []
    for t, covered, tops, doubt, subtotals in _total_groups(view):
        everything = _with_indicators(view, tops) if covered != tops else []
        yield t, _with_indicators(view, covered), _leaves_of(view, covered), everything, \
            "programs" if view.level(covered[0]) == "program" else "rows", doubt, \
            subtotals or sorted(_heads(view, covered))


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
        for p, kids, leaves, alternative, what, scope_doubt, heads in _groups(view):
            direct = _Sum(view, kids, key)
            if not direct.printed:
                continue  # nothing printed below: no claim
            pv = view.value(p, key)
            p_unsure = not view.confident(p, key)
            doubts = _doubts(view, p, kids, direct, scope_doubt)
            if pv.number is None and pv.reason != "nil":
                if pv.reason == "empty" and direct.total != 0 and \
                        peers.get(view.level(p), 0) > 0 and _prints_money(view, p):
                    doubts = [d for d in doubts if not d.startswith("blank")]
                    sev = "warning" if direct.unsure or doubts else "error"
                    yield view.finding(
                        "parent_sum", sev, p, key,
                        f"{view.level(p)} leaves {key} empty although its {what} "
                        f"({_rows_text(kids)}) carry {format_id(direct.total, 2)}"
                        + _why(doubts),
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
            if heads and (h := _Sum(view, heads, key)).printed == len(heads) and \
                    _same(h.total, pv):
                continue  # = Σ of its urusan rows: a wrong sum below them is reported there
            dec = printed_decimals(pv)
            leaf = _Sum(view, leaves, key)
            intermediate = sorted(set(leaves)) != sorted(set(kids))
            if intermediate and leaf.printed and _same(leaf.total, pv):
                wrong = _wrong_subtotals(view, kids, key)
                where = f" (rows {', '.join(map(str, wrong))}, reported there)" if wrong else ""
                # The sum this row claims fails (an error on it), though the cause is below.
                yield view.finding(
                    "parent_sum", "warning" if direct.unsure or p_unsure or doubts else "error",
                    p, key,
                    f"{key} of this {view.level(p)} ≠ Σ its {what} ({_rows_text(kids)}) = "
                    f"{format_id(direct.total, dec)}, but = Σ of the rows below them "
                    f"({format_id(leaf.total, dec)}): a subtotal below is wrong{where}"
                    + _why(doubts),
                    expected=format_id(direct.total, dec))
                continue
            unsure = direct.unsure or p_unsure or doubts
            note = f"; Σ of the lowest rows = {format_id(leaf.total, dec)}" \
                if intermediate and leaf.printed else ""
            yield view.finding(
                "parent_sum", "warning" if unsure else "error", p, key,
                f"{key} of this {view.level(p)} should be Σ its {what} ({_rows_text(kids)}) = "
                f"{format_id(direct.total, dec)}; difference printed − computed = "
                f"{format_id(number_or_zero(pv) - direct.total, dec)}{note}"
                + (f"; cannot be verified: rows {sorted(set(direct.unsure))} unreadable"
                   if direct.unsure else "")
                + ("; " + (view.misread(p, key) or "this cell was read with low confidence")
                   if p_unsure else "")
                + "".join(f"; row {r}: {m}" for r in sorted(set(direct.unsure))
                          if (m := view.misread(r, key)))
                + _why(doubts),
                expected=format_id(direct.total, dec))


def _doubts(view: TableView, p: int, kids: list[int], direct: _Sum,
            scope_doubt: str | None) -> list[str]:
    """Why a parent-sum relation cannot be proved: the parent's scope, the levels of the rows
    it reads, children that leave the cell blank."""
    out = [scope_doubt] if scope_doubt else []
    out += view.structure_doubts([p, *(k for k in kids if view.level(k) != "indicator")])
    if direct.blank:
        out.append(f"blank in {_rows_text(direct.blank)} (a blank cell is not a zero)")
    return out


def _why(doubts: list[str]) -> str:
    return "; cannot be proved: " + "; ".join(doubts) if doubts else ""


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


@rule("average", kinds=PROGRAM_KINDS, any_of=True, reads=list(AVERAGED))
def average(view: TableView) -> Iterator[Finding]:
    """An average row ('Rata-rata capaian kinerja') = mean of the capaian of the sub kegiatan /
    indicator rows of its program (all of them for a total average); flagged only when no
    documented convention (rows with target > 0, all rows, rows with own target > 0; mean of
    printed or of unrounded values) reproduces the printed value. A single average row closing
    a table of several programs may be the program's or the table's: either scope holds. Where a
    convention cannot be computed (the targets it selects rows by were not read as numbers) the
    failure is a warning, not proof."""
    averages = [a for a in range(len(view.rows)) if view.level(a) == "average"]
    for a in averages:
        scope, rows = average_scope(view, a)
        if not rows:
            continue
        scopes = [(scope, rows)]
        if scope == "program" and len(averages) == 1:
            whole = average_scope_total(view)
            if whole and whole != rows:
                scopes.append(("total", whole))
        for col in AVERAGED:
            if not view.has(col):
                continue
            pv = view.value(a, col)
            if pv.number is None:
                continue
            found = [(name, rows_, average_candidates(view, rows_, col)) for name, rows_ in scopes]
            found = [f for f in found if f[2]]
            if not found:
                continue
            if any(matches_printed(m, pv) for _, _, c in found for m in c.values()):
                continue
            scope, rows, candidates = found[0]
            unsure = [r for r in rows if not view.confident(r, col)]
            unread = _unread_selectors(view, rows, col)
            doubts = view.structure_doubts([a, *rows])
            if len(found) < len(scopes):
                # One of the scopes could not be computed: the failure of the other proves nothing.
                doubts.append("a single average row may be its program's or the table's")
            if unread:
                doubts.append(f"{', '.join(unread)} not read as numbers, so the rows the "
                              f"conventions select cannot be told")
            dec = printed_decimals(pv)
            main_name, main = next(iter(candidates.items()))
            others = "; ".join(f"{n} = {plain(m)}" for n, m in list(candidates.items())[1:])
            sev = "warning" if unsure or doubts or not view.confident(a, col) else "error"
            yield view.finding(
                "average", sev, a, col,
                f"{scope} average of {col} over {_rows_text(rows)}: {main_name} = {plain(main)}"
                f", printed {view.text(a, col).strip()}; no convention reproduces it "
                f"({others})" + (f"; rows {unsure} unreadable" if unsure else "") + _why(doubts),
                expected=format_id(round_half_up(main, dec), dec))


def average_scope_total(view: TableView) -> list[int]:
    """The rows a table-wide average is the mean of: every lowest hierarchy row."""
    tree = view.tree
    return sorted({x for r in range(len(view.rows))
                   if view.level(r) in RANK and not tree.children(r)
                   for x in tree.with_indicators(r)})


def _unread_selectors(view: TableView, rows: list[int], col: str) -> list[str]:
    """The columns the average conventions select rows by (this year's target, the ratio's
    denominator) whose cells in ``rows`` hold text that was not read as a number."""
    _, den_key, year_key = AVERAGED[col]
    out = []
    for key in dict.fromkeys((year_key, den_key)):
        if not view.has(key):
            continue
        if any(view.value(r, key).reason in ("text", "unparsed") for r in rows):
            out.append(key)
    return out


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
