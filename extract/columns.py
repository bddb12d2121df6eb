"""Column boundaries of a table that draws horizontal rules only.

With no vertical rules, the columns are where the body text is not: over all body rows of the
table (pooled across its pages, so a page with two rows still gets good columns) we mark every
x covered by ink or by the inside of a word, and each empty run between ink is a boundary.
Header-only columns (a ``Keterangan`` column that is never filled) come from header text that
sits wholly inside such an empty run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Resolution of the occupancy grid, points.
STEP = 0.25
# An empty run narrower than this is a word space, not a column gap (points).
MIN_COLUMN_GAP = 1.6
# Glyphs of one line closer than this share of the font size count as one ink run: inside a
# word for body text; across word spaces for header text, whose phrases must stay whole.
WORD_JOIN_RATIO = 0.17
PHRASE_JOIN_RATIO = 0.35

# How far (points) a boundary guessed from the column numbers may move to reach a text gap.
SNAP_DISTANCE = 8.0

NUMBER_ROW_TOKEN = re.compile(r"^\d{1,2}[a-z]?$|^[=+\-x×/*%().\d]+$")


@dataclass
class Band:
    """The text of one atomic row of a rules-only table: per line, its top and glyph extents."""

    lines: list[tuple[float, list[tuple[float, float]]]]
    text: str
    font_size: float = 7.0
    line_texts: list[str] = field(default_factory=list)
    text_lines: list = field(default_factory=list, repr=False)  # the band's TextLines, kept for reuse

    def ink_runs(self, join_ratio: float = WORD_JOIN_RATIO) -> list[tuple[float, float]]:
        return [(a, b) for _, a, b in self.ink_runs_at(join_ratio)]

    def ink_runs_at(self, join_ratio: float = WORD_JOIN_RATIO) -> list[tuple[float, float, float]]:
        """(top, x0, x1) of each run of ink, glyphs closer than ``join_ratio`` em joined."""
        runs: list[tuple[float, float, float]] = []
        for top, glyphs in self.lines:
            line_runs: list[list[float]] = []
            for x0, x1 in sorted(glyphs):
                if line_runs and x0 - line_runs[-1][1] <= join_ratio * self.font_size:
                    line_runs[-1][1] = max(line_runs[-1][1], x1)
                else:
                    line_runs.append([x0, x1])
            runs.extend((top, a, b) for a, b in line_runs)
        return runs


def is_number_row(text: str) -> bool:
    """A header row of column numbers: ``1 2 3 … 12 = 8+9+10+11`` or ``5 5 6 6 …``."""
    tokens = text.split()
    if len(tokens) < 3:
        return False
    numeric = sum(bool(NUMBER_ROW_TOKEN.match(t)) for t in tokens)
    # Column numbers may be printed bare or in parentheses: "5", "(5)".
    return numeric == len(tokens) and sum(t.strip("()").isdigit() for t in tokens) >= 3


def header_blocks(header: list[Band]) -> list[tuple[float, float]]:
    """x-extents of the header's text blocks: phrases stacked in one cell joined into one block.

    A header cell prints a few centred lines; its widest line shows the width of its column.
    """
    blocks: list[list[float]] = []  # [x0, x1, last_top, line_height]
    for band in header:
        line_height = band.font_size * 1.6
        for top, a, b in sorted(band.ink_runs_at(PHRASE_JOIN_RATIO)):
            for block in blocks:
                if 0 < top - block[2] <= line_height and a < block[1] and b > block[0]:
                    block[0], block[1], block[2] = min(block[0], a), max(block[1], b), top
                    break
            else:
                blocks.append([a, b, top, line_height])
    return [(b[0], b[1]) for b in blocks]


def _occupancy(x0: float, n: int, bands: list[Band]) -> list[int]:
    counts = [0] * n
    for band in bands:
        seen = [False] * n
        for a, b in band.ink_runs():
            for i in range(max(0, int((a - x0) / STEP)), min(n - 1, int((b - x0) / STEP)) + 1):
                seen[i] = True
        for i, hit in enumerate(seen):
            counts[i] += hit
    return counts


def infer_column_edges(x0: float, x1: float, body: list[Band], header: list[Band],
                       number_rows: list[Band] = ()) -> list[float]:
    """Column edges from x0 to x1 for the bands of one table.

    ``header`` are the top header bands (cells that run the header's full height, where an
    empty ``Keterangan`` column prints its only text); ``number_rows`` are the header rows of column numbers: one number per leaf column, so two
    numbers in one found column split it where the body has least ink.
    """
    n = max(1, int((x1 - x0) / STEP) + 1)
    counts = _occupancy(x0, n, body)
    complete = next((band for band in number_rows if numbers_every_column(band.text)), None)
    if complete is not None:
        # Where neither body text nor a header word is: an edge there cuts nothing.
        clear = [c + h for c, h in zip(counts, _occupancy(x0, n, header))]
        return _edges_between_numbers(x0, x1, counts, complete.ink_runs(), clear)

    # Empty runs (start, end) in points.
    runs: list[tuple[float, float]] = []
    start = None
    for i, count in enumerate(counts + [1]):
        if count == 0 and start is None:
            start = i
        elif count and start is not None:
            runs.append((x0 + start * STEP, x0 + i * STEP))
            start = None

    blocks = header_blocks(header)
    header_ink = _occupancy(x0, n, header)
    edges = [x0, x1]
    for a, b in runs:
        at_left, at_right = a <= x0 + STEP, b >= x1 - STEP
        inside = sorted((h0, h1) for h0, h1 in blocks if h0 >= a and h1 <= b)
        if not inside:
            if not at_left and not at_right and b - a >= MIN_COLUMN_GAP:
                edges.append(_least_header_ink(a, b, x0, header_ink))
            continue
        # Header text alone in this gap: a column of its own (cut where the header's ink ends).
        lo, hi = inside[0][0], max(h1 for _, h1 in inside)
        if not at_left:
            edges.append((a + lo) / 2)
        if not at_right:
            edges.append((hi + b) / 2)
    edges = sorted(set(round(e, 2) for e in edges))
    return _split_by_numbers(edges, x0, counts, number_rows)


def _least_header_ink(a: float, b: float, x0: float, header_ink: list[int]) -> float:
    """The x in the empty body run [a, b] that cuts the fewest header words, nearest its middle."""
    lo, hi = int((a - x0) / STEP), min(len(header_ink) - 1, int((b - x0) / STEP))
    if hi <= lo:
        return (a + b) / 2
    mid = (lo + hi) / 2
    best = min(range(lo, hi + 1), key=lambda i: (header_ink[i], abs(i - mid)))
    return x0 + best * STEP


def numbers_every_column(text: str) -> bool:
    """A number row that numbers every column from 1 (``1 2 3 4 4 5 … 8=(7-5)``)."""
    leading = [re.match(r"\d+", t) for t in text.split()]
    if not leading or not all(leading):
        return False
    values = [int(m.group()) for m in leading]
    return values[0] == 1 and all(0 <= b - a <= 1 for a, b in zip(values, values[1:]))


def _edges_between_numbers(x0: float, x1: float, counts: list[int],
                           tokens: list[tuple[float, float]], clear: list[int]) -> list[float]:
    """One column per number. A column number is printed centred in its column, so each right
    edge mirrors the left edge about the number's centre; the guess is then moved to the
    nearest x that no body text covers (the true gap), so errors do not add up.
    """
    edges = [x0]
    for a, b in tokens[:-1]:
        guess = 2 * (a + b) / 2 - edges[-1]
        snapped = _snap(guess, x0, clear)
        if snapped == guess:
            snapped = _snap(guess, x0, counts)
        edges.append(round(snapped, 2))
    edges.append(x1)
    return edges if all(p < q for p, q in zip(edges, edges[1:])) else sorted(set(edges))


def _snap(guess: float, x0: float, counts: list[int]) -> float:
    """The x nearest ``guess`` (within ``SNAP_DISTANCE``) where no body text is, else the guess."""
    centre = int((guess - x0) / STEP)
    reach = int(SNAP_DISTANCE / STEP)
    best = None
    for offset in range(reach + 1):
        for i in (centre - offset, centre + offset):
            if 0 <= i < len(counts) and counts[i] == 0:
                best = i
                break
        if best is not None:
            break
    if best is None:
        return guess
    # Move to the middle of that empty run, capped at the distance we searched.
    lo = hi = best
    while lo > 0 and counts[lo - 1] == 0 and best - lo < reach:
        lo -= 1
    while hi < len(counts) - 1 and counts[hi + 1] == 0 and hi - best < reach:
        hi += 1
    return x0 + (lo + hi) / 2 * STEP


def _split_by_numbers(edges: list[float], x0: float, counts: list[int],
                      number_rows: list[Band]) -> list[float]:
    extra: list[float] = []
    for band in number_rows:
        tokens = band.ink_runs()
        for left, right in zip(edges, edges[1:]):
            inside = sorted((a, b) for a, b in tokens if a >= left and b <= right)
            for (_, a_end), (b_start, _) in zip(inside, inside[1:]):
                lo, hi = int((a_end - x0) / STEP), int((b_start - x0) / STEP)
                if hi <= lo:
                    continue
                best = min(range(lo, hi + 1), key=lambda i: (counts[i], abs(i - (lo + hi) / 2)))
                extra.append(round(x0 + best * STEP, 2))
    return sorted(set(edges) | set(extra))
