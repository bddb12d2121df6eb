"""Build a table's cells from its grid of edges and the boundaries that are really drawn.

Both kinds of table end here: a lattice tells its boundaries by the rules that are drawn; a
table with horizontal rules only tells its vertical boundaries by the text that does *not*
cross them. Atomic cells with no boundary between them are one merged cell. The tolerances
(``edge_cluster``, ``space_attach``) are fields of :class:`.settings.ExtractSettings`.
"""

from __future__ import annotations

import bisect

from collections.abc import Callable

from renjana.models import BBox, RawCell, TextLine

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


def build_cells(col_edges: list[float], row_edges: list[float],
                has_vertical: Callable[[int, int], bool],
                has_horizontal: Callable[[int, int], bool],
                chars: list[dict], settings: ExtractSettings = DEFAULT_SETTINGS) -> list[RawCell]:
    """Merge atomic cells and fill them with text lines.

    ``has_vertical(row, k)`` says the boundary at ``col_edges[k]`` is drawn in atomic row
    ``row``; ``has_horizontal(k, col)`` says the boundary at ``row_edges[k]`` is drawn in
    atomic column ``col``. ``settings``: ``space_attach`` and the text-line tolerances.
    """
    space_attach = settings.space_attach
    n_rows, n_cols = len(row_edges) - 1, len(col_edges) - 1
    groups = merge_atomic_cells(n_rows, n_cols, has_vertical, has_horizontal)
    owner = {member: root for root, members in groups.items() for member in members}

    # Chars go to the atomic cell holding their centre; a space glyph goes with the character it
    # follows (in a narrow column the space after a word can stick out past the cell's edge).
    by_cell: dict[int, list[dict]] = {}
    prev: dict | None = None
    prev_cell: int | None = None
    x_lo, x_hi, y_lo, y_hi = col_edges[0], col_edges[-1], row_edges[0], row_edges[-1]
    last_col, last_row = len(col_edges) - 2, len(row_edges) - 2
    for ch in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        cell = None
        if (ch["text"].isspace() and prev is not None and abs(ch["top"] - prev["top"]) < 1
                and abs(ch["x0"] - prev["x1"]) < space_attach):
            cell = prev_cell
        else:
            # The atomic cell holding the centre (the last interval includes its right end).
            x = (ch["x0"] + ch["x1"]) / 2
            y = (ch["top"] + ch["bottom"]) / 2
            if x_lo <= x <= x_hi and y_lo <= y <= y_hi:
                c = min(bisect.bisect_right(col_edges, x) - 1, last_col)
                r = min(bisect.bisect_right(row_edges, y) - 1, last_row)
                cell = owner[(r, c)]
        if cell is not None:
            by_cell.setdefault(cell, []).append(ch)
        prev, prev_cell = ch, cell

    cells: list[RawCell] = []
    for root, members in groups.items():
        rows = [m[0] for m in members]
        cols = [m[1] for m in members]
        r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
        lines: list[TextLine] = group_lines(by_cell.get(root, []), settings)
        cells.append(RawCell(
            row=r0, col=c0, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1,
            bbox=BBox(x0=col_edges[c0], top=row_edges[r0], x1=col_edges[c1 + 1], bottom=row_edges[r1 + 1]),
            lines=lines,
        ))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return cells

