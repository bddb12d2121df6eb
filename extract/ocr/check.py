"""A second reader for the numbers of OCR'd tables (``--ocr-check``): RapidOCR rereads each line
of a number cell; where its reading and Tesseract's disagree, the cell keeps Tesseract's reading,
its confidence drops to :data:`DISAGREE_CONFIDENCE` and the other reading is kept beside it
(``TextLine.alternatives``, then ``CellSource.alternatives``). Nothing is replaced: the second
reading is evidence of doubt, never a choice (and never chosen by the document's arithmetic).

RapidOCR (PyPI ``rapidocr-onnxruntime``) runs PaddleOCR's recognition model on ONNX Runtime; the
model files ship inside its wheel, so it needs no network at run time. Only the recognition model
is used: Tesseract already found the line, its box is the crop.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np

from renjana.models import TextLine

from .settings import OcrSettings

CHECK_HINT = "second OCR reader not available: install rapidocr-onnxruntime (pip install 'renjana[ocr-check]')"
SECOND_READER = "RapidOCR"
# A line the two readers read differently is this sure: below validate's threshold for proof,
# so a relation that reads it is a warning (possible misread), never an error.
DISAGREE_CONFIDENCE = 0.5
# White border (px at the page's dpi) around a line's box: the engine's box hugs the ink, and the
# recogniser reads a glyph touching the crop's edge badly.
LINE_PAD_PX = 6
# ONNX Runtime threads per worker process.
THREADS = 1


@lru_cache(maxsize=1)
def check_missing() -> str | None:
    """None when the second reader can run here; else the note saying what to install."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return CHECK_HINT
    return None


_ENGINE = None


def _engine():
    """The process's RapidOCR engine, made on first use (loading the models costs about 0.3 s)."""
    global _ENGINE
    if _ENGINE is None:
        if check_missing():
            raise RuntimeError(CHECK_HINT)
        import logging

        from rapidocr_onnxruntime import RapidOCR

        # One thread, as Tesseract: a worker process uses one core (the pool runs one per core).
        _ENGINE = RapidOCR(intra_op_num_threads=THREADS, inter_op_num_threads=THREADS)
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    return _ENGINE


# Separators are left out of the comparison: the second reader's model (trained mostly on
# Chinese print) reads a small ',' as '.' often, and separators are the number grammar's job
# (numbers.py) anyway; the readings are compared on their digits, signs and percent.
SEPARATOR_MARKS = ".,。，、:;'`"


def canonical(text: str) -> str:
    """A reading as the two readers are compared: Unicode compatibility forms folded (full-width
    digits and signs), spaces and separators removed, dashes made one '-'."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in SEPARATOR_MARKS)
    return text.replace("–", "-").replace("—", "-")


def _line_crop(gray: np.ndarray, line: TextLine, settings: OcrSettings) -> np.ndarray | None:
    """The line's box (PDF points) on the page image, padded white, as the BGR image the
    recogniser takes; None for an empty box."""
    import cv2

    px = settings.px
    h, w = gray.shape
    x0, top = max(0, px(line.bbox.x0) - LINE_PAD_PX), max(0, px(line.bbox.top) - LINE_PAD_PX)
    x1, bottom = min(w, px(line.bbox.x1) + LINE_PAD_PX), min(h, px(line.bbox.bottom) + LINE_PAD_PX)
    if x1 <= x0 or bottom <= top:
        return None
    crop = np.pad(gray[top:bottom, x0:x1], LINE_PAD_PX, constant_values=255)
    return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)


def read_lines(gray: np.ndarray, lines: list[TextLine], settings: OcrSettings) -> list[str]:
    """The second reader's text of each of ``lines`` (boxes in PDF points) on the page image
    ``gray`` (rules erased), read in batches; an empty string where it reads nothing."""
    crops = [_line_crop(gray, line, settings) for line in lines]
    todo = [i for i, crop in enumerate(crops) if crop is not None]
    out = [""] * len(lines)
    if todo:
        results, _ = _engine().text_rec([crops[i] for i in todo])
        for i, (text, _score) in zip(todo, results):
            out[i] = str(text).strip()
    return out


def recognise(images: list[np.ndarray]) -> list[str]:
    """The second reader's text of each grayscale image of one text line (an empty string
    where it reads nothing), read in one batch."""
    import cv2

    if not images:
        return []
    crops = [cv2.cvtColor(np.pad(image, LINE_PAD_PX, constant_values=255), cv2.COLOR_GRAY2BGR) for image in images]
    results, _ = _engine().text_rec(crops)
    return [str(text).strip() for text, _score in results]


def check_cells(gray: np.ndarray, cells: list[list[TextLine]], settings: OcrSettings) -> int:
    """Reread every line of ``cells`` (number cells, each a list of lines) with the second
    reader; where a cell's two readings differ (lines joined, compared by :func:`canonical`), its
    first line keeps the second reading in ``alternatives``, every line's confidence drops to
    :data:`DISAGREE_CONFIDENCE` and the first line's ``repair`` says so. The reading itself is
    never changed. Returns how many cells disagreed."""
    lines = [line for cell in cells for line in cell]
    others = iter(read_lines(gray, lines, settings))
    disagreed = 0
    for cell in cells:
        other = "".join(next(others) for _ in cell)
        mine = "".join(line.text.strip() for line in cell)
        if not cell or canonical(other) == canonical(mine):
            continue
        disagreed += 1
        shown = other or "(nothing)"
        first = cell[0]
        first.alternatives = [*first.alternatives, shown]
        note = f"{SECOND_READER} read '{shown}' where Tesseract read '{mine}'"
        first.repair = "; ".join(filter(None, [first.repair, note]))
        for line in cell:
            line.confidence = min(line.confidence if line.confidence is not None else 1.0, DISAGREE_CONFIDENCE)
    return disagreed
