"""Page-level clean-up of PDF characters before they are grouped into lines.

Some producers fake a bold face by drawing the same text two or more times, each copy shifted
by a fraction of a point. pdfplumber reports every copy as its own character, so the line
would read ``Jjaawwaa``. :func:`dedupe_overprint` keeps one copy of each such glyph.
"""

from __future__ import annotations

from collections.abc import Iterable

# Two copies of one glyph lie at most this far apart (points, each axis) when the second was
# drawn to thicken the first: fake-bold offsets are a few tenths of a point.
OVERPRINT_MAX_OFFSET = 1.0
# ... and their horizontal offset is less than this share of the glyph's width: a real repeated
# letter ("ll", "00") starts a whole advance width after the one before it.
OVERPRINT_WIDTH_SHARE = 0.5
# Font sizes (points) closer than this are the same size.
SAME_SIZE = 0.1


def _is_copy(a: dict, b: dict) -> bool:
    """``b`` is an overprinted copy of ``a``: same text and size, shifted a little."""
    if a["text"] != b["text"] or abs(a["size"] - b["size"]) > SAME_SIZE:
        return False
    dx, dy = abs(a["x0"] - b["x0"]), abs(a["top"] - b["top"])
    width = max(a["x1"] - a["x0"], 0.0)
    return dx <= OVERPRINT_MAX_OFFSET and dy <= OVERPRINT_MAX_OFFSET and dx < OVERPRINT_WIDTH_SHARE * width


def _has_copy(buckets: dict, text: str, cx: int, cy: int, ch: dict) -> bool:
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for other in buckets.get((text, cx + dx, cy + dy), ()):
                if _is_copy(other, ch):
                    return True
    return False


def dedupe_overprint(chars: Iterable[dict]) -> list[dict]:
    """Chars (pdfplumber dicts, top-left origin, points) → the same chars, in the same order,
    without the copies drawn over an earlier char to make it look bold.

    The first-drawn copy is kept unchanged; a copy is the same text at the same size whose
    position differs by less than ``OVERPRINT_MAX_OFFSET`` points on each axis and by less than
    half the glyph's width horizontally. Zero-width glyphs (some space glyphs) are never copies.
    """
    kept: list[dict] = []
    # Buckets of kept chars by (text, whole-point cell); a copy lies in the same or a
    # neighbouring cell since offsets are at most one point.
    buckets: dict[tuple[str, int, int], list[dict]] = {}
    for ch in chars:
        if ch["text"] == " ":
            kept.append(ch)  # a space glyph is never drawn to thicken a letter
            continue
        text, cx, cy = ch["text"], int(ch["x0"] // 1), int(ch["top"] // 1)
        if _has_copy(buckets, text, cx, cy, ch):
            continue
        kept.append(ch)
        buckets.setdefault((ch["text"], cx, cy), []).append(ch)
    return kept
