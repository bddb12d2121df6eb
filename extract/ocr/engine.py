"""The Tesseract engine: is it installed, and one reused engine per worker process.

Tesseract comes from two places: the ``tesserocr`` wheel (the library) and the system's trained
models (Debian ``tesseract-ocr-eng``: ``eng.traineddata``). :func:`ocr_missing` says in plain words
which part is missing; :func:`engine` makes the engine once per process (loading the model costs
about 0.2 s) and hands the same one out afterwards.
"""

from __future__ import annotations

import glob
import os
from functools import lru_cache

INSTALL_HINT = ("OCR not available: install tesseract-ocr and tesseract-ocr-eng (Debian) and the "
                "Python packages tesserocr and opencv-python-headless (pip install 'renjana[ocr]')")

# The trained model OCR reads with. The measured trial: ``eng`` reads Indonesian numbers right
# (``ind`` reads ',' as '.' and '%' as '96'); the words are Latin script either way.
LANGUAGE = "eng"

# Where distributions put the trained models (Debian/Ubuntu, Fedora, Homebrew, a user's prefix).
_TESSDATA_GLOBS = ("/usr/share/tesseract-ocr/*/tessdata", "/usr/share/tesseract-ocr/tessdata",
                   "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata",
                   "/usr/local/share/tesseract-ocr/*/tessdata")


def tessdata_dir() -> str | None:
    """The folder that holds ``eng.traineddata``: ``$TESSDATA_PREFIX`` first, then the usual
    system places; None when no folder has it."""
    candidates = []
    if os.environ.get("TESSDATA_PREFIX"):
        prefix = os.environ["TESSDATA_PREFIX"]
        candidates += [prefix, os.path.join(prefix, "tessdata")]
    for pattern in _TESSDATA_GLOBS:
        candidates += sorted(glob.glob(pattern), reverse=True)
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, f"{LANGUAGE}.traineddata")):
            return folder.rstrip("/") + "/"
    return None


@lru_cache(maxsize=1)
def ocr_missing() -> str | None:
    """None when OCR can run here; else the note saying what to install."""
    missing = []
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        missing.append("tesserocr")
    try:
        import cv2  # noqa: F401
    except ImportError:
        missing.append("opencv-python-headless")
    if tessdata_dir() is None:
        missing.append(f"the '{LANGUAGE}' model (tesseract-ocr-{LANGUAGE})")
    if not missing:
        return None
    return f"{INSTALL_HINT}; missing: {', '.join(missing)}"


_ENGINE = None


def engine():
    """The process's Tesseract engine (``tesserocr.PyTessBaseAPI``), made on first use.

    Page segmentation: a single block of text (a cell may hold several lines). Raises
    ``RuntimeError`` with :data:`INSTALL_HINT` when OCR is not installed.
    """
    global _ENGINE
    if _ENGINE is None:
        reason = ocr_missing()
        if reason:
            raise RuntimeError(reason)
        import tesserocr
        api = tesserocr.PyTessBaseAPI(init=False)
        # Tesseract's word lists stay on: they help the words, and numbers are checked by the
        # Indonesian number grammar afterwards (numbers.py), not by a dictionary.
        api.InitFull(path=tessdata_dir(), lang=LANGUAGE, oem=tesserocr.OEM.LSTM_ONLY)
        api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
        _ENGINE = api
    return _ENGINE
