"""Column boundaries of a table that draws horizontal rules only.

With no vertical rules, the columns are where the body text is not: over all body rows of the
table (pooled across its pages, so a page with two rows still gets good columns) we mark every
x covered by ink or by the inside of a word, and each empty run between ink is a boundary.
Header-only columns (a ``Keterangan`` column that is never filled) come from header text that
sits wholly inside such an empty run. The tolerances (``column_step``, ``min_column_gap``,
``word_join_ratio``, ``phrase_join_ratio``, ``snap_distance``) are fields of
:class:`.settings.ExtractSettings`. Units: PDF points, origin top-left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

__getattr__ = legacy_constants(__name__, {
    "STEP": "column_step", "MIN_COLUMN_GAP": "min_column_gap", "WORD_JOIN_RATIO": "word_join_ratio",
    "PHRASE_JOIN_RATIO": "phrase_join_ratio", "SNAP_DISTANCE": "snap_distance",
})

# A token of a column-number row: "12", "5a", "(4)", "8=(7-5)".
NUMBER_ROW_TOKEN = re.compile(r"^\d{1,2}[a-z]?$|^[=+\-x×/*%().\d]+$")


@dataclass
class Band:
    """The text of one atomic row of a rules-only table: per line, its top and glyph extents."""

    lines: list[tuple[float, list[tuple[float, float]]]]
    text: str
    font_size: float = 7.0
    line_texts: list[str] = field(default_factory=list)
    text_lines: list = field(default_factory=list, repr=False)  # the band's TextLines, kept for reuse

    def ink_runs(self, join_ratio: float = DEFAULT_SETTINGS.word_join_ratio) -> list[tuple[float, float]]:
        """(x0, x1) of each run of ink, glyphs closer than ``join_ratio`` em joined (pass
        ``settings.word_join_ratio`` for body text)."""
        return [(a, b) for _, a, b in self.ink_runs_at(join_ratio)]

    def ink_runs_at(self, join_ratio: float = DEFAULT_SETTINGS.word_join_ratio) -> list[tuple[float, float, float]]:
        """(top, x0, x1) of each run of ink, glyphs closer than ``join_ratio`` em joined."""
        runs: list[tuple[float, float, float]] = []
        join = join_ratio * self.font_size
        for top, glyphs in self.lines:
            line_runs: list[list[float]] = []
            for x0, x1 in sorted(glyphs):
                if line_runs and x0 - line_runs[-1][1] <= join:
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


def header_blocks(header: list[Band], settings: ExtractSettings = DEFAULT_SETTINGS) -> list[tuple[float, float]]:
    """x-extents of the header's text blocks: phrases (glyphs within
    ``settings.phrase_join_ratio`` em) stacked in one cell (each within
    ``settings.header_line_pitch`` em below the one above) joined into one block.

    A header cell prints a few centred lines; its widest line shows the width of its column.
    """
    blocks: list[list[float]] = []  # [x0, x1, last_top, line_height]
    for band in header:
        line_height = band.font_size * settings.header_line_pitch
        for top, a, b in sorted(band.ink_runs_at(settings.phrase_join_ratio)):
            for block in blocks:
                if 0 < top - block[2] <= line_height and a < block[1] and b > block[0]:
                    block[0], block[1], block[2] = min(block[0], a), max(block[1], b), top
                    break
            else:
                blocks.append([a, b, top, line_height])
    return [(b[0], b[1]) for b in blocks]


def _occupancy(x0: float, n: int, bands: list[Band], settings: ExtractSettings) -> list[int]:
    """Per grid step from ``x0`` (``n`` steps): how many bands have ink there."""
    step, join = settings.column_step, settings.word_join_ratio
    counts = np.zeros(n, dtype=np.int64)
    for band in bands:
        seen = np.zeros(n, dtype=bool)
        for a, b in band.ink_runs(join):
            first, last = max(0, int((a - x0) / step)), min(n - 1, int((b - x0) / step))
            if first <= last:
                seen[first:last + 1] = True
        counts += seen
    return counts.tolist()


def infer_column_edges(x0: float, x1: float, body: list[Band], header: list[Band],
                       number_rows: list[Band] = (), settings: ExtractSettings = DEFAULT_SETTINGS) -> list[float]:
    """Column edges from x0 to x1 for the bands of one table.

    ``header`` are the top header bands (cells that run the header's full height, where an
    empty ``Keterangan`` column prints its only text); ``number_rows`` are the header rows of
    column numbers: one number per leaf column, so two numbers in one found column split it
    where the body has least ink. ``settings``: the ``columns`` fields (grid step, gap, join
    ratios, snap distance).
    """
    step = settings.column_step
    n = max(1, int((x1 - x0) / step) + 1)
    counts = _occupancy(x0, n, body, settings)
    complete = None
    for band in number_rows:
        cells = number_cells(band, settings)
        if numbers_every_column([text for _, _, text in cells]):
            complete = [(a, b) for a, b, _ in cells]
            break
    if complete is not None:
        # Where neither body text nor a header word is: an edge there cuts nothing.
        clear = [c + h for c, h in zip(counts, _occupancy(x0, n, header, settings))]
        return _edges_between_numbers(x0, x1, counts, complete, clear, settings)

    # Empty runs (start, end) in points.
    runs: list[tuple[float, float]] = []
    start = None
    for i, count in enumerate(counts + [1]):
        if count == 0 and start is None:
            start = i
        elif count and start is not None:
            runs.append((x0 + start * step, x0 + i * step))
            start = None

    blocks = header_blocks(header, settings)
    tokens = [run for band in number_rows for run in band.ink_runs(settings.word_join_ratio)]
    header_ink = _occupancy(x0, n, header, settings)
    edges = [x0, x1]
    for a, b in runs:
        at_left, at_right = a <= x0 + step, b >= x1 - step
        # Header text alone in a body gap is a column of its own (an empty Keterangan), unless a
        # column number or unit label (K | Rp) stands in the gap: then that row places the
        # columns (split below), and a group label centred over them (TARGET) is no column.
        enumerated = any(a <= (t0 + t1) / 2 <= b for t0, t1 in tokens)
        inside = [] if enumerated else sorted((h0, h1) for h0, h1 in blocks if h0 >= a and h1 <= b)
        if not inside:
            if not at_left and not at_right and b - a >= settings.min_column_gap:
                edges.append(_least_header_ink(a, b, x0, header_ink, step))
            continue
        # Header text alone in this gap: a column of its own (cut where the header's ink ends).
        lo, hi = inside[0][0], max(h1 for _, h1 in inside)
        if not at_left:
            edges.append((a + lo) / 2)
        if not at_right:
            edges.append((hi + b) / 2)
    edges = sorted(set(round(e, 2) for e in edges))
    return _split_by_numbers(edges, x0, counts, number_rows, settings)


def _least_header_ink(a: float, b: float, x0: float, header_ink: list[int], step: float) -> float:
    """The x in the empty body run [a, b] that cuts the fewest header words, nearest its middle
    (``header_ink`` per grid ``step`` from ``x0``)."""
    lo, hi = int((a - x0) / step), min(len(header_ink) - 1, int((b - x0) / step))
    if hi <= lo:
        return (a + b) / 2
    mid = (lo + hi) / 2
    best = min(range(lo, hi + 1), key=lambda i: (header_ink[i], abs(i - mid)))
    return x0 + best * step


def number_cells(band: Band, settings: ExtractSettings = DEFAULT_SETTINGS) -> list[tuple[float, float, str]]:
    """The cells of a column-number row: (x0, x1, text) per printed number or formula, left to
    right. Glyphs within ``settings.phrase_join_ratio`` em are one phrase (``9 = 7/5 x 100%``),
    and a formula wrapped over lines in its narrow cell (stacked within
    ``settings.header_line_pitch`` em) is one cell."""
    size = band.font_size
    cells: list[list] = []  # [x0, x1, last_top, text]
    for line in sorted(band.text_lines, key=lambda ln: ln.bbox.top):
        phrases: list[list] = []
        prev_x1 = None
        for ch, (g0, g1) in zip(line.text, line.glyph_x):
            if ch == " " and g1 <= g0:
                continue  # a space the line grouping inserted: no glyph, no ink
            if phrases and prev_x1 is not None and g0 - prev_x1 <= settings.phrase_join_ratio * size:
                phrases[-1][1] = max(phrases[-1][1], g1)
                phrases[-1][2] += ch
            else:
                phrases.append([g0, g1, ch])
            prev_x1 = g1
        top = line.bbox.top
        for a, b, text in phrases:
            text = " ".join(text.split())
            for cell in cells:
                if (0 < top - cell[2] <= settings.header_line_pitch * size and a < cell[1] and b > cell[0]):
                    cell[0], cell[1], cell[2], cell[3] = min(cell[0], a), max(cell[1], b), top, cell[3] + " " + text
                    break
            else:
                cells.append([a, b, top, text])
    return [(c[0], c[1], c[3]) for c in sorted(cells, key=lambda c: c[0])]


def numbers_every_column(text: str | list[str]) -> bool:
    """A number row that numbers every column from 1 (``1 2 3 4 4 5 … 8=(7-5)``): ``text`` is the
    row's text (tokens split at spaces) or its cells' texts (see :func:`number_cells`)."""
    tokens = text.split() if isinstance(text, str) else text
    leading = [re.match(r"\(?(\d+)", t) for t in tokens]
    if not leading or not all(leading):
        return False
    values = [int(m.group(1)) for m in leading]
    return values[0] == 1 and all(0 <= b - a <= 1 for a, b in zip(values, values[1:]))


def _edges_between_numbers(x0: float, x1: float, counts: list[int],
                           tokens: list[tuple[float, float]], clear: list[int],
                           settings: ExtractSettings) -> list[float]:
    """One column per number. A column number is printed centred in its column, so each right
    edge mirrors the left edge about the number's centre; the guess is then moved to the
    nearest x that no body text covers (the true gap), so errors do not add up.
    """
    edges = [x0]
    for a, b in tokens[:-1]:
        guess = 2 * (a + b) / 2 - edges[-1]
        snapped = _snap(guess, x0, clear, settings)
        if snapped == guess:
            snapped = _snap(guess, x0, counts, settings)
        edges.append(round(snapped, 2))
    edges.append(x1)
    return edges if all(p < q for p, q in zip(edges, edges[1:])) else sorted(set(edges))


def _snap(guess: float, x0: float, counts: list[int], settings: ExtractSettings) -> float:
    """The x nearest ``guess`` (within ``settings.snap_distance``) where no body text is, else
    the guess."""
    step = settings.column_step
    centre = int((guess - x0) / step)
    reach = int(settings.snap_distance / step)
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
    return x0 + (lo + hi) / 2 * step


def _split_by_numbers(edges: list[float], x0: float, counts: list[int],
                      number_rows: list[Band], settings: ExtractSettings) -> list[float]:
    step = settings.column_step
    extra: list[float] = []
    for band in number_rows:
        tokens = band.ink_runs(settings.word_join_ratio)
        for left, right in zip(edges, edges[1:]):
            inside = sorted((a, b) for a, b in tokens if a >= left and b <= right)
            for (_, a_end), (b_start, _) in zip(inside, inside[1:]):
                lo, hi = int((a_end - x0) / step), int((b_start - x0) / step)
                if hi <= lo:
                    continue
                best = min(range(lo, hi + 1), key=lambda i: (counts[i], abs(i - (lo + hi) / 2)))
                extra.append(round(x0 + best * step, 2))
    return sorted(set(edges) | set(extra))
