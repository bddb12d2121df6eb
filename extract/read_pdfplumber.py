"""The reference reader: pdfplumber (pdfminer) chars and page objects → :class:`.reader.PageContent`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pdfplumber

from .graphics import page_graphics
from .reader import PageContent, ReaderError
from .settings import ExtractSettings


class PdfplumberReader:
    """pdfplumber's ``page.chars`` as the glyphs, its ``page.lines``, ``page.rects`` and
    ``page.curves`` read by :func:`.graphics.page_graphics` as the graphics. Raises
    :class:`.reader.ReaderError` when pdfminer cannot open the file."""

    def __init__(self, path: Path, settings: ExtractSettings) -> None:
        try:
            self._pdf = pdfplumber.open(path)
        except Exception as exc:  # pdfminer raises many types for a broken file
            raise ReaderError(f"{type(exc).__name__}: {exc}") from exc
        try:
            self.page_count = len(self._pdf.pages)
        except Exception as exc:  # a broken page tree
            self._pdf.close()
            raise ReaderError(f"{type(exc).__name__}: {exc}") from exc
        self._settings = settings

    def pages(self) -> Iterator[PageContent]:
        for number, page in enumerate(self._pdf.pages, start=1):
            width, height = float(page.width), float(page.height)
            content = PageContent(
                number=number, width=width, height=height, glyphs=page.chars,
                graphics=page_graphics(page.lines, page.rects, page.curves, width, height, self._settings),
                has_images=bool(page.images))
            page.close()  # pdfplumber's cached layout of the page is dropped
            yield content

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> "PdfplumberReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
