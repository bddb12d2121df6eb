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
# Buckets of the position index (points): twice the largest offset, so a copy lies in the same
# bucket or the neighbour on the side of the bucket's half the char is in.
BUCKET = 2 * OVERPRINT_MAX_OFFSET
# Font sizes (points) closer than this are the same size.
SAME_SIZE = 0.1


def _is_copy(a: dict, b: dict) -> bool:
    """``b`` is an overprinted copy of ``a``: same text and size, shifted a little."""
    if a["text"] != b["text"] or abs(a["size"] - b["size"]) > SAME_SIZE:
        return False
    dx, dy = abs(a["x0"] - b["x0"]), abs(a["top"] - b["top"])
    width = max(a["x1"] - a["x0"], 0.0)
    return dx <= OVERPRINT_MAX_OFFSET and dy <= OVERPRINT_MAX_OFFSET and dx < OVERPRINT_WIDTH_SHARE * width


def _has_copy(buckets: dict, text: str, x: float, y: float, ch: dict) -> bool:
    """Is a kept char within reach a copy of ``ch``? Buckets are ``2 * OVERPRINT_MAX_OFFSET``
    wide, so the char's half of its bucket names the one neighbour to look in, per axis."""
    cx, cy = int(x // BUCKET), int(y // BUCKET)
    xs = (cx - 1, cx) if x - cx * BUCKET < BUCKET / 2 else (cx, cx + 1)
    ys = (cy - 1, cy) if y - cy * BUCKET < BUCKET / 2 else (cy, cy + 1)
    for bx in xs:
        for by in ys:
            for other in buckets.get((text, bx, by), ()):
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
    buckets: dict[tuple[str, int, int], list[dict]] = {}
    for ch in chars:
        if ch["text"] == " ":
            kept.append(ch)  # a space glyph is never drawn to thicken a letter
            continue
        text, x, y = ch["text"], ch["x0"], ch["top"]
        if buckets and _has_copy(buckets, text, x, y, ch):
            continue
        kept.append(ch)
        buckets.setdefault((text, int(x // BUCKET), int(y // BUCKET)), []).append(ch)
    return kept
