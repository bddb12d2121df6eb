"""Page-level clean-up of PDF characters before they are grouped into lines.

Some producers fake a bold face by drawing the same text two or more times, each copy shifted
by a fraction of a point. pdfplumber reports every copy as its own character, so the line
would read ``Jjaawwaa``. :func:`dedupe_overprint` keeps one copy of each such glyph.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

import numpy as np

from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

# The tolerances are ExtractSettings.overprint_max_offset, overprint_width_share and
# overprint_same_size.
__getattr__ = legacy_constants(__name__, {
    "OVERPRINT_MAX_OFFSET": "overprint_max_offset", "OVERPRINT_WIDTH_SHARE": "overprint_width_share",
    "SAME_SIZE": "overprint_same_size",
})


# A glyph's box, the keys in this order (see glyph_column).
BOX_KEYS = ("x0", "x1", "top", "bottom")


def glyph_column(chars: list[dict], key: str) -> np.ndarray:
    """One key of every char (``x0``, ``top``, ``size``, …) as an array of floats, read without a
    Python step per char (this runs over every char of every page)."""
    return np.fromiter(map(itemgetter(key), chars), dtype=float, count=len(chars))


def _is_copy(a: dict, b: dict, settings: ExtractSettings) -> bool:
    """``b`` is an overprinted copy of ``a``: same text and size, shifted a little."""
    if a["text"] != b["text"] or abs(a["size"] - b["size"]) > settings.overprint_same_size:
        return False
    dx, dy = abs(a["x0"] - b["x0"]), abs(a["top"] - b["top"])
    width = max(a["x1"] - a["x0"], 0.0)
    offset = settings.overprint_max_offset
    return dx <= offset and dy <= offset and dx < settings.overprint_width_share * width


def dedupe_overprint(chars: Iterable[dict], settings: ExtractSettings = DEFAULT_SETTINGS) -> list[dict]:
    """Chars (pdfplumber dicts, top-left origin, points) → the same chars, in the same order,
    without the copies drawn over an earlier char to make it look bold.

    The first-drawn copy is kept unchanged; a copy is the same text at the same size (within
    ``settings.overprint_same_size``) whose position differs by at most
    ``settings.overprint_max_offset`` points on each axis and by less than
    ``settings.overprint_width_share`` of the glyph's width horizontally. Zero-width glyphs
    (some space glyphs) are never copies.

    Done on arrays (this runs on every char of every page): glyphs sorted by text, line band
    and x, so that a copy stands right beside its original; two band grids half a band apart
    make sure a copy shares a band with its original in one of them.
    """
    chars = list(chars)
    ink = [i for i, c in enumerate(chars) if c["text"] != " "]
    if len(ink) < 2:
        return chars
    glyphs = [chars[i] for i in ink]
    ids: dict[str, int] = {}
    code = np.fromiter((ids.setdefault(c["text"], len(ids)) for c in glyphs), dtype=np.int64, count=len(ink))
    x, y, size = glyph_column(glyphs, "x0"), glyph_column(glyphs, "top"), glyph_column(glyphs, "size")
    width = glyph_column(glyphs, "x1") - x
    offset = settings.overprint_max_offset
    band = 2.0 * max(offset, 1e-3)
    drop = np.zeros(len(ink), dtype=bool)
    for shift in (0.0, 0.5):
        line = np.floor(y / band + shift)
        order = np.lexsort((x, line, code))
        for k in (1, 2, 3):  # neighbours in that order: a copy is next to its original
            a, b = order[:-k], order[k:]
            first, later = np.minimum(a, b), np.maximum(a, b)  # stream order: the first is kept
            dx = np.abs(x[a] - x[b])
            copy = ((code[a] == code[b]) & (line[a] == line[b]) & (dx <= offset)
                    & (np.abs(y[a] - y[b]) <= offset)
                    & (np.abs(size[a] - size[b]) <= settings.overprint_same_size)
                    & (dx < settings.overprint_width_share * np.maximum(width[first], 0.0)))
            drop[later[copy]] = True
    dropped = {ink[j] for j in np.nonzero(drop)[0]}
    return [c for i, c in enumerate(chars) if i not in dropped] if dropped else chars
