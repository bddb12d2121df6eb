"""What an input file is, before pdfminer reads it: plain-language errors, page counts, repairs.

Three jobs, each a library call wrapped in plain words:

* :func:`sniff` looks at the first and last bytes: an empty file, a PNG/JPEG/GIF/TIFF image, an
  HTML page, a Word/Excel/ZIP file or plain text is refused with :class:`InputError` saying so; a
  PDF behind HTTP response headers (``curl -i`` output) is located; a PDF whose end-of-file
  marker is missing, or followed by PDF objects (an update cut off), is flagged as truncated;
  junk after a complete file's marker (zeros, newlines a server added) is not.
* :func:`count_pages` asks pdfium (pypdfium2) how many pages the file has, a second engine beside
  pdfminer: a file pdfminer reads with fewer pages is caught (see :mod:`renjana.pipeline`). A file
  that needs a password is refused here, naming the password.
* :func:`repair_copy` writes a copy rebuilt by qpdf (pikepdf): cross-reference tables rebuilt,
  a truncated tail recovered where the objects are still there, bytes before ``%PDF`` dropped.

Nothing here parses page content; a hostile file costs at most what pdfium's or qpdf's open
costs, inside the worker process that runs the file (:mod:`renjana.runner`).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Damage", "InputError", "Repair", "Sniffed", "content_damage", "sniff", "count_pages", "repair_copy",
           "safe_name", "text_chars"]

# Bytes read from the head of a file to tell its kind, and from its tail to find ``%%EOF``.
HEAD_BYTES = 4096
# A PDF's end-of-file marker may be followed by a little junk (a newline, a NUL run, a signature
# padding); pdfium and qpdf look this far back for it, so do we.
TAIL_BYTES = 2048
# HTTP response headers (``curl -i``) before a PDF body are at most this long.
MAX_HTTP_HEADER_BYTES = 16384
# Share of printable characters above which an unknown file is called "a text file".
TEXT_SHARE = 0.95

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (Word .doc or Excel .xls)"),
    (b"{\\rtf", "an RTF (Word) document"),
    (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<!--)", re.IGNORECASE)
_HTTP = re.compile(rb"^HTTP/\d(\.\d)? \d{3}")


class InputError(Exception):
    """The file cannot be read as a PDF; ``str()`` says why in plain words (no exception jargon)."""


@dataclass(frozen=True)
class Sniffed:
    """A file that looks like a PDF: where its ``%PDF`` starts, and whether its end is missing."""

    offset: int  # bytes before ``%PDF`` (HTTP headers), 0 for a normal file
    truncated: bool  # no ``%%EOF`` near the end: the download or copy stopped early


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a ZIP archive"
    if any(n.startswith("word/") for n in names):
        return "a Word document (.docx)"
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook (.xlsx)"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint file (.pptx)"
    return "a ZIP archive"


def _kind_of(head: bytes, path: Path) -> str:
    """What a non-PDF file is, in words, from its first bytes."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    body = head.lstrip(b"\xef\xbb\xbf")
    if _HTML.match(body):
        return "an HTML page (a web page saved instead of the PDF)"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="ignore") if len(body) > 8 else ""
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    if text and printable >= TEXT_SHARE * len(body):
        return "a text file"
    return "a file of an unknown kind"


def sniff(path: Path) -> Sniffed:
    """Refuse a file that is not a PDF, saying what it is; locate ``%PDF`` and the end marker.

    Raises :class:`InputError` for an empty file or a file of another kind (PNG, HTML, Word, text).
    A ``%PDF`` inside an HTML comment does not make a PDF: it must start the file, or start the
    body after HTTP response headers.
    """
    size = path.stat().st_size
    if size == 0:
        raise InputError("the file is empty (0 bytes): the download or copy failed")
    with path.open("rb") as fh:
        head = fh.read(max(HEAD_BYTES, MAX_HTTP_HEADER_BYTES))
        fh.seek(max(0, size - TAIL_BYTES))
        tail = fh.read()
    offset = 0
    if _HTTP.match(head):
        end = head.find(b"\r\n\r\n")
        end = end + 4 if end >= 0 else head.find(b"\n\n") + 2
        if end >= 2 and head[end:end + 5] == b"%PDF-":
            offset = end
    start = head[offset:offset + 1024].lstrip(b"\xef\xbb\xbf\x00 \t\r\n")
    if not start.startswith(b"%PDF-"):
        kind = _kind_of(head, path)
        raise InputError(f"not a PDF: the file is {kind}")
    return Sniffed(offset=offset, truncated=b"%%EOF" not in tail and _cut_short(path))


