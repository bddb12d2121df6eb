"""Where a table drawn without a bottom rule ends, and where a continuation page without rules
begins: from the text block under (or at the top of) the table.

A table whose rules stop at its header (rules above and below the header only, the body
unruled, the rule under the last row on the last page only) runs through the aligned text block
below its last rule: consecutive lines whose gaps stay within the body's spacing, inside the
table's width, until a large gap (page footer, page number, a paragraph), a caption, or the
next table's rules. Units: PDF points, origin top-left. The tolerances (``block_gap_ratio``,
``block_overhang``, ``min_wide_line``) are fields of :class:`.settings.ExtractSettings`.
"""

from __future__ import annotations

import re

from renjana.models import TextLine

from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

# A caption or heading starts a new block: "Tabel 2.1", "Formulir", "Lampiran", "BAB III".
HEADING_LINE = re.compile(r"^\s*((tabel|table|formulir|lampiran|bab)\b)", re.IGNORECASE)

__getattr__ = legacy_constants(__name__, {
    "BLOCK_GAP_RATIO": "block_gap_ratio", "OVERHANG": "block_overhang", "MIN_WIDE_LINE": "min_wide_line",
})


def _inside(line: TextLine, x0: float, x1: float, overhang: float) -> bool:
    return line.bbox.x0 >= x0 - overhang and line.bbox.x1 <= x1 + overhang


def block_below(lines: list[TextLine], y: float, x0: float, x1: float, stop: float,
                settings: ExtractSettings = DEFAULT_SETTINGS) -> float | None:
    """The bottom of the text block starting right under ``y`` inside [x0, x1] (lines may
    overhang by ``settings.block_overhang``), above ``stop``: lines at most
    ``settings.block_gap_ratio`` em apart.

    Returns None when no line of the table's width (``settings.min_wide_line`` of it) starts
    the block within one block gap.
    """
    gap_ratio, overhang = settings.block_gap_ratio, settings.block_overhang
    below = sorted((ln for ln in lines if ln.bbox.top >= y - 1 and ln.bbox.bottom <= stop), key=lambda ln: ln.bbox.top)
    bottom, taken, wide = y, 0, False
    for line in below:
        gap_limit = gap_ratio * max(line.font_size, 1.0)
        if line.bbox.top - bottom > gap_limit or not _inside(line, x0, x1, overhang) or HEADING_LINE.match(line.text):
            break
        bottom = max(bottom, line.bbox.bottom)
        taken += 1
        wide = wide or (line.bbox.x1 - line.bbox.x0) >= settings.min_wide_line * (x1 - x0)
    return bottom + 1.0 if taken and wide else None


def block_at_top(lines: list[TextLine], x0: float, x1: float, stop: float,
                 settings: ExtractSettings = DEFAULT_SETTINGS) -> tuple[float, float] | None:
    """(top, bottom) of the first text block of a page that lies inside [x0, x1] above ``stop``:
    the continuation of a table from the page before, printed without rules or header.

    Lines outside the table's width at the top of the page (a running header) are skipped;
    the block must hold a line of the table's width.
    """
    candidates = sorted((ln for ln in lines if ln.bbox.bottom <= stop), key=lambda ln: ln.bbox.top)
    for i, line in enumerate(candidates):
        if not _inside(line, x0, x1, settings.block_overhang) or HEADING_LINE.match(line.text):
            continue
        top = line.bbox.top - 1.0
        bottom = block_below(candidates[i:], line.bbox.top, x0, x1, stop, settings)
        if bottom is not None:
            return top, bottom
        return None
    return None
