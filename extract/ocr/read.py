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


def read_region(gray: np.ndarray, x0: int, top: int, settings: OcrSettings,
                whitelist: str | None = None, psm: int | None = None) -> list[TextLine]:
    """The text lines of ``gray`` (a crop whose top-left pixel is (x0, top) on the page image).

    ``whitelist``: the only characters the engine may read (number columns); ``psm``: a
    Tesseract page segmentation mode other than the engine's single block. Words that are one
    or two punctuation characters read with low confidence (specks) are dropped.
    """
    import tesserocr
    from PIL import Image

    api = engine()
    padded = np.pad(gray, PAD_PX, constant_values=255)
    api.SetImage(Image.fromarray(padded))
    api.SetVariable("tessedit_char_whitelist", whitelist or "")
    if psm is not None:
        api.SetPageSegMode(psm)
    try:
        api.Recognize()
        lines = _lines(api, tesserocr, x0 - PAD_PX, top - PAD_PX, settings)
    finally:
        if psm is not None:
            api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", "")
    return lines


def _lines(api, tesserocr, dx: int, dy: int, settings: OcrSettings) -> list[TextLine]:
    it = api.GetIterator()
    if it is None:
        return []
    level = tesserocr.RIL.WORD
    lines: list[list[tuple[str, tuple[int, int, int, int], float]]] = []
    while True:
        try:
            word = it.GetUTF8Text(level)
            box = it.BoundingBox(level)
        except RuntimeError:  # an empty result at this position
            word, box = None, None
        if word and box:
            if it.IsAtBeginningOf(tesserocr.RIL.TEXTLINE) or not lines:
                lines.append([])
            conf = it.Confidence(level)
            word = word.strip()
            if word and not (len(word) <= 2 and not any(ch.isalnum() for ch in word)
                             and conf < settings.min_speck_confidence):
                lines[-1].append((word, box, conf))
        if not it.Next(level):
            break
    out = []
    for words in lines:
        if not words:
            continue
        out.append(_text_line(words, dx, dy, settings))
    out.sort(key=lambda line: (line.bbox.top, line.bbox.x0))
    return out


def _text_line(words, dx: int, dy: int, settings: OcrSettings) -> TextLine:
    """One line from its words: text with single spaces, per-character boxes spread evenly over
    each word's box (a space between words spans the gap, zero width)."""
    pt = settings.pt
    text_parts, glyph_x = [], []
    for i, (word, (a, t, b, bt), _) in enumerate(words):
        if i:
            text_parts.append(" ")
            gap = pt(a + dx)
            glyph_x.append((gap, gap))
        left, right = pt(a + dx), pt(b + dx)
        step = (right - left) / max(1, len(word))
        glyph_x.extend((left + k * step, left + (k + 1) * step) for k in range(len(word)))
        text_parts.append(word)
    x0 = min(w[1][0] for w in words) + dx
    top = min(w[1][1] for w in words) + dy
    x1 = max(w[1][2] for w in words) + dx
    bottom = max(w[1][3] for w in words) + dy
    conf = min(w[2] for w in words) / 100.0
    return TextLine(text="".join(text_parts), bbox=BBox(x0=pt(x0), top=pt(top), x1=pt(x1), bottom=pt(bottom)),
                    font_size=round(pt(bottom - top) * INK_TO_FONT_SIZE, 2), glyph_x=glyph_x, source="ocr",
                    confidence=round(max(0.0, min(1.0, conf)), 3))