# What follows the last end marker of a file cut off inside its body (or inside an update
# appended to it): object syntax. Bytes a server or a copy added after a complete file (zeros,
# newlines, junk) hold none of it.
_STRUCTURE = re.compile(rb"\d+\s+\d+\s+obj\b|\bendobj\b|\bendstream\b|\bstartxref\b|\btrailer\b")


def _cut_short(path: Path) -> bool:
    """Whether a file without ``%%EOF`` in its last :data:`TAIL_BYTES` stopped early: no end
    marker at all, or PDF objects after its last one. Searched through a memory map (the whole
    file is not read into memory)."""
    import mmap

    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        end = data.rfind(b"%%EOF")
        return end < 0 or _STRUCTURE.search(data, end + 5) is not None


def count_pages(path: Path) -> int | None:
    """Pages in the file as pdfium counts them; None when pdfium cannot open it.

    Raises :class:`InputError` when the file needs a password to open.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path) if _encodable(path) else path.read_bytes())
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("the PDF is protected by a password; renjana cannot open it "
                             "without the password (ask the publisher for an open copy)") from None
        return None
    try:
        return len(document)
    finally:
        document.close()


def text_chars(path: Path, pages: list[int]) -> dict[int, int]:
    """Characters of text pdfium reads on each of ``pages`` (numbers from 1): a second engine's
    word on pages the main reader found empty. Pages pdfium cannot open, or a file it cannot
    open, are left out."""
    import pypdfium2 as pdfium

    if not pages:
        return {}
    try:
        document = pdfium.PdfDocument(str(path) if _encodable(path) else path.read_bytes())
    except Exception:  # noqa: BLE001 - pdfium's verdict on the file is taken by count_pages
        return {}
    found: dict[int, int] = {}
    try:
        for number in pages:
            try:
                page = document[number - 1]
                textpage = page.get_textpage()
                found[number] = textpage.count_chars()
                textpage.close()
                page.close()
            except Exception:  # noqa: BLE001 - a page pdfium cannot open: no word on it
                continue
    finally:
        document.close()
    return found


@dataclass(frozen=True)
class Repair:
    """What qpdf made of a file: the pages of the rebuilt copy (None: not repaired) and, when it
    could not, whether the reason is a loop in the page tree (then no engine's count is sure)."""

    pages: int | None
    page_tree_loop: bool = False


def repair_copy(path: Path, target: Path, offset: int = 0) -> Repair:
    """Write a copy of ``path`` rebuilt by qpdf (pikepdf) to ``target`` and say how many pages it
    has; ``Repair(None)`` when qpdf cannot open the file either (damaged beyond repair).

    ``offset`` skips bytes before ``%PDF`` (HTTP headers). Raises :class:`InputError` for a file
    that needs a password.
    """
    import io

    import pikepdf

    data = path.read_bytes()[offset:]
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            pdf.save(target)
            return Repair(pages)
    except pikepdf.PasswordError:
        raise InputError("the PDF is protected by a password; renjana cannot open it "
                         "without the password (ask the publisher for an open copy)") from None
    except Exception as exc:  # noqa: BLE001 - qpdf's many errors all mean "cannot repair"
        return Repair(None, page_tree_loop="loop detected" in str(exc).lower())


# Words in qpdf's syntax-check messages that concern page content (a stream that does not decode
# or parse); the others (a rebuilt cross-reference table, a repaired dictionary) lose no data.
CONTENT_DAMAGE_WORDS = ("stream", "content")
_PAGE_OBJECT = re.compile(r"page object (\d+) (\d+)")
# qpdf names a damaged stream by its object: "(object 11 0, offset 4532): unable to recover …".
_OBJECT = re.compile(r"\(object (\d+) (\d+)")
_PAGE_NUMBER = re.compile(r"\bpage (\d+):")
_HANDLE = re.compile(r"(stream )?<_io\.\w+ name=[^>]*>:?\s*")  # qpdf names the file handle


@dataclass(frozen=True)
class Damage:
    """What qpdf's syntax check says about a file's content: ``opened`` False when qpdf cannot
    open it at all; ``pages`` the page numbers (from 1) whose content is damaged, as far as the
    messages name them; ``messages`` the content messages, shortened."""

    opened: bool
    pages: tuple[int, ...] = ()
    messages: tuple[str, ...] = ()


# Characters of one qpdf message kept in a note.
MESSAGE_CHARS = 120


def content_damage(path: Path, offset: int = 0) -> Damage:
    """Decode every stream and parse every page's content with qpdf (pikepdf's
    ``check_pdf_syntax``) and report the damage to page content: streams that do not inflate,
    content that ends inside a token. Cost: one decode of the file's streams (about 10 ms a page).
    A check that itself runs out of memory or fails reports nothing (``opened`` True).

    A file qpdf's own check finds clean (:func:`_qpdf_finds_nothing`) has nothing to report and
    skips ``check_pdf_syntax``, which parses each page's content through a Python callback per
    token (most of its cost); any other file gets the full check, for its messages.
    """
    import io

    import pikepdf

    if not offset and _qpdf_finds_nothing(path):
        return Damage(True)
    handle = io.BytesIO(path.read_bytes()[offset:]) if offset else path.open("rb")
    try:
        pdf = pikepdf.open(handle)
    except pikepdf.PasswordError:
        handle.close()
        return Damage(True)
    except Exception:  # noqa: BLE001 - qpdf cannot open it at all
        handle.close()
        return Damage(False)
    try:
        with handle, pdf:
            messages = pdf.check_pdf_syntax()
            numbers = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
            streams = _content_streams(pdf)
    except Exception:  # noqa: BLE001 - MemoryError or a qpdf failure: no verdict
        return Damage(True)
    plain = [_HANDLE.sub("", m.replace(str(path), "")).replace(" : ", " ") for m in messages]
    content = [m for m in plain if any(word in m.lower() for word in CONTENT_DAMAGE_WORDS)]
    pages = set()
    for message in content:
        if (found := _PAGE_OBJECT.search(message)) and (int(found[1]), int(found[2])) in numbers:
            pages.add(numbers[(int(found[1]), int(found[2]))])
        elif found := _PAGE_NUMBER.search(message):
            pages.add(int(found[1]))
        elif (found := _OBJECT.search(message)) and (int(found[1]), int(found[2])) in streams:
            pages.update(streams[(int(found[1]), int(found[2]))])
    return Damage(True, tuple(sorted(pages)), tuple(m[:MESSAGE_CHARS] for m in content))


# Threads running qpdf's own check (see _qpdf_finds_nothing), whose pikepdf log records are dropped.
_QUIET_THREADS: set[int] = set()


def _not_quieted(record: logging.LogRecord) -> bool:
    return record.thread not in _QUIET_THREADS


# pikepdf hands qpdf's output to this logger, on the thread that called qpdf.
logging.getLogger("pikepdf._core").addFilter(_not_quieted)


def _qpdf_finds_nothing(path: Path) -> bool:
    """True when ``qpdf --check`` (run inside pikepdf, all in C++) finds no warning and no error:
    then ``check_pdf_syntax``, which follows the same steps (QPDFJob::doCheck), returns nothing
    either. False for any finding or failure (the caller runs the full check for its words).
    qpdf's own output (progress, findings in its words) is logged, not shown: dropped here."""
    import pikepdf

    _QUIET_THREADS.add(threading.get_ident())
    try:
        job = pikepdf.Job({"inputFile": str(path), "check": "", "noWarn": ""})
        job.run()
        return job.exit_code == 0 and not job.has_warnings
    except Exception:  # noqa: BLE001 - qpdf's errors, a path it cannot take: no verdict here
        return False
    finally:
        _QUIET_THREADS.discard(threading.get_ident())


def _content_streams(pdf) -> dict[tuple[int, int], set[int]]:
    """Object (number, generation) of each page's content stream(s) → the pages (from 1) that
    draw it, so a message about a damaged stream object names its page."""
    import pikepdf

    streams: dict[tuple[int, int], set[int]] = {}
    for n, page in enumerate(pdf.pages, start=1):
        try:
            contents = page.obj.get("/Contents")
            parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            for part in parts:
                if part is not None and part.is_indirect:
                    streams.setdefault(part.objgen, set()).add(n)
        except Exception:  # noqa: BLE001 - a broken page dictionary names no stream
            continue
    return streams


def _encodable(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def safe_name(name: str) -> str:
    """A file name as text anyone can read and store: bytes that are not UTF-8 (kept by Python as
    surrogates) are written ``\\xNN``; other characters, any script, are kept."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")
