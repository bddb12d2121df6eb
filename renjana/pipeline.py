"""One PDF through every stage: extract → normalize → validate. No I/O besides reading the PDF
(and, for a damaged file, writing a repaired copy to a temporary folder that is removed after).

Before and around extract, the file is checked so nothing is lost silently
(:mod:`renjana.preflight`):

* a file that is not a PDF, is empty or needs a password is refused with a plain-language
  :class:`~renjana.preflight.InputError`;
* pdfium counts the pages as a second engine; when pdfminer (extract) reads fewer pages than that,
  or cannot read the file at all, a copy rebuilt by qpdf (pikepdf) is read instead; pages still
  not read are listed in ``source.unread_pages`` with status ``unreadable``;
* a truncated file that could be read is marked ``source.damaged``;
* every stream a page draws (content, forms, images, font programs) is checked to decode whole
  (:mod:`renjana.stream_damage`: zlib's checksum, libjpeg-turbo's warnings, an image's size, a
  composite font's /Encoding; on a scanned page, the marks corrupted JPEG data leaves in the
  decoded image, :mod:`renjana.jpeg_damage`): a page drawing damaged data gets a note naming the
  object and the file is ``partial``;
* an object qpdf had to repair while reading it (a garbled page or font dictionary, outside any
  stream) is named on every page that uses it, with what it may do there, and the file is
  ``partial``; a page dictionary qpdf could not read at all makes the file damaged, so an empty
  page is taken as lost.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from renjana.collection import fewer_collections
from renjana.hashing import document_id
from renjana.extract import _page_ranges, extract_document, sha256_of
from renjana.memory import release_free_memory
from renjana.models import DocumentResult, ExtractedDocument, UnreadPage
from renjana.normalize import FirstPass, normalize_document
from renjana.preflight import InputError, content_damage, count_pages, repair_copy, safe_name, sniff, text_chars
from renjana.stream_damage import PageDamage, damage_report
from renjana.validate import validate_document
from renjana.wording import count

__all__ = ["process_file", "read_checked", "read_streamed", "InputError"]

REPAIRED_NAME = "repaired.pdf"
# A library's message quoted in a reason is cut here (pdfminer quotes whole damaged objects).
MAX_QUOTE_CHARS = 160
# Characters of text pdfium must read on a page our reader found empty for the page to count
# as lost (a stray space or a page number's digits drawn in white are not a page of text).
MIN_SILENT_CHARS = 20


# pdfminer's log messages that prove data was lost while reading (a compressed stream whose
# checksum fails is decoded as far as it goes): the file is damaged, whatever qpdf says.
DATA_LOSS_MESSAGES = ("Data-loss while decompressing corrupted data",)
PDFMINER_LOGGER = "pdfminer"


class _DataLoss(logging.Handler):
    """Collects pdfminer's data-loss warnings during one read."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(known in message for known in DATA_LOSS_MESSAGES):
            self.seen.append(message)


def _extract(path: Path) -> tuple[ExtractedDocument | None, FirstPass | None, BaseException | None]:
    """The extracted document, its tables handed one by one to normalize's first pass (so the
    document's tables are never all held at once; ``doc.tables`` stays empty), or the error."""
    watcher = _DataLoss()
    logger = logging.getLogger(PDFMINER_LOGGER)
    logger.addHandler(watcher)
    first_pass = FirstPass()
    try:
        doc = extract_document(path, on_table=first_pass.add)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for a damaged file
        return None, None, exc
    finally:
        logger.removeHandler(watcher)
    release_free_memory()  # the reader's document, closed: its mapping of the file, its streams
    if watcher.seen:
        streams = count(len(watcher.seen), "compressed stream")
        doc.notes.append(f"damaged: {streams} {'fails its' if len(watcher.seen) == 1 else 'fail their'} checksum "
                         f"(pdfminer read {'it' if len(watcher.seen) == 1 else 'them'} as far as {'it goes' if len(watcher.seen) == 1 else 'they go'})")
    return doc, first_pass, None


