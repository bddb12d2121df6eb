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

# A narrow line set this many times further below a block than its rows are apart is page
# furniture (a page number, a running footer), not the block's next row.
FURNITURE_GAP_RATIO = 1.4
# ... and at least this far (share of the font size): a row's padding never is.
FURNITURE_MIN_GAP = 1.0
# A caption or heading starts a new block: "Tabel 2.1", "Formulir", "Lampiran", "BAB III".
HEADING_LINE = re.compile(r"^\s*((tabel|table|formulir|lampiran|bab)\b)", re.IGNORECASE)

__getattr__ = legacy_constants(__name__, {
    "BLOCK_GAP_RATIO": "block_gap_ratio", "OVERHANG": "block_overhang", "MIN_WIDE_LINE": "min_wide_line",
})


def _inside(line: TextLine, x0: float, x1: float, overhang: float) -> bool:
    return line.bbox.x0 >= x0 - overhang and line.bbox.x1 <= x1 + overhang


def block_below(lines: list[TextLine], y: float, x0: float, x1: float, stop: float,
                settings: ExtractSettings = DEFAULT_SETTINGS, need_wide: bool = True) -> float | None:
    """The bottom of the text block starting right under ``y`` inside [x0, x1] (lines may
    overhang by ``settings.block_overhang``), above ``stop``: lines at most
    ``settings.block_gap_ratio`` em apart.

    Returns None when no line of the table's width (``settings.min_wide_line`` of it) starts
    the block within one block gap (unless ``need_wide`` is False). A short line set further
    below the block than any of its rows are apart (``FURNITURE_GAP_RATIO`` times) ends it.
    """
    gap_ratio, overhang = settings.block_gap_ratio, settings.block_overhang
    below = sorted((ln for ln in lines if ln.bbox.top >= y - 1 and ln.bbox.bottom <= stop), key=lambda ln: ln.bbox.top)
    bottom, taken, wide, widest_gap = y, 0, False, 0.0
    for line in below:
        gap = line.bbox.top - bottom
        gap_limit = gap_ratio * max(line.font_size, 1.0)
        is_wide = (line.bbox.x1 - line.bbox.x0) >= settings.min_wide_line * (x1 - x0)
        if gap > gap_limit or not _inside(line, x0, x1, overhang) or HEADING_LINE.match(line.text):
            break
        if (taken >= 2 and not is_wide
                and gap > max(FURNITURE_GAP_RATIO * widest_gap, FURNITURE_MIN_GAP * line.font_size)):
            break  # a short line set further off than any row of the block: a page number, a footer
        if taken:
            widest_gap = max(widest_gap, gap)
        bottom = max(bottom, line.bbox.bottom)
        taken += 1
        wide = wide or is_wide
    return bottom + 1.0 if taken and (wide or not need_wide) else None


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
        if bottom is None:
            # Only the tail of a row cut by the page break, right above the table's next rule.
            bottom = block_below(candidates[i:], line.bbox.top, x0, x1, stop, settings, need_wide=False)
            if bottom is None or stop - bottom > settings.block_gap_ratio * line.font_size:
                return None
        return top, bottom
    return None
