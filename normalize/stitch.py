"""One logical table from its page pieces: repeated headers and column-number rows dropped,
a row cut by a page break joined back into one row.

The pieces are read one after another (:func:`continues` decides, piece by piece, where a logical
table ends; :func:`build_logical` reads its pieces as an iterator), so a table printed over
hundreds of pages never has all its pieces in memory at once."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from difflib import SequenceMatcher
from dataclasses import dataclass, field

from renjana.models import BBox, PageTable, RawCell, TextLine

from .header import MAX_HEADER_ROWS, header_depth, is_number_row, texts_of, top_rows, top_rows_texts
from .numbers import is_valid_number

CAPTION_START = re.compile(r"^\s*(tabel|table|formulir|lampiran|\d{1,2}\.\d{1,2}\.?\s)", re.IGNORECASE)
# A joined text this long (letters) that the document prints whole elsewhere is one cell.
MIN_KNOWN_TEXT = 8
# A kode: one- or two-digit segments (a four-digit sub kegiatan segment in SIPD exports).
FULL_KODE = re.compile(r"^\d{1,2}(\.\d{1,2})+(\.\d{4})?\.?$")
# A word space is about this share of the font size.
SPACE_SHARE = 0.3
# Cell padding assumed when judging whether a line was full (points).
PADDING = 2.0
# A header row read by OCR on two pages is the same header when its squeezed texts agree on at
# least this share of characters: OCR misreads a letter or two per page (``pada``/``nada``),
# while a different table's header differs in whole words.
OCR_HEADER_MATCH = 0.9


@dataclass
class DraftCell:
    lines: list[TextLine] = field(default_factory=list)
    bbox: BBox | None = None
    page: int = 0
    tail_lines: list[TextLine] = field(default_factory=list)  # continued from the next page
    tail_bbox: BBox | None = None
    tail_page: int = 0


@dataclass
class DraftRow:
    cells: list[DraftCell]
    page: int

    def texts(self) -> list[str]:
        return [" ".join(line.text for line in c.lines + c.tail_lines) for c in self.cells]


@dataclass
class LogicalTable:
    """A logical table being read: its first piece (which holds the header), the header's depth,
    and its body rows, an iterator that reads the following pieces as it goes."""

    first: PageTable
    depth: int  # header rows of the first piece
    pages: list[int]  # the pages of the pieces read so far: all of them once ``rows`` is exhausted
    rows: Iterator[DraftRow] = field(default_factory=lambda: iter(()))


def continues(table: PageTable, first: PageTable, last: PageTable) -> bool:
    """Does ``table`` continue the logical table whose first piece is ``first`` and whose last
    piece so far is ``last``? Yes when it is on the next page, has the same number of columns, no
    caption of its own, and does not open with a header of its own that differs from the
    table's (a caption left at the foot of a page)."""
    return (table.page - last.page == 1 and table.n_cols == last.n_cols
            and not CAPTION_START.match(table.caption or "")
            and not _other_header(table, first))


def _other_header(piece: PageTable, first: PageTable) -> bool:
    """The piece starts with a header (ending in a column-number row) unlike the table's own."""
    depth, by_row = _header_rows(piece)
    if not depth or not is_number_row(texts_of(piece, by_row[depth - 1], _plain_text)):
        return False
    first_depth, first_rows = _header_rows(first)
    own = [squeeze(" ".join(texts_of(first, cells, _plain_text))) for cells in first_rows[:first_depth]]
    text = squeeze(" ".join(texts_of(piece, by_row[0], _plain_text)))
    if text in own:
        return False
    if _read_by_ocr(piece) or _read_by_ocr(first):
        return not any(SequenceMatcher(None, text, o, autojunk=False).ratio() >= OCR_HEADER_MATCH for o in own)
    return True


def _header_rows(table: PageTable, at_least: int = 0) -> tuple[int, list[list[RawCell]]]:
    """The table's header depth (:func:`header_depth`) and the cells of its first rows, at least
    of its header's and of ``at_least`` rows (as far as the table goes), its cells looked through
    once (twice for a header deeper than :data:`MAX_HEADER_ROWS`: a tall merged cell)."""
    by_row = top_rows(table, min(max(MAX_HEADER_ROWS, at_least), table.n_rows))
    depth = header_depth(table, _plain_text, by_row)
    if depth > len(by_row):
        by_row = top_rows(table, depth)
    return depth, by_row


def _read_by_ocr(table: PageTable) -> bool:
    return any(line.source == "ocr" for cell in table.cells for line in cell.lines)


def _plain_text(cell) -> str:
    return " ".join(line.text for line in cell.lines)


def squeeze(text: str) -> str:
    """Text without spaces, lower case: equal for the same words however a cell wrapped them."""
    return "".join(text.split()).casefold()


def build_logical(pieces: Iterable[PageTable], known_cells: Mapping[str, int] | None = None) -> LogicalTable:
    """The logical table of ``pieces`` (in page order). Its ``rows`` are read from the pieces as
    they are iterated: each row is handed over once it is final, that is once the next piece's
    first row has been tried as its tail (a row cut by the page break).

    ``known_cells``: how often the document prints each cell text (squeezed), to recognise a
    name that a page break cut in two because the document prints it whole elsewhere."""
    pieces = iter(pieces)
    first = next(pieces)
    logical = LogicalTable(first=first, depth=header_depth(first, _plain_text), pages=[first.page])
    logical.rows = _body_rows(logical, pieces, known_cells)
    return logical