def _silent_pages(path: Path, doc: ExtractedDocument) -> dict[int, int]:
    """Pages the reader found empty (no glyph, rule or image) on which pdfium reads at least
    :data:`MIN_SILENT_CHARS` characters of text → those characters: a page whose objects the
    reader could not find (a damaged cross-reference table it rebuilt otherwise than pdfium)."""
    chars = text_chars(path, list(doc.empty_pages))
    return {n: c for n, c in chars.items() if c >= MIN_SILENT_CHARS}


def _damaged_reason(exc: BaseException | None, truncated: bool) -> str:
    if truncated:
        return "the file is truncated (its end is missing): the download or copy stopped early"
    if isinstance(exc, RecursionError):
        return "the file's objects nest without end (a loop or absurd depth)"
    return "the file is damaged beyond repair: neither pdfminer, pdfium nor qpdf can read it"


def read_checked(path: str | Path) -> tuple[ExtractedDocument, str | None]:
    """Extract ``path`` with the page count cross-checked and a repair tried when pages are lost.

    Returns the extracted document named after ``path`` (its file name made printable, see
    :func:`~renjana.preflight.safe_name`), with ``unread_pages`` listing pages no engine could read
    and a note for each repair; and why the file is damaged (truncated) when it is, else None.
    Raises :class:`InputError` (plain words) when nothing can be read.
    """
    doc, first_pass, damaged = read_streamed(path)
    doc.tables = list(first_pass.tables())
    return doc, damaged


