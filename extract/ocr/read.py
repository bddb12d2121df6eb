"""Tesseract readings of image regions as :class:`~renjana.models.TextLine` objects.

One call reads one region (a cell, or a block of text outside the tables) with the process's
engine (:func:`.engine.engine`). Boxes come back in PDF points of the page (origin top-left),
each line with its words' confidence (the weakest, 0-1) and ``source="ocr"``.
"""

from __future__ import annotations

import numpy as np

from renjana.models import BBox, TextLine

from .engine import engine
from .settings import OcrSettings

# White border (px) put around a region before it is read: Tesseract finds text touching the
# image edge badly.
PAD_PX = 12
NUMBER_WHITELIST = "0123456789.,%-()"
# A line's ink height (cap or digit top to descender) is about 0.8 of its font size in the
# sans and serif faces offices print with: font size = ink height × this.
INK_TO_FONT_SIZE = 1.25
# Signs printed apart from their number (``0 -``, ``80 %``) that Tesseract glues to it: the gap
# decides the space. Between digits the gap never does (a '1' has wide side bearings).
SPACED_SIGNS = frozenset("-–%")
# Pairs of characters of one shape that the engine may both return for one glyph.
SAME_SHAPE = [{"0", "O"}, {"0", "o"}, {"1", "l"}, {"1", "I"}, {"1", "|"}, {"l", "I"}]


def read_region(gray: np.ndarray, x0: int, top: int, settings: OcrSettings,
                whitelist: str | None = None, psm: int | None = None,
                scale: float | None = None) -> list[TextLine]:
    """The text lines of ``gray`` (a crop whose top-left pixel is (x0, top) on the page image).

    ``whitelist``: the only characters the engine may read (number columns); ``psm``: a
    Tesseract page segmentation mode other than the engine's single block; ``scale``: the
    crop is resized by this before it is read (default ``settings.upscale``). Words that are one
    or two punctuation characters read with low confidence (specks) are dropped.
    """
    import tesserocr
    from PIL import Image

    api = engine()
    scale = settings.upscale if scale is None else scale
    if scale != 1.0:
        import cv2

        # Area averaging when shrinking keeps thin strokes; cubic when enlarging keeps edges.
        gray = cv2.resize(gray, None, fx=scale, fy=scale,
                          interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    padded = np.pad(gray, PAD_PX, constant_values=255)
    api.SetImage(Image.fromarray(padded))
    api.SetVariable("tessedit_char_whitelist", whitelist or "")
    if psm is not None:
        api.SetPageSegMode(psm)
    try:
        api.Recognize()
        lines = _lines(api, tesserocr, PAD_PX, x0, top, scale, settings)
    finally:
        if psm is not None:
            api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", "")
    return lines


def _lines(api, tesserocr, pad: int, x0: int, top: int, scale: float, settings: OcrSettings) -> list[TextLine]:
    """The engine's characters grouped in lines, each with its own box mapped from the padded,
    scaled crop back to the page; a space where the engine starts a word or where the gap
    between two characters is wider than ``settings.space_gap`` of the line's height (a lone
    ``-`` or ``%`` set apart from its number)."""
    it = api.GetIterator()
    if it is None:
        return []
    level = tesserocr.RIL.SYMBOL
    lines: list[list[tuple[str, tuple[float, float, float, float], float, bool]]] = []
    while True:
        try:
            char = it.GetUTF8Text(level)
            box = it.BoundingBox(level)
        except RuntimeError:  # an empty result at this position
            char, box = None, None
        if char and box and char.strip():
            if it.IsAtBeginningOf(tesserocr.RIL.TEXTLINE) or not lines:
                lines.append([])
            a, t, b, u = box
            page_box = ((a - pad) / scale + x0, (t - pad) / scale + top,
                        (b - pad) / scale + x0, (u - pad) / scale + top)
            lines[-1].append((char.strip(), page_box, it.Confidence(level),
                              it.IsAtBeginningOf(tesserocr.RIL.WORD)))
        if not it.Next(level):
            break
    out = [_text_line(_without_doubles(chars, settings), settings) for chars in lines if chars]
    out.sort(key=lambda line: (line.bbox.top, line.bbox.x0))
    return out


def _without_doubles(chars, settings: OcrSettings):
    """The line's characters with a glyph read twice kept once (``0O -`` for ``0 -``): two
    characters of one shape (:data:`SAME_SHAPE`) whose boxes overlap by
    ``settings.double_overlap`` of the narrower width are one glyph; the more confident reading
    stays. (The engine's boxes of neighbouring glyphs overlap too: only a pair of look-alikes
    is taken for one glyph.)"""
    out: list = []
    for ch in chars:
        if out:
            prev = out[-1]
            overlap = min(prev[1][2], ch[1][2]) - max(prev[1][0], ch[1][0])
            narrower = min(prev[1][2] - prev[1][0], ch[1][2] - ch[1][0])
            same_shape = {prev[0], ch[0]} in SAME_SHAPE
            if same_shape and narrower > 0 and overlap >= settings.double_overlap * narrower:
                if ch[2] > prev[2]:
                    out[-1] = (ch[0], ch[1], ch[2], prev[3])
                continue
        out.append(ch)
    return out


def _text_line(chars, settings: OcrSettings) -> TextLine:
    """One line from its characters (text, page box in px, confidence, starts a word)."""
    pt = settings.pt
    # The tallest glyph's height stands for the cap height (a comma or dash is shorter).
    height = max(c[1][3] - c[1][1] for c in chars)
    text, glyph_x = "", []
    for i, (char, (a, t, b, u), _, starts_word) in enumerate(chars):
        sign = char in SPACED_SIGNS or chars[i - 1][0] in SPACED_SIGNS if i else False
        if i and (starts_word or (sign and a - chars[i - 1][1][2] > settings.space_gap * height)):
            gap = pt(chars[i - 1][1][2])
            text += " "
            glyph_x.append((gap, gap))
        text += char
        step = (pt(b) - pt(a)) / len(char)
        glyph_x.extend((pt(a) + k * step, pt(a) + (k + 1) * step) for k in range(len(char)))
    x0 = min(c[1][0] for c in chars)
    top = min(c[1][1] for c in chars)
    x1 = max(c[1][2] for c in chars)
    bottom = max(c[1][3] for c in chars)
    conf = min(c[2] for c in chars) / 100.0
    return TextLine(text=text, bbox=BBox(x0=pt(x0), top=pt(top), x1=pt(x1), bottom=pt(bottom)),
                    font_size=round(pt(bottom - top) * INK_TO_FONT_SIZE, 2), glyph_x=glyph_x, source="ocr",
                    confidence=round(max(0.0, min(1.0, conf)), 3))
