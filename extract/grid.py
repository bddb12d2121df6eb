"""Build a table's cells from its grid of edges and the boundaries that are really drawn.

Both kinds of table end here: a lattice tells its boundaries by the rules that are drawn; a
table with horizontal rules only tells its vertical boundaries by the text that does *not*
cross them. Atomic cells with no boundary between them are one merged cell. The tolerances
(``edge_cluster``, ``space_attach``) are fields of :class:`.settings.ExtractSettings`.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

import numpy as np

from renjana.models import BBox, RawCell, TextLine

from .glyphs import BOX_KEYS, glyph_column
from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants
from .text_lines import group_lines

__getattr__ = legacy_constants(__name__, {"EDGE_CLUSTER": "edge_cluster", "SPACE_ATTACH": "space_attach"})


def cluster_positions(values: list[float], tolerance: float = DEFAULT_SETTINGS.edge_cluster) -> list[float]:
    """Sorted positions with near-equal ones (gaps up to ``tolerance`` points, chained) folded
    into their mean; pass ``settings.edge_cluster`` as ``tolerance``."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def merge_atomic_cells(n_rows: int, n_cols: int, has_vertical: Callable[[int, int], bool],
                       has_horizontal: Callable[[int, int], bool]) -> dict[int, list[tuple[int, int]]]:
    """The merged cells of an ``n_rows`` × ``n_cols`` grid: atomic cells joined wherever the
    boundary between them is not drawn (``has_vertical(row, k)``: the boundary left of atomic
    column ``k`` in ``row``; ``has_horizontal(k, col)``: the boundary above atomic row ``k`` in
    ``col``). Returns a key per merged cell → its atomic (row, col) members, rows then columns."""
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(1, n_cols):
            if not has_vertical(r, c):
                parent[find(r * n_cols + c - 1)] = find(r * n_cols + c)
    for r in range(1, n_rows):
        for c in range(n_cols):
            if not has_horizontal(r, c):
                parent[find((r - 1) * n_cols + c)] = find(r * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    return groups


def _chars_by_cell(col_edges: list[float], row_edges: list[float], groups: dict[int, list[tuple[int, int]]],
                   chars: list[dict], space_attach: float,
                   boxes: list[np.ndarray] | None = None, space: np.ndarray | None = None) -> dict[int, list[dict]]:
    """The chars of each merged cell (``groups``: :func:`merge_atomic_cells`), in reading order
    (rounded top, then x0).

    A char goes to the atomic cell holding its centre (the last interval includes its right
    end); a space glyph goes with the char it follows in reading order when it stands on the
    same line (tops within 1 pt) and within ``space_attach`` points of it (in a narrow column
    the space after a word can stick out past the cell's edge). Chars whose centre is outside
    the grid go nowhere. Done on arrays: this runs on every char of every table. ``boxes``: the
    chars' :data:`.glyphs.BOX_KEYS` as arrays, ``space``: which chars are space glyphs, when the
    caller has them.
    """
    n_rows, n_cols = len(row_edges) - 1, len(col_edges) - 1
    if not chars or n_rows < 1 or n_cols < 1:
        return {}
    x0, x1, top, bottom = boxes if boxes is not None else [glyph_column(chars, key) for key in BOX_KEYS]
    if space is None:
        space = np.fromiter(map(str.isspace, map(itemgetter("text"), chars)), dtype=bool, count=len(chars))
    # Reading order; lexsort is stable, as Python's sort is (np.rint rounds half to even, as round()).
    order = np.lexsort((x0, np.rint(top)))
    x0, x1, top, bottom, space = x0[order], x1[order], top[order], bottom[order], space[order]
    x, y = (x0 + x1) / 2, (top + bottom) / 2
    col = np.minimum(np.searchsorted(col_edges, x, side="right") - 1, n_cols - 1)
    row = np.minimum(np.searchsorted(row_edges, y, side="right") - 1, n_rows - 1)
    owner = np.empty((n_rows, n_cols), dtype=np.int64)
    for root, members in groups.items():
        for r, c in members:
            owner[r, c] = root
    inside = (col_edges[0] <= x) & (x <= col_edges[-1]) & (row_edges[0] <= y) & (y <= row_edges[-1])
    cell = np.where(inside, owner[row.clip(0), col.clip(0)], -1)
    follows = np.zeros(len(chars), dtype=bool)
    follows[1:] = space[1:] & (np.abs(top[1:] - top[:-1]) < 1) & (np.abs(x0[1:] - x1[:-1]) < space_attach)
    if follows.any():
        # A space after an attached space gets its cell too: a run of attached spaces takes the
        # cell of the char right before the run (the first char never follows).
        lead = np.maximum.accumulate(np.where(follows, 0, np.arange(len(chars))))
        cell = cell[lead]
    # The chars of each cell, kept in reading order (a stable sort by cell), cut where the cell changes.
    placed = cell >= 0
    cell, order = cell[placed], order[placed]
    if not len(cell):
        return {}
    by = np.argsort(cell, kind="stable")
    cell, order = cell[by], order[by]
    taken = [chars[i] for i in order.tolist()]
    starts = [0, *(np.flatnonzero(np.diff(cell)) + 1).tolist()]
    ends = [*starts[1:], len(taken)]
    return {key: taken[start:end] for key, start, end in zip(cell[starts].tolist(), starts, ends)}


def build_cells(col_edges: list[float], row_edges: list[float],
                has_vertical: Callable[[int, int], bool],
                has_horizontal: Callable[[int, int], bool],
                chars: list[dict], settings: ExtractSettings = DEFAULT_SETTINGS,
                boxes: list[np.ndarray] | None = None, space: np.ndarray | None = None) -> list[RawCell]:
    """Merge atomic cells and fill them with text lines.

    ``has_vertical(row, k)`` says the boundary at ``col_edges[k]`` is drawn in atomic row
    ``row``; ``has_horizontal(k, col)`` says the boundary at ``row_edges[k]`` is drawn in
    atomic column ``col``. ``settings``: ``space_attach`` and the text-line tolerances.
    ``boxes``: the chars' boxes as arrays (:data:`.glyphs.BOX_KEYS`), ``space``: which chars are
    space glyphs (bools), when the caller has them.
    """
    n_rows, n_cols = len(row_edges) - 1, len(col_edges) - 1
    groups = merge_atomic_cells(n_rows, n_cols, has_vertical, has_horizontal)
    by_cell = _chars_by_cell(col_edges, row_edges, groups, chars, settings.space_attach, boxes, space)
    cells: list[RawCell] = []
    for root, members in groups.items():
        # Members are listed rows then columns: the first and last hold the lowest and highest row.
        cols = [m[1] for m in members]
        r0, r1, c0, c1 = members[0][0], members[-1][0], min(cols), max(cols)
        chars_in = by_cell.get(root)
        lines: list[TextLine] = group_lines(chars_in, settings) if chars_in else []
        cells.append(RawCell(
            row=r0, col=c0, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1,
            bbox=BBox(x0=col_edges[c0], top=row_edges[r0], x1=col_edges[c1 + 1], bottom=row_edges[r1 + 1]),
            lines=lines,
        ))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return cells