def read_streamed(path: str | Path) -> tuple[ExtractedDocument, FirstPass, str | None]:
    """As :func:`read_checked`, the tables handed to normalize's :class:`FirstPass` as extract
    finds them instead (``doc.tables`` is empty): returns the document, that first pass and why
    the file is damaged."""
    path = Path(path)
    sniffed = sniff(path)
    expected = count_pages(path) if sniffed.offset == 0 else None
    pdfium_failed = sniffed.offset == 0 and expected is None
    doc, first_pass, error = (None, None, None) if sniffed.offset else _extract(path)
    notes: list[str] = []
    repaired_used = page_tree_loop = False
    # Pages our reader found empty on which pdfium reads text: objects it could not find.
    silent = _silent_pages(path, doc) if doc is not None and not sniffed.offset else {}
    with tempfile.TemporaryDirectory(prefix="renjana-repair-") as tmp:
        if doc is None or expected is None or doc.pages < expected or sniffed.truncated or silent:
            repaired = Path(tmp) / REPAIRED_NAME
            repair = repair_copy(path, repaired, sniffed.offset)
            page_tree_loop = repair.page_tree_loop
            if repair.pages is not None:
                expected = max(expected or 0, repair.pages)
                if doc is None or doc.pages < repair.pages or silent:
                    fixed, fixed_pass, fixed_error = _extract(repaired)
                    fixed_silent = _silent_pages(path, fixed) if fixed is not None else {}
                    if fixed is not None and (doc is None or fixed.pages > doc.pages or (
                            silent and fixed.pages == doc.pages and len(fixed_silent) < len(silent))):
                        doc, first_pass, error, repaired_used = fixed, fixed_pass, fixed_error, True
                        what = ("HTTP headers before the PDF were dropped" if sniffed.offset
                                else "its cross-reference table or structure was damaged")
                        notes.append(f"read from a copy repaired by qpdf: {what}")
                        silent = fixed_silent
        if doc is None and (expected is None or sniffed.truncated):
            raise InputError(_damaged_reason(error, sniffed.truncated))
        if doc is None:
            damage = _content_damage(path, sniffed.offset, pdfium_failed)
            if damage:  # say what is wrong with the file, then how reading it failed
                raise InputError(f"the file is damaged ({damage}); reading it failed: "
                                 f"{type(error).__name__}: {str(error)[:MAX_QUOTE_CHARS]}") from error
            raise error  # a sound file (pdfium and qpdf read it): pdfminer's or our own failure
    for number, chars in sorted(silent.items()):
        doc.unread_pages.append(UnreadPage(page=number, status="unreadable",
                                           reason=f"nothing could be read on the page, while pdfium reads {chars} "
                                                  "characters of text on it: the file is damaged"))
    if silent:
        doc.unread_pages.sort(key=lambda u: u.page)
        doc.notes.append(f"{_page_ranges(sorted(silent))}: damaged: nothing could be read, while pdfium reads text "
                         "there (objects the reader could not find): that text is lost")
    if doc.pages == 0 and sniffed.truncated:  # nothing of a cut-off file could be read
        raise InputError(_damaged_reason(error, truncated=True))
    update = {"file": safe_name(path.name), "path": safe_name(str(path)), "notes": notes + doc.notes}
    if repaired_used:
        update["sha256"] = sha256_of(path)
    doc = doc.model_copy(update=update)
    lost = (expected or 0) - doc.pages
    if lost > 0 and page_tree_loop:
        # pdfium walks a looping page tree until its /Count is met, meeting pages again.
        doc.notes.append(f"the page tree has a loop: pdfium counts {expected} pages, pdfminer reads "
                         f"{doc.pages} distinct ones")
    elif lost > 0:
        # Which pages pdfminer skipped is not known; the last ones are listed, the note says so.
        doc.unread_pages.extend(
            UnreadPage(page=number, status="unreadable",
                       reason=f"the file has {expected} pages (pdfium), only {doc.pages} could be read")
            for number in range(doc.pages + 1, expected + 1))
        doc.notes.append(f"{lost} of {count(expected, 'page')} could not be read (pdfium counts {expected}, "
                         f"pdfminer read {doc.pages}, also after a repair by qpdf)")
    if expected is None and doc.pages:
        doc.notes.append("pdfium cannot open this file; its page count could not be cross-checked")
    if doc.pages == 0:
        doc.notes.append("the PDF has no pages")
    if sniffed.truncated:
        damaged = _damaged_reason(None, truncated=True)
    elif page_tree_loop:  # qpdf refuses a looping page tree; the note above says what was read
        damaged = None
    else:
        damaged = _content_damage(path, sniffed.offset, pdfium_failed, doc.pages)
    if not damaged and pdfium_failed and doc.pages:
        damaged = "pdfium cannot open the file: it is damaged"
    if damaged:
        doc.notes.append(f"damaged: {damaged}; what was read may be incomplete")
    elif any(n.startswith("damaged: ") for n in doc.notes):  # pdfminer's own data-loss warning
        damaged = next(n for n in doc.notes if n.startswith("damaged: ")).removeprefix("damaged: ")
    # Scanned pages (read or to be read by OCR): their JPEGs are also looked at for visible damage.
    scanned = frozenset(u.page for u in doc.unread_pages if u.status in ("ocr", "needs-ocr"))
    report = damage_report(path, sniffed.offset, scanned=scanned)
    streams = report.pages
    if streams:
        _damaged_streams(doc, streams)
        counted = {u.page for u in doc.unread_pages if u.status != "ocr"}
        if not damaged and not set(streams) <= counted:  # a page read in full (or by OCR) drew damaged data
            damaged = _streams_reason({n: items for n, items in streams.items() if n not in counted})
    for what in report.file:  # a page qpdf could not place: an empty page below is taken as it
        doc.notes.append(f"damaged: {what}")
        damaged = damaged or what
    if damaged:
        _empty_pages_lost(doc, damaged)
    return doc, first_pass, damaged


