"""OCR of scanned pages: the tables and text of a page image, in the models born-digital pages
produce (``PageTable``, ``RawCell``, ``TextLine`` in PDF points, origin top-left), so normalize,
validate and the metadata run on them unchanged.

:func:`ocr_pages` is the one entry point extract calls, with the pages that need it; when
Tesseract is not installed it notes so and marks the pages ``needs-ocr``, never raising.
"""

from __future__ import annotations

import os

from renjana.models import ExtractedDocument, PageText, UnreadPage

from .engine import INSTALL_HINT, ocr_missing
from .settings import DEFAULT_OCR_SETTINGS, OcrSettings

__all__ = ["ocr_pages", "ocr_missing", "ocr_mode", "INSTALL_HINT", "OCR_ENV", "OCR_MODES", "OcrSettings",
           "DEFAULT_OCR_SETTINGS"]

# How scanned pages are read, for a whole run: the CLI sets this environment variable and the
# worker processes inherit it (as ``RENJANA_READER`` for the PDF reader).
OCR_ENV = "RENJANA_OCR"
# ``off``: no OCR (pages noted as not read); ``on``: Tesseract (the default); ``check``: Tesseract,
# and the number cells reread by the second reader (:mod:`.check`).
OCR_MODES = ("off", "on", "check")


def ocr_mode(name: str | None = None) -> str:
    """The OCR mode: ``name``, else ``$RENJANA_OCR``, else ``on``. Raises ValueError naming the
    modes for an unknown one."""
    value = (name if name is not None else os.environ.get(OCR_ENV) or "on").strip().lower()
    if value not in OCR_MODES:
        raise ValueError(f"unknown OCR mode '{value}': choose one of {', '.join(OCR_MODES)}")
    return value


def ocr_pages(doc: ExtractedDocument, pages: dict[int, str], enabled: bool = True,
              settings: OcrSettings = DEFAULT_OCR_SETTINGS, check: bool = False) -> None:
    """Read ``pages`` (1-based page number → why it needs OCR, in plain words) of ``doc`` by OCR,
    adding their tables, text lines, notes and :class:`UnreadPage` entries to ``doc`` in place.

    A page read gets status ``ocr``; when OCR is off (``enabled`` False) or not installed, every
    page keeps ``needs-ocr`` (or ``text-unreadable`` for a garbled text layer) and the note says
    why. ``check``: the number cells are reread by the second reader (:mod:`.check`); when it is
    not installed, a note says so and the pages are read by Tesseract alone. A page that fails inside the engine is noted ``unreadable`` with the error; the others
    go on.
    """
    if not pages:
        return
    from renjana.extract import _page_ranges  # the notes' page-range wording

    missing = None if enabled else "OCR is off"
    if missing is None:
        missing = ocr_missing()
    if missing:
        for why in sorted(set(pages.values())):
            numbers = sorted(n for n, w in pages.items() if w == why)
            doc.notes.append(f"{_page_ranges(numbers)}: {why}: needs OCR ({missing})")
        for number, why in sorted(pages.items()):
            status = "text-unreadable" if why.startswith("text unreadable") else "needs-ocr"
            doc.unread_pages.append(UnreadPage(page=number, status=status, reason=f"{why}; {missing}"))
        return
    from .page import read_page

    if check:
        from .check import SECOND_READER, check_missing

        check_reason = check_missing()
        if check_reason:
            doc.notes.append(f"{_page_ranges(sorted(pages))}: numbers not checked by a second reader ({check_reason})")
            check = False
    read: list[int] = []
    for number, why in sorted(pages.items()):
        try:
            page = read_page(doc.path, number - 1, number, settings, check=check)
        except Exception as exc:  # the engine or the image library failed on this page
            doc.notes.append(f"page {number}: OCR failed ({type(exc).__name__}: {exc})")
            doc.unread_pages.append(UnreadPage(page=number, status="unreadable",
                                               reason=f"{why}; OCR failed: {exc}"))
            continue
        doc.tables.extend(page.tables)
        doc.text.append(PageText(page=number, lines=page.lines))
        doc.unread_pages.append(UnreadPage(page=number, status="ocr", reason=f"{why}: read by OCR"))
        read.append(number)
    doc.text.sort(key=lambda text: text.page)
    if read:
        for why in sorted({pages[n] for n in read}):
            numbers = [n for n in read if pages[n] == why]
            checked = f", number cells reread by {SECOND_READER}" if check else ""
            doc.notes.append(f"{_page_ranges(numbers)}: {why}: read by OCR (Tesseract{checked}); "
                             "cells carry OCR confidences")