def _body_rows(logical: LogicalTable, rest: Iterator[PageTable],
               known_cells: Mapping[str, int] | None) -> Iterator[DraftRow]:
    first, depth = logical.first, logical.depth
    first_header = top_rows_texts(first, depth, _plain_text)
    drafts = _draft_rows(first, depth, first_header)
    # The last row so far is held back: the next piece's first row may be its tail.
    held = drafts.pop() if drafts else None
    yield from drafts
    for piece in rest:
        logical.pages.append(piece.page)
        drafts = _draft_rows(piece, _repeated_header_depth(piece, first_header), first_header)
        if drafts and held is not None and is_cut_row_tail(held, drafts[0], known_cells):
            _join_tail(held, drafts.pop(0))
        if drafts:
            if held is not None:
                yield held
            held = drafts.pop()
            yield from drafts
    if held is not None:
        yield held


def _repeated_header_depth(piece: PageTable, first_header: list[list[str]]) -> int:
    depth, by_row = _header_rows(piece, len(first_header))
    texts = [texts_of(piece, cells, _plain_text) for cells in by_row[:depth]]
    if depth and (texts == first_header[:depth] or is_number_row(texts[-1])):
        return depth
    # The header is repeated without a number row: drop the rows equal to the first header.
    same = 0
    while (same < min(len(first_header), piece.n_rows)
           and texts_of(piece, by_row[same], _plain_text) == first_header[same]):
        same += 1
    return same


def _draft_rows(piece: PageTable, start: int, header: list[list[str]] = ()) -> list[DraftRow]:
    """The body rows of ``piece`` from row ``start``: blank rows, column-number rows and rows
    that repeat a row of the table's ``header`` (a header printed again inside a page, where
    a producer split a tall row) are not body rows."""
    repeated = {squeeze(" ".join(texts)) for texts in header if any(t.strip() for t in texts)}
    filled: dict[int, dict[int, DraftCell]] = {}  # row → column → its cell
    for cell in piece.cells:
        if cell.row >= start:
            filled.setdefault(cell.row, {})[cell.col] = DraftCell(lines=list(cell.lines), bbox=cell.bbox,
                                                                  page=piece.page)
    # A column no cell starts in (spanned, or blank) gets an empty cell.
    rows = {r: DraftRow(cells=[cells[c] if c in cells else DraftCell(page=piece.page) for c in range(piece.n_cols)],
                        page=piece.page)
            for r, cells in filled.items()}
    drafts = []
    for r in sorted(rows):
        texts = rows[r].texts()
        if not any(t.strip() for t in texts) or is_number_row(texts) or squeeze(" ".join(texts)) in repeated:
            continue
        drafts.append(rows[r])
    return drafts


def is_cut_row_tail(prev: DraftRow, first: DraftRow, known_cells: Mapping[str, int] | None = None) -> bool:
    """Is ``first`` (the first body row on a page) the rest of ``prev`` (the last on the page before)?

    Evidence, read at the break (the last line above it, the first line below it): a number cut
    in two, a word continuing in lower case, or a cell that only together with the one above
    reads as a text the document prints whole elsewhere; and no kode of its own. Against: a
    cell above and the cell below that the document each prints whole in other rows (two
    labels such as "Rata-rata …" and "Predikat …", not two halves of one).
    """
    known_cells = known_cells or {}
    texts = first.texts()
    if any(FULL_KODE.match(t.strip()) and len(t.strip()) > 3 for t in texts):
        return False
    filled = [i for i, t in enumerate(texts) if t.strip()]
    if not filled or any(not prev.cells[i].lines for i in filled):
        return False  # a tail only continues cells that are filled above it
    for i in filled:
        above = squeeze(" ".join(line.text for line in prev.cells[i].lines))
        below = squeeze(texts[i])
        if (len(below) >= MIN_KNOWN_TEXT and known_cells.get(below, 0) >= 2
                and known_cells.get(above, 0) >= 2 and above + below not in known_cells):
            return False
    tail_text = " ".join(texts[i] for i in filled)
    if (not re.search(r"\d", tail_text) and not tail_text.isupper()
            and all(_wrapped_on(prev.cells[i], first.cells[i].lines[0]) for i in filled)):
        return True  # only words, each continuing a cell whose last line had no room for them
    for i in filled:
        head = prev.cells[i].lines[-1].text.strip()
        tail = first.cells[i].lines[0].text.strip()
        if tail[:1] in ".,)":
            return True
        if tail[:1].islower() and head[-1:].isalpha():
            return True
        if re.search(r"[\d.,]$", head) and re.match(r"^[\d.,]", tail):
            if not is_valid_number(head) and is_valid_number(head + tail):
                return True
        above = " ".join(line.text for line in prev.cells[i].lines)
        below = " ".join(line.text for line in first.cells[i].lines)
        if (len(squeeze(above + below)) >= MIN_KNOWN_TEXT and squeeze(above + below) in known_cells
                and squeeze(above) not in known_cells):
            return True
    return False


def _wrapped_on(cell: DraftCell, next_line: TextLine) -> bool:
    """Could ``next_line`` be the continuation of the cell's text? Only if its first word would
    not have fitted on the cell's last line (a finished text usually leaves room)."""
    last = cell.lines[-1]
    if cell.bbox is None:
        return True
    room = cell.bbox.x1 - PADDING - last.bbox.x1
    word = next_line.text.split()[0]
    glyphs = next_line.glyph_x
    end = min(len(word), len(glyphs)) - 1  # the word's last glyph
    width = glyphs[end][1] - glyphs[0][0] if end >= 0 else 0.5 * next_line.font_size * len(word)
    return room < width + SPACE_SHARE * next_line.font_size


def _join_tail(prev: DraftRow, tail: DraftRow) -> None:
    for cell, more in zip(prev.cells, tail.cells):
        if more.lines:
            cell.tail_lines.extend(more.lines)
            cell.tail_bbox = more.bbox
            cell.tail_page = more.page
