"""Group labels inside a header band drawn without inner rules.

A rules-only table often draws its whole header as one band: a group label ("PAGU BELANJA
LANGSUNG") over sub-labels ("SEBELUM PERUBAHAN" | "SETELAH PERUBAHAN") over leaf labels
("TARGET" | "PAGU (Rp.)"), with no rule between the levels. Read as one band, every label of the
group lands in one merged cell and the leaf columns get the same name. The text itself shows the
levels: a label whose ink crosses a column edge stands over the columns under it when the next
line below it prints separate pieces (in at least two columns) of which none crosses all the
edges the label crosses. Below such a label the band is cut, within the label's columns only (the
other columns keep their labels whole), and the label's cell spans those columns.

Only the text's geometry is read, never its words; all positions are PDF points, origin top-left.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .columns import Band
from .settings import ExtractSettings


@dataclass(frozen=True)
class GroupCut:
    """A header cut under a group label: at ``y``, drawn across atomic columns ``c0..c1``; the
    label's band ``top``..``y`` spans those columns."""

    y: float
    c0: int
    c1: int
    top: float


def _line_runs(line, join: float) -> list[tuple[float, float]]:
    """(x0, x1) of each run of ink on one text line, glyphs closer than ``join`` em joined."""
    runs: list[list[float]] = []
    for x0, x1 in sorted(g for g in line.glyph_x if g[1] > g[0]):
        if runs and x0 - runs[-1][1] <= join * line.font_size:
            runs[-1][1] = max(runs[-1][1], x1)
        else:
            runs.append([x0, x1])
    return [(a, b) for a, b in runs]


def group_label_cuts(band: Band, band_top: float, col_edges: list[float],
                     settings: ExtractSettings) -> list[GroupCut]:
    """The cuts under the group labels of one header band.

    ``band``: the band's text lines (``band.text_lines``, top to bottom); ``band_top``: the band's
    top edge; ``col_edges``: the table's column edges (left to right). Returns the cuts, at most
    one per label, sorted by ``y``; an empty list when the band holds no group label.
    """
    lines = sorted(band.text_lines, key=lambda line: line.bbox.top)
    runs = [_line_runs(line, settings.header_join_ratio) for line in lines]
    inner = col_edges[1:-1]
    n_cols = len(col_edges) - 1

    def column(x: float) -> int:
        return min(max(bisect.bisect_right(col_edges, x) - 1, 0), n_cols - 1)

    cuts: list[GroupCut] = []
    for i, line in enumerate(lines):
        for a, b in runs[i]:
            crossed = [x for x in inner if a < x < b]
            if not crossed:
                continue
            below = None
            for j in range(i + 1, len(lines)):
                pieces = [(c, d) for c, d in runs[j] if c < b and d > a]
                if pieces:
                    below = (j, pieces)
                    break
            if below is None:
                continue
            j, pieces = below
            if len({column((c + d) / 2) for c, d in pieces}) < 2:
                continue  # one piece under the label: its own wrapped words
            if any(all(c < x < d for x in crossed) for c, d in pieces):
                continue  # a line as wide as the label: the label wrapped
            columns = [column(a + 0.01), column(b - 0.01)]
            columns += [column(c + 0.01) for c, _ in pieces] + [column(d - 0.01) for _, d in pieces]
            y = (line.bbox.bottom + lines[j].bbox.top) / 2
            cuts.append(GroupCut(y=y, c0=min(columns), c1=max(columns), top=band_top))
    cuts.sort(key=lambda cut: cut.y)
    # A label's cell starts under the cut of the label above it in the same columns.
    for k, cut in enumerate(cuts):
        above = [c.y for c in cuts[:k] if c.y < cut.y and c.c0 <= cut.c1 and cut.c0 <= c.c1]
        if above:
            cuts[k] = GroupCut(y=cut.y, c0=cut.c0, c1=cut.c1, top=max(above))
    return cuts
