"""The reader interface: what the structure code of extract reads from a PDF, page by page.

The structure code (regions, rows, columns, cells) never touches a PDF library's objects. A
*reader* opens a file and yields one :class:`PageContent` per page, in order, and forgets it:

- ``glyphs``: one dict per printed character (the :class:`Glyph` keys), PDF points, origin at
  the page's top-left corner (``/Rotate`` applied), boxes in pdfminer's convention: the box
  runs from the font's descent to descent + font size and is as wide as the glyph's advance;
- ``graphics``: the page's rule segments and shading fills (:class:`.graphics.PageGraphics`);
- ``has_images``: whether the page draws an image (an image-only page needs OCR);
- ``image_share``: the largest image's share of the page's area (a scan's image is the page);
- ``damaged``: the library's message when the page's content did not decode whole (read as far
  as it goes), else None;
- ``unmapped_fonts``: a font of the page may lack a Unicode map (a Type3 or composite font
  without /ToUnicode): with ``image_share``, what sends a page to :mod:`.textlayer`'s full check;
  such a font's glyphs carry ``font_key`` and ``code`` (see :class:`Glyph`);
- ``unmapped_glyphs``: how many glyphs read as no Unicode text (:func:`.textlayer.unmapped_text`),
  when the reader counts them as it reads (None: :mod:`.textlayer` counts them itself);
- ``unreadable_fonts``: the page's fonts the reader found to have no reading (many of their
  codes read as no text, :func:`.textlayer.font_unreadable`, judged over the document so far);
  their glyphs read ``(cid:N)`` and carry ``font_key`` and ``code``. Empty when the reader does
  not judge its fonts (:mod:`.textlayer` then judges the page's glyphs alone).

Readers (``READERS``): ``pdfplumber`` (pdfminer underneath; the reference) and ``playa``
(playa-pdf, compiled, from pdfminer's lineage: the same glyphs and paths, read about three
times faster). Choose one with ``extract_document(path, reader=...)``, ``renjana run --reader``,
or the environment variable ``RENJANA_READER`` (inherited by the worker processes); the default
is :data:`DEFAULT_READER`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypedDict

from renjana.wording import shorten

from .graphics import PageGraphics
from .settings import DEFAULT_SETTINGS, ExtractSettings

__all__ = ["DEFAULT_READER", "READERS", "READER_ENV", "Glyph", "PageContent", "PdfReader", "ReaderError",
           "open_reader", "reader_name"]

READER_ENV = "RENJANA_READER"
DEFAULT_READER = "playa"
READERS = ("pdfplumber", "playa")


class Glyph(TypedDict, total=False):
    """One printed character as the structure code reads it (a reader may add keys)."""

    text: str          # the character ("" never; a space glyph is " ")
    x0: float          # left, points from the page's left edge
    x1: float          # right: x0 + the glyph's advance
    top: float         # top, points from the page's top edge: baseline - (descent + size)
    bottom: float      # bottom: baseline - descent
    size: float        # font size in points (the box's height for an upright glyph)
    fontname: str      # the font's PostScript name (a "Bold" in it marks bold)
    matrix: tuple      # the text rendering matrix (a, b, c, d, e, f), PDF space (y up)
    upright: bool      # the glyph advances left to right, unrotated
    # Only for a glyph of a font that may lack a Unicode map (Type3, or composite without
    # /ToUnicode), read from its shape where the text layer fails (extract/ocr/glyphmap.py):
    font_key: str      # the font, the same on every page that uses it
    code: object       # the character code in that font (playa: the cid; pdfplumber: its text)
    # ... and once read so: how sure the reading is (0-1), what was done, and "ocr".
    confidence: float
    repair: str
    source: str


@dataclass
class PageContent:
    """One page as a reader sees it: ``number`` counts from 1; ``width`` × ``height`` in points
    (``/Rotate`` applied)."""

    number: int
    width: float
    height: float
    glyphs: list[dict] = field(default_factory=list)
    graphics: PageGraphics = field(default_factory=PageGraphics)
    has_images: bool = False
    image_share: float = 0.0
    unmapped_fonts: bool = False
    unmapped_glyphs: int | None = None
    unreadable_fonts: list[str] = field(default_factory=list)
    # What the PDF library said when the page's content did not decode whole (a truncated or
    # corrupted compressed stream): the page was read only as far as its data goes. None: whole.
    damaged: str | None = None
    # False when the library raised on the page's content (a filter that fails outright): the
    # page holds nothing, and ``damaged`` says why; it is not an empty page.
    decoded: bool = True


# Messages the PDF libraries log when a page's content stream does not decode whole: playa's
# "Error -5 while decompressing data: incomplete or truncated stream", pdfminer's "Data-loss
# while decompressing corrupted data". Both read the stream as far as it goes and carry on.
DECODE_ERRORS = ("while decompressing",)
LIBRARY_LOGGERS = ("playa", "pdfminer")


class _DecodeErrors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(words in message for words in DECODE_ERRORS):
            self.seen.append(message)


@contextmanager
def decode_errors() -> Iterator[list[str]]:
    """The messages of :data:`DECODE_ERRORS` the PDF libraries log inside the ``with`` block (a
    reader reads one page in it, so they are that page's)."""
    handler = _DecodeErrors()
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.seen
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def damage_of(messages: list[str], streams=()) -> str | None:
    """A page's ``damaged``: its first content stream whose data is shorter than its declared
    /Length (``streams``: (object number, bytes present, /Length) per content stream; a file cut
    off inside a stream, which the libraries read to the end of what is there without a word),
    else the first message :func:`decode_errors` collected (cut short: a library may quote a
    whole stream dictionary); None when neither."""
    for objid, present, declared in streams:
        if isinstance(declared, int) and 0 <= present < declared:
            return f"its content stream (object {objid}) holds {present} of its {declared} bytes: cut short"
    return shorten(_plain_stream_message(messages[0]), MAX_DAMAGE_CHARS) if messages else None


def _plain_stream_message(message: str) -> str:
    """A library's message without the stream object it quotes (playa ends "… truncated stream:
    <ContentStream(21): raw=0, {'Length': 0, …}>"): the object's number instead."""
    quoted = re.search(r":?\s*<ContentStream\((\d+)\).*$", message, flags=re.DOTALL)
    if quoted is None:
        return message
    return f"{message[:quoted.start()]} (object {quoted.group(1)})"


MAX_DAMAGE_CHARS = 120


class ReaderError(Exception):
    """The file cannot be opened as a PDF (the message gives the library's reason)."""


class PdfReader(Protocol):
    """An open PDF: ``page_count`` pages, yielded one at a time by :meth:`pages`."""

    page_count: int

    def pages(self) -> Iterator[PageContent]:
        """Every page in order; each is read when asked for and not kept by the reader."""

    def close(self) -> None:
        """Release the file and the library's document."""


def reader_name(name: str | None = None) -> str:
    """The reader to use: ``name``, else ``$RENJANA_READER``, else :data:`DEFAULT_READER`.
    Raises ValueError for a name not in :data:`READERS`."""
    chosen = (name or os.environ.get(READER_ENV) or DEFAULT_READER).strip().lower()
    if chosen not in READERS:
        raise ValueError(f"unknown PDF reader {chosen!r}: choose one of {', '.join(READERS)}")
    return chosen


def open_reader(path: str | Path, name: str | None = None,
                settings: ExtractSettings = DEFAULT_SETTINGS) -> PdfReader:
    """Open the PDF at ``path`` with the reader ``name`` (see :func:`reader_name`).

    ``settings`` holds the graphics tolerances (``thin_fill``, ``axis_tolerance``, …). Raises
    :class:`ReaderError` when the file is not a readable PDF, ValueError for an unknown reader.
    """
    chosen = reader_name(name)
    if chosen == "playa":
        from .read_playa import PlayaReader
        return PlayaReader(Path(path), settings)
    from .read_pdfplumber import PdfplumberReader
    return PdfplumberReader(Path(path), settings)
