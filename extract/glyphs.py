"""Page-level clean-up of PDF characters before they are grouped into lines.

Some producers fake a bold face by drawing the same text two or more times, each copy shifted
by a fraction of a point. pdfplumber reports every copy as its own character, so the line
would read ``Jjaawwaa``. :func:`dedupe_overprint` keeps one copy of each such glyph.
"""

from __future__ import annotations

from collections.abc import Iterable

from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

# The tolerances are ExtractSettings.overprint_max_offset, overprint_width_share and
# overprint_same_size.
__getattr__ = legacy_constants(__name__, {
    "OVERPRINT_MAX_OFFSET": "overprint_max_offset", "OVERPRINT_WIDTH_SHARE": "overprint_width_share",
    "SAME_SIZE": "overprint_same_size",
})


def _is_copy(a: dict, b: dict, settings: ExtractSettings) -> bool:
    """``b`` is an overprinted copy of ``a``: same text and size, shifted a little."""
    if a["text"] != b["text"] or abs(a["size"] - b["size"]) > settings.overprint_same_size:
        return False
    dx, dy = abs(a["x0"] - b["x0"]), abs(a["top"] - b["top"])
    width = max(a["x1"] - a["x0"], 0.0)
    offset = settings.overprint_max_offset
    return dx <= offset and dy <= offset and dx < settings.overprint_width_share * width


def _has_copy(buckets: dict, text: str, x: float, y: float, cell: float, ch: dict,
              settings: ExtractSettings) -> bool:
    """Is a kept char within reach a copy of ``ch``? Buckets are ``cell`` = twice the largest
    offset wide, so the char's half of its bucket names the one neighbour to look in, per axis."""
    cx, cy = int(x // cell), int(y // cell)
    xs = (cx - 1, cx) if x - cx * cell < cell / 2 else (cx, cx + 1)
    ys = (cy - 1, cy) if y - cy * cell < cell / 2 else (cy, cy + 1)
    for bx in xs:
        for by in ys:
            for other in buckets.get((text, bx, by), ()):
                if _is_copy(other, ch, settings):
                    return True
    return False


def dedupe_overprint(chars: Iterable[dict], settings: ExtractSettings = DEFAULT_SETTINGS) -> list[dict]:
    """Chars (pdfplumber dicts, top-left origin, points) → the same chars, in the same order,
    without the copies drawn over an earlier char to make it look bold.

    The first-drawn copy is kept unchanged; a copy is the same text at the same size (within
    ``settings.overprint_same_size``) whose position differs by at most
    ``settings.overprint_max_offset`` points on each axis and by less than
    ``settings.overprint_width_share`` of the glyph's width horizontally. Zero-width glyphs
    (some space glyphs) are never copies.
    """
    kept: list[dict] = []
    # Buckets of kept chars by (text, grid cell), cells twice the largest offset wide: a copy
    # lies in the same cell or the neighbour on the side of the cell's half the char is in.
    cell = 2 * max(0.5, settings.overprint_max_offset)
    buckets: dict[tuple[str, int, int], list[dict]] = {}
    for ch in chars:
        if ch["text"] == " ":
            kept.append(ch)  # a space glyph is never drawn to thicken a letter
            continue
        text, x, y = ch["text"], ch["x0"], ch["top"]
        if buckets and _has_copy(buckets, text, x, y, cell, ch, settings):
            continue
        kept.append(ch)
        buckets.setdefault((text, int(x // cell), int(y // cell)), []).append(ch)
    return kept