def _damaged_streams(doc: ExtractedDocument, streams: dict[int, list[PageDamage]]) -> None:
    """A note for each page that draws a damaged stream or font (:mod:`renjana.stream_damage`),
    saying which object and what it does; a page whose content is lost or wrong by it (and not
    listed yet) is listed in ``unread_pages`` (status ``unreadable``: what was read of it stays)."""
    listed = {u.page for u in doc.unread_pages}
    pages_of: dict[str, list[int]] = {}  # one note per damaged object (a font is drawn on many pages)
    for number, items in sorted(streams.items()):
        if number > doc.pages:  # a page pdfminer did not read is listed already
            continue
        for item in items:
            pages_of.setdefault(item.what, []).append(number)
        if number not in listed and any(item.loses_content for item in items):
            what = "; ".join(item.what for item in items if item.loses_content)
            doc.unread_pages.append(UnreadPage(page=number, status="unreadable",
                                               reason=f"partly read: it draws damaged data ({what})"))
    doc.notes.extend(f"{_page_ranges(pages)}: damaged: {what}" for what, pages in pages_of.items())
    doc.unread_pages.sort(key=lambda u: u.page)


def _streams_reason(streams: dict[int, list[PageDamage]]) -> str:
    """The file's ``damaged`` when only its streams or fonts are: the pages and the first object."""
    first = streams[min(streams)][0].what
    return f"{_page_ranges(sorted(streams))} {'draws' if len(streams) == 1 else 'draw'} damaged data ({first})"


def _empty_pages_lost(doc: ExtractedDocument, damaged: str) -> None:
    """In a damaged file, a page on which nothing at all was found (``doc.empty_pages``: no
    glyph, rule, fill or image) is taken as lost, not blank: a truncated file's last pages keep
    their page objects while the content streams they point to are cut off. Each is listed in
    ``unread_pages`` (status ``unreadable``) with one note, so the page counts as not read."""
    listed = {u.page for u in doc.unread_pages}
    lost = [n for n in doc.empty_pages if n not in listed]
    if not lost:
        return
    doc.unread_pages.extend(
        UnreadPage(page=n, status="unreadable",
                   reason=f"nothing could be read on the page in a damaged file ({damaged}): its content was "
                          "probably lost")
        for n in lost)
    doc.unread_pages.sort(key=lambda u: u.page)
    doc.notes.append(f"{_page_ranges(lost)}: nothing could be read (no text, rules or images) in a damaged "
                     f"file: {'its' if len(lost) == 1 else 'their'} content was probably lost")


def _content_damage(path: Path, offset: int, pdfium_failed: bool, pages: int | None = None) -> str | None:
    """Why the content pdfminer read may be incomplete, from qpdf's syntax check; None if sound.
    ``pages``: the file's page count when known (a one-page file's damage is on page 1)."""
    damage = content_damage(path, offset)
    if not damage.opened:
        return ("neither pdfium nor qpdf can open the file" if pdfium_failed
                else "qpdf cannot open the file") + ": it is damaged"
    if not damage.messages:
        return None
    pages_named = damage.pages or ((1,) if pages == 1 else ())
    where = f"page {', '.join(map(str, pages_named))}" if pages_named else "a page"
    return f"{where}: damaged content ({damage.messages[0].removeprefix('WARNING: ').strip()})"


@fewer_collections  # a file's objects live until it is done: see renjana/collection.py
def process_file(path: str | Path) -> DocumentResult:
    """Read one PDF (checked, see :func:`read_checked`), normalize and validate it.

    Raises :class:`InputError` with a plain-language reason when the file cannot be read.
    """
    path = Path(path)
    extracted, first_pass, damaged = read_streamed(path)
    # The page tables (every cell's text lines and glyph edges: about half a MiB a page as
    # objects) went to normalize's first pass as extract found them, kept compact there; the
    # second pass reads them back one logical table at a time. Both are dropped as soon as
    # normalize returns, so validate and the writer never hold them beside the result.
    normalized = normalize_document(extracted, first_pass)
    del extracted, first_pass
    release_free_memory()  # the pieces read back, the first pass's bytes
    normalized.source.damaged = damaged
    findings = validate_document(normalized)
    doc_id = document_id(normalized.source.file, normalized.source.sha256)
    return DocumentResult(**dict(normalized), findings=findings, document_id=doc_id)
