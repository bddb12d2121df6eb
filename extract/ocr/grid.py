"""Tables on a page image: groups of ruling lines, their atomic grid, and merged cells.

Works on the masks of :func:`.image.line_masks`. A table is a connected group of rules (a
lattice); its column edges are the x of its vertical rules and its row edges the y of its
horizontal rules, each clustered; two atomic cells are one merged cell where the rule between
them is not drawn. Coordinates here are pixels of the deskewed page image.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..grid import merge_atomic_cells
from .settings import OcrSettings


@dataclass
class ImageGrid:
    """One table found on the image: its edges (px) and its cells as
    (row, col, rowspan, colspan)."""

    x0: int
    top: int
    x1: int
    bottom: int
    col_edges: list[float]
    row_edges: list[float]
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)


def _cluster(values: list[float], tolerance: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [float(np.mean(group)) for group in out]


def _rule_positions(mask: np.ndarray, axis: int, min_len: int) -> list[float]:
    """Centre positions of the rules in ``mask`` (axis 0: horizontal rules → their y; axis 1:
    vertical rules → their x), each run at least ``min_len`` long."""
    import cv2

    count, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if (w if axis == 0 else h) >= min_len:
            out.append(float(centroids[i][1] if axis == 0 else centroids[i][0]))
    return out


def find_grids(horizontal: np.ndarray, vertical: np.ndarray, settings: OcrSettings) -> list[ImageGrid]:
    """Every lattice table on the page, top to bottom, with its atomic grid and merged cells."""
    import cv2

    both = cv2.bitwise_or(horizontal, vertical)
    # Rules that touch (or nearly: a scanned corner may break) belong to one table.
    joined = cv2.dilate(both, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids = []
    tolerance = settings.px(settings.edge_cluster)
    min_rule = settings.px(settings.min_rule_length)
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if w < settings.px(settings.min_table_width) or h < settings.px(settings.min_table_height):
            continue
        inside = labels[y:y + h, x:x + w] == i
        hm = np.where(inside, horizontal[y:y + h, x:x + w], 0).astype(np.uint8)
        vm = np.where(inside, vertical[y:y + h, x:x + w], 0).astype(np.uint8)
        rows = _cluster([y + p for p in _rule_positions(hm, 0, min_rule)], tolerance)
        cols = _cluster([x + p for p in _rule_positions(vm, 1, min_rule)], tolerance)
        if len(rows) < 2 or len(cols) < 2:
            continue
        grid = ImageGrid(x0=x, top=y, x1=x + w, bottom=y + h, col_edges=cols, row_edges=rows)
        grid.cells = _merge_cells(grid, horizontal, vertical, settings)
        grids.append(grid)
    grids.sort(key=lambda g: g.top)
    return grids


def _covered(mask: np.ndarray, fixed: float, a: float, b: float, axis: int, half: int) -> float:
    """Share of the boundary from ``a`` to ``b`` at ``fixed`` that the rule mask covers
    (axis 0: a horizontal boundary at y = fixed; 1: a vertical one at x = fixed)."""
    lo, hi = int(round(a)), int(round(b))
    if hi <= lo:
        return 0.0
    f = int(round(fixed))
    if axis == 0:
        band = mask[max(0, f - half):f + half + 1, lo:hi]
        hit = band.max(axis=0) > 0 if band.size else np.zeros(0, bool)
    else:
        band = mask[lo:hi, max(0, f - half):f + half + 1]
        hit = band.max(axis=1) > 0 if band.size else np.zeros(0, bool)
    return float(hit.mean()) if hit.size else 0.0


def _merge_cells(grid: ImageGrid, horizontal: np.ndarray, vertical: np.ndarray,
                 settings: OcrSettings) -> list[tuple[int, int, int, int]]:
    """Merged cells of the grid: atomic cells joined where no rule is drawn between them.
    Returns (row, col, rowspan, colspan) per merged cell, rows then columns."""
    cols, rows = grid.col_edges, grid.row_edges
    n_rows, n_cols = len(rows) - 1, len(cols) - 1
    half = settings.px(settings.edge_cluster)
    # The ends of each boundary are left out: the crossing rule's own ink is there.
    inset = settings.px(settings.edge_cluster)

    def has_vertical(r: int, c: int) -> bool:
        return _covered(vertical, cols[c], rows[r] + inset, rows[r + 1] - inset, 1, half) >= settings.edge_cover

    def has_horizontal(r: int, c: int) -> bool:
        return _covered(horizontal, rows[r], cols[c] + inset, cols[c + 1] - inset, 0, half) >= settings.edge_cover

    groups = merge_atomic_cells(n_rows, n_cols, has_vertical, has_horizontal)
    cells = []
    for members in groups.values():
        rs = [m[0] for m in members]
        cs = [m[1] for m in members]
        cells.append((min(rs), min(cs), max(rs) - min(rs) + 1, max(cs) - min(cs) + 1))
    cells.sort()
    return cells
