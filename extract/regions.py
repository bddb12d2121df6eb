"""Where a table drawn without a bottom rule ends, and where a continuation page without rules
begins: from the text block under (or at the top of) the table.

A table whose rules stop at its header (rules above and below the header only, the body
unruled, the rule under the last row on the last page only) runs through the aligned text block
below its last rule: consecutive lines whose gaps stay within the body's spacing, inside the
table's width, until a large gap (page footer, page number, a paragraph), a caption, or the
next table's rules. Units: PDF points, origin top-left.
"""

from __future__ import annotations

import re

from renjana.models import TextLine

# Two lines of one text block are at most this far apart (share of the font size, ink to ink):
# rows add a padding above and below their text; a page number or footer sits further away.
BLOCK_GAP_RATIO = 2.5
# Lines may overhang the table's rules by this much (points): text drawn to the cell edge.
OVERHANG = 3.0
# A caption or heading starts a new block: "Tabel 2.1", "Formulir", "Lampiran", "BAB III".
HEADING_LINE = re.compile(r"^\s*((tabel|table|formulir|lampiran|bab)\b)", re.IGNORECASE)
# A block needs at least one line this wide (share of the table width) to be a table's body,
# not a page number or a short note.
MIN_WIDE_LINE = 0.4


def _inside(line: TextLine, x0: float, x1: float) -> bool:
    return line.bbox.x0 >= x0 - OVERHANG and line.bbox.x1 <= x1 + OVERHANG


def block_below(lines: list[TextLine], y: float, x0: float, x1: float, stop: float) -> float | None:
    """The bottom of the text block starting right under ``y`` inside [x0, x1], above ``stop``.

    Returns None when no line of the table's width starts the block within one block gap.
    """
    below = sorted((ln for ln in lines if ln.bbox.top >= y - 1 and ln.bbox.bottom <= stop), key=lambda ln: ln.bbox.top)
    bottom, taken, wide = y, 0, False
    for line in below:
        gap_limit = BLOCK_GAP_RATIO * max(line.font_size, 1.0)
        if line.bbox.top - bottom > gap_limit or not _inside(line, x0, x1) or HEADING_LINE.match(line.text):
            break
        bottom = max(bottom, line.bbox.bottom)
        taken += 1
        wide = wide or (line.bbox.x1 - line.bbox.x0) >= MIN_WIDE_LINE * (x1 - x0)
    return bottom + 1.0 if taken and wide else None


def block_at_top(lines: list[TextLine], x0: float, x1: float, stop: float) -> tuple[float, float] | None:
    """(top, bottom) of the first text block of a page that lies inside [x0, x1] above ``stop``:
    the continuation of a table from the page before, printed without rules or header.

    Lines outside the table's width at the top of the page (a running header) are skipped;
    the block must hold a line of the table's width.
    """
    candidates = sorted((ln for ln in lines if ln.bbox.bottom <= stop), key=lambda ln: ln.bbox.top)
    for i, line in enumerate(candidates):
        if not _inside(line, x0, x1) or HEADING_LINE.match(line.text):
            continue
        top = line.bbox.top - 1.0
        bottom = block_below(candidates[i:], line.bbox.top, x0, x1, stop)
        if bottom is not None:
            return top, bottom
        return None
    return None
