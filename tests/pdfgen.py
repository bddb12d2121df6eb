"""Renja-like PDFs for tests, drawn with ReportLab's canvas so every rule and glyph sits exactly
where the test says.

One :class:`TableSpec` describes a table (column widths, header rows with spans, body rows as
lists of strings, borders, how the "producer" wraps text); :class:`PdfBuilder` lays tables out on
landscape pages (caption, header, body, page breaks with the header repeated, footers) and adds a
cover page or an image-only page. Everything the builder placed is recorded in :class:`Layout`
objects, so a test can compare what extraction found with what was drawn.

Coordinates in this module are PDF points with the origin at the *top left* (as pdfplumber
reports them); the conversion to ReportLab's bottom-left origin happens only when drawing.

Text wrapping imitates two producers:

* ``keeps_trailing_space=True`` (LibreOffice Writer): a line that broke at a word gap is drawn
  with its space glyph at the end;
* ``keeps_trailing_space=False`` (ReportLab, many converters): no space glyph at the line end.

Both break a word or number that is wider than its column at any character (``44.889.784`` /
``.840``), and neither prints a space at such a break. A ``"\\n"`` in a cell forces a line break.

Border styles (``TableSpec.borders``):

* ``"grid"``: every cell draws its four sides as separate segments (Writer);
* ``"segmented"``: as ``"grid"``, but every side stops a random 0.5-3 pt short of its corners
  (seeded, one amount per segment), and header cells listed in ``missing_sides`` leave out a
  side that their neighbour also draws;
* ``"rules"``: every cell's top and bottom side, no verticals;
* ``"header"``: a rule above and one below the header, one under the table's very last row,
  nothing else (a body that draws no row rules; a continuation page without rules at all when
  the header is not repeated).

``open_break=True`` leaves out the rule at a page break that cuts a row (the verticals run to
the break, the rest of the row opens the next page without a top rule).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen import canvas

PAGE = landscape(A4)  # (841.89, 595.28)
MARGIN_LEFT = 40.0
MARGIN_TOP = 40.0
MARGIN_BOTTOM = 50.0  # the table never runs below PAGE height minus this
FOOTER_FROM_BOTTOM = 30.0  # baseline of the footer line, from the page's bottom edge
CAPTION_SIZE = 9.0
CAPTION_GAP = 8.0  # between the caption's last line and the table's top rule
TABLE_GAP = 36.0  # between two tables on one page (room for the second caption)


# --------------------------------------------------------------------------- description
@dataclass
class H:
    """A header cell, placed like an HTML ``<td>``: left to right in its row, skipping the
    columns that a ``rowspan`` from a row above still covers."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class TableSpec:
    widths: list[float]
    header: list[list[H | str]]
    rows: list[list[str]]
    caption: str = ""
    borders: str = "grid"  # "grid" | "segmented" | "rules" | "header" (see the module docstring)
    keeps_trailing_space: bool = True
    font: str = "Helvetica"
    bold_font: str = "Helvetica-Bold"
    size: float = 7.0
    padding: float = 2.0
    padding_y: float | None = None  # above and below a cell's text (None: ``padding``)
    leading: float = 1.2  # line pitch, share of the font size
    align: list[str] | None = None  # per column "left" | "right" | "center" (default left)
    bold_rows: set[int] = field(default_factory=set)
    repeat_header: bool = True
    repeat_rows: int | None = None  # header rows repeated on later pages (None: all of them)
    # Forced page breaks: body row index -> lines of that row kept on the page before the break
    # (0 = the break comes before the row; n > 0 = the row is cut after its n-th line).
    page_breaks: dict[int, int] = field(default_factory=dict)
    x0: float = MARGIN_LEFT
    valign: list[str] | None = None  # per body column "top" | "middle" (default top)
    # "segmented": each side stops this far short of its corners (points, random per segment).
    segment_short: tuple[float, float] = (0.5, 3.0)
    seed: int = 1
    # "segmented": header cells (header row, col, "left" | "right") that do not draw that side.
    missing_sides: set[tuple[int, int, str]] = field(default_factory=set)
    open_break: bool = False  # no rule at a page break that cuts a row
    # Body row index -> the header rows printed again just above that row, on the same page.
    header_again: set[int] = field(default_factory=set)

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    @property
    def col_edges(self) -> list[float]:
        edges = [self.x0]
        for w in self.widths:
            edges.append(edges[-1] + w)
        return edges

    @property
    def pad_y(self) -> float:
        return self.padding if self.padding_y is None else self.padding_y

    def inner_width(self, col: int, colspan: int = 1) -> float:
        return sum(self.widths[col:col + colspan]) - 2 * self.padding


@dataclass
class Line:
    """One wrapped line: its text (no trailing space) and whether it broke at a word gap."""

    text: str
    at_gap: bool


@dataclass
class DrawnCell:
    row: int  # header row index, or body row index
    col: int
    rowspan: int
    colspan: int
    x0: float
    top: float
    x1: float
    bottom: float
    lines: list[str]
    ink: list[tuple[float, float]] = field(default_factory=list)  # x-extent of each drawn line


@dataclass
class Piece:
    """What one page holds of a table."""

    page: int
    top: float = 0.0
    bottom: float = 0.0
    header: list[DrawnCell] = field(default_factory=list)
    header_row_edges: list[float] = field(default_factory=list)
    body: list[DrawnCell] = field(default_factory=list)  # row = index into TableSpec.rows
    body_row_edges: list[float] = field(default_factory=list)
    # Header copies printed inside the piece (``TableSpec.header_again``): body row index -> the
    # copy's row edges.
    inner_headers: dict[int, list[float]] = field(default_factory=dict)


@dataclass
class Layout:
    """Where a table was drawn: its caption's page and its pieces, one per page."""

    spec: TableSpec
    col_edges: list[float]
    pieces: list[Piece] = field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        return [p.page for p in self.pieces]


# --------------------------------------------------------------------------- wrapping
def text_width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def wrap(text: str, width: float, font: str = "Helvetica", size: float = 7.0) -> list[Line]:
    """Greedy word wrap into ``width`` points; a word wider than ``width`` is cut at characters.

    A word that does not fit after others goes to a new line (the line before broke at a gap);
    a word too wide for an empty line fills lines character by character.
    """
    out: list[Line] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                out.append(Line(current, at_gap=True))
                current = ""
            while text_width(word, font, size) > width:
                n = 1
                while n < len(word) and text_width(word[:n + 1], font, size) <= width:
                    n += 1
                out.append(Line(word[:n], at_gap=False))
                word = word[n:]
            current = word
        if current:
            out.append(Line(current, at_gap=False))
    return out


def _font_box(font: str, size: float) -> float:
    """Distance from a glyph box's top (as pdfminer computes it) down to the baseline."""
    descent = getFont(font).face.descent / 1000.0  # negative
    return size * (1.0 + descent)


# --------------------------------------------------------------------------- building
class PdfBuilder:
    """Draws pages one after another. ``footer``: a slogan printed with the page number under
    the table on every table page (``None``: no footer)."""

    def __init__(self, path: str | Path, footer: str | None = None, page_label: str = "II-{n}",
                 pagesize: tuple[float, float] = PAGE):
        self.path = Path(path)
        self.width, self.height = pagesize
        self.canvas = canvas.Canvas(str(self.path), pagesize=pagesize)
        self.canvas.setTitle("test document")
        self.footer = footer
        self.page_label = page_label
        self.page = 1  # the page being drawn
        self.dirty = False  # something drawn on the current page
        self.cursor = MARGIN_TOP  # top of the free space on the current page
        self.layouts: list[Layout] = []
        self.footers: dict[int, str] = {}  # page -> footer text drawn there
        self.footer_due = False  # the current page holds a table: give it a footer
        self._rng = random.Random(0)  # shortens "segmented" rules; reseeded per table
        self._last_header_edges: list[float] = []  # row edges of the header drawn last

    # -- pages
    def _y(self, top: float) -> float:
        return self.height - top

    def new_page(self) -> None:
        """Finish the current page (its footer, if it holds a table) and start the next."""
        if self.dirty:
            self._draw_footer()
            self.canvas.showPage()
            self.page += 1
        self.dirty = False
        self.cursor = MARGIN_TOP

    def _draw_footer(self) -> None:
        if self.footer is not None and self.footer_due:
            label = self.page_label.format(n=self.page)
            c = self.canvas
            c.setFont("Helvetica-Oblique", 7)
            c.drawString(self.width / 2 - 150, FOOTER_FROM_BOTTOM, self.footer)
            c.drawRightString(self.width / 2 + 250, FOOTER_FROM_BOTTOM, label)
            self.footers[self.page] = f"{self.footer} {label}"
        self.footer_due = False

    def save(self) -> Path:
        if self.dirty:
            self._draw_footer()
            self.canvas.showPage()
        self.canvas.save()
        return self.path

    # -- simple pages
    def cover(self, lines: list[str], size: float = 16.0) -> None:
        """A cover page: lines centred down the page (wrapped when too wide)."""
        self.new_page()
        c = self.canvas
        top = 150.0
        for text in lines:
            for line in wrap(text, self.width - 200, "Helvetica-Bold", size):
                c.setFont("Helvetica-Bold", size)
                c.drawCentredString(self.width / 2, self._y(top + _font_box("Helvetica-Bold", size)), line.text)
                top += size * 1.5
            top += size * 0.5
        self.dirty = True
        self.new_page()

    def text_lines(self, lines: list[str], size: float = 10.0) -> None:
        """Plain paragraphs at the cursor (headings, running text)."""
        c = self.canvas
        c.setFont("Helvetica", size)
        for text in lines:
            for line in wrap(text, self.width - 2 * MARGIN_LEFT, "Helvetica", size):
                c.drawString(MARGIN_LEFT, self._y(self.cursor + _font_box("Helvetica", size)), line.text)
                self.cursor += size * 1.4
        self.dirty = True

    def image_page(self, seed: int = 3) -> None:
        """A page holding one bitmap and no text at all (a scanned page)."""
        from PIL import Image, ImageDraw

        self.new_page()
        rng = random.Random(seed)
        img = Image.new("L", (600, 420), 250)
        draw = ImageDraw.Draw(img)
        for y in range(40, 400, 24):  # ruled table with "text" smudges
            draw.line([(30, y), (570, y)], fill=40, width=2)
            for x in range(40, 560, 60):
                draw.rectangle([x, y + 6, x + rng.randint(15, 45), y + 14], fill=rng.randint(30, 90))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        buf.seek(0)
        self.canvas.drawImage(ImageReader(buf), 60, 60, width=self.width - 120, height=self.height - 120)
        self.dirty = True
        self.new_page()

    # -- tables
    def table(self, spec: TableSpec, new_page: bool = True) -> Layout:
        """Draw ``spec`` from the top of a new page (or below what the page already holds)."""
        if new_page:
            self.new_page()
        elif self.dirty:
            self.cursor += TABLE_GAP - CAPTION_GAP
        layout = Layout(spec=spec, col_edges=spec.col_edges)
        self.layouts.append(layout)
        if spec.caption:
            width = sum(spec.widths)
            self.canvas.setFont("Helvetica-Bold", CAPTION_SIZE)
            for line in wrap(spec.caption, width, "Helvetica-Bold", CAPTION_SIZE):
                self.canvas.drawString(spec.x0, self._y(self.cursor + _font_box("Helvetica-Bold", CAPTION_SIZE)),
                                       line.text)
                self.cursor += CAPTION_SIZE * 1.3
            self.cursor += CAPTION_GAP
        self.dirty = True
        self._rng = random.Random(spec.seed)
        piece = self._start_piece(spec, layout)
        limit = self.height - MARGIN_BOTTOM
        last = len(spec.rows) - 1
        for index, cells in enumerate(spec.rows):
            font = spec.bold_font if index in spec.bold_rows else spec.font
            wrapped = [self._wrap_cell(spec, col, text, font) for col, text in enumerate(cells)]
            height = self._row_height(spec, wrapped)
            keep = spec.page_breaks.get(index)
            if keep is None and self.cursor + height > limit:
                keep = 0
            cut_open = False
            if keep is not None and keep > 0:
                head = [lines[:keep] for lines in wrapped]
                self._draw_row(spec, piece, index, head, font, bottom_rule=not spec.open_break)
                wrapped = [lines[keep:] for lines in wrapped]
                height = self._row_height(spec, wrapped)
                cut_open = spec.open_break
            if keep is not None:
                self._end_piece(piece)
                self.new_page()
                piece = self._start_piece(spec, layout, with_caption=False)
            elif index in spec.header_again:
                self._draw_header(spec, piece, len(spec.header), record=False)
                piece.inner_headers[index] = self._last_header_edges
            self._draw_row(spec, piece, index, wrapped, font, top_rule=not cut_open,
                           closing=index == last)
        self._end_piece(piece)
        return layout

    def _wrap_cell(self, spec: TableSpec, col: int, text: str, font: str, colspan: int = 1) -> list[Line]:
        return wrap(text, spec.inner_width(col, colspan), font, spec.size)

    def _row_height(self, spec: TableSpec, wrapped: list[list[Line]]) -> float:
        n = max((len(lines) for lines in wrapped), default=0)
        return max(n, 1) * spec.size * spec.leading + 2 * spec.pad_y

    def _start_piece(self, spec: TableSpec, layout: Layout, with_caption: bool = True) -> Piece:
        piece = Piece(page=self.page, top=self.cursor)
        layout.pieces.append(piece)
        if with_caption:
            self._draw_header(spec, piece, len(spec.header))
        elif spec.repeat_header:
            self._draw_header(spec, piece, spec.repeat_rows or len(spec.header))
        piece.body_row_edges.append(self.cursor)
        self.dirty = self.footer_due = True
        return piece

    def _end_piece(self, piece: Piece) -> None:
        piece.bottom = self.cursor

    def _draw_header(self, spec: TableSpec, piece: Piece, n_rows: int, record: bool = True) -> None:
        """The first ``n_rows`` header rows (a span reaching further is cut at the last row).
        ``record=False``: a copy inside the body (its cells are not the piece's header)."""
        placed = [(r, c, H(h.text, h.colspan, min(h.rowspan, n_rows - r)))
                  for r, c, h in place_header(spec.header, spec.n_cols) if r < n_rows]
        wrapped = {id(h): self._wrap_cell(spec, c, h.text, spec.font, h.colspan) for (r, c, h) in placed}
        line_h = spec.size * spec.leading
        heights = [line_h + 2 * spec.pad_y] * n_rows
        for r, c, h in placed:
            if h.rowspan == 1:
                heights[r] = max(heights[r], len(wrapped[id(h)]) * line_h + 2 * spec.pad_y)
        for r, c, h in placed:
            if h.rowspan > 1:
                need = len(wrapped[id(h)]) * line_h + 2 * spec.pad_y
                have = sum(heights[r:r + h.rowspan])
                if need > have:
                    heights[r + h.rowspan - 1] += need - have
        edges = [self.cursor]
        for height in heights:
            edges.append(edges[-1] + height)
        self._last_header_edges = edges
        if record:
            piece.header_row_edges = edges
        cols = spec.col_edges
        for r, c, h in placed:
            box = (cols[c], edges[r], cols[c + h.colspan], edges[r + h.rowspan])
            lines = wrapped[id(h)]
            sides = {"top", "bottom", "left", "right"} - {side for (mr, mc, side) in spec.missing_sides
                                                          if (mr, mc) == (r, c)}
            if spec.borders == "header":
                sides = set()
            ink = self._draw_cell(spec, box, lines, "center", spec.font, valign="middle", sides=sides)
            if record:
                piece.header.append(DrawnCell(r, c, h.rowspan, h.colspan, *box, [ln.text for ln in lines], ink))
        if spec.borders == "header":  # one rule above the header, one below it
            x0, x1 = cols[0], cols[-1]
            self._rule(spec, x0, edges[0], x1, edges[0])
            self._rule(spec, x0, edges[-1], x1, edges[-1])
        self.cursor = edges[-1]

    def _draw_row(self, spec: TableSpec, piece: Piece, index: int, wrapped: list[list[Line]], font: str,
                  top_rule: bool = True, bottom_rule: bool = True, closing: bool = False) -> None:
        """One body row (or the part of it on this page). ``top_rule``/``bottom_rule``: False
        leaves that side out (a row cut open by the page break); ``closing``: the table's very
        last row (the ``"header"`` style rules it off)."""
        height = self._row_height(spec, wrapped)
        cols = spec.col_edges
        top, bottom = self.cursor, self.cursor + height
        sides = {"left", "right"} | ({"top"} if top_rule else set()) | ({"bottom"} if bottom_rule else set())
        if spec.borders == "header":
            sides = set()
        for col, lines in enumerate(wrapped):
            align = spec.align[col] if spec.align else "left"
            valign = spec.valign[col] if spec.valign else "top"
            box = (cols[col], top, cols[col + 1], bottom)
            ink = self._draw_cell(spec, box, lines, align, font, valign=valign, sides=sides)
            piece.body.append(DrawnCell(index, col, 1, 1, *box, [ln.text for ln in lines], ink))
        if spec.borders == "header" and closing:
            self._rule(spec, cols[0], bottom, cols[-1], bottom)
        piece.body_row_edges.append(bottom)
        self.cursor = bottom

    def _rule(self, spec: TableSpec, x0: float, top: float, x1: float, bottom: float) -> None:
        """One straight segment from (x0, top) to (x1, bottom); the ``"segmented"`` style stops it
        short of both ends by one random amount."""
        if spec.borders == "segmented":
            short = self._rng.uniform(*spec.segment_short)
            if top == bottom:
                x0, x1 = x0 + short, x1 - short
            else:
                top, bottom = top + short, bottom - short
        self.canvas.setLineWidth(0.5)
        self.canvas.line(x0, self._y(top), x1, self._y(bottom))

    def _draw_cell(self, spec: TableSpec, box: tuple[float, float, float, float], lines: list[Line],
                   align: str, font: str, valign: str = "top",
                   sides: set[str] = frozenset({"top", "bottom", "left", "right"})) -> list[tuple[float, float]]:
        x0, top, x1, bottom = box
        c = self.canvas
        line_h = spec.size * spec.leading
        text_top = top + spec.pad_y
        if valign == "middle":
            text_top = (top + bottom) / 2 - len(lines) * line_h / 2
        self._shade_cell(spec, box, [(text_top + i * line_h, text_top + (i + 1) * line_h)
                                     for i in range(len(lines))])
        self._draw_borders(spec, box, sides)
        c.setFont(font, spec.size)
        ink = []
        for i, line in enumerate(lines):
            baseline = text_top + i * line_h + _font_box(font, spec.size)
            w = text_width(line.text, font, spec.size)
            if align == "right":
                x = x1 - spec.padding - w
            elif align == "center":
                x = (x0 + x1) / 2 - w / 2
            else:
                x = x0 + spec.padding
            text = line.text + (" " if spec.keeps_trailing_space and line.at_gap else "")
            c.drawString(x, self._y(baseline), text)
            ink.append((x, x + w))
        return ink


    def _shade_cell(self, spec: TableSpec, box: tuple[float, float, float, float],
                    line_boxes: list[tuple[float, float]]) -> None:
        """Hook drawn under a cell's text: ``line_boxes`` are (top, bottom) of each text line.
        This producer shades nothing."""

    def _draw_borders(self, spec: TableSpec, box: tuple[float, float, float, float],
                      sides: set[str] = frozenset({"top", "bottom", "left", "right"})) -> None:
        """A cell's borders: each cell draws its own sides as separate stroked segments (as
        Writer does); ``borders="rules"`` and ``"header"`` draw horizontal sides only,
        ``"segmented"`` stops each segment short of its corners."""
        x0, top, x1, bottom = box
        if "top" in sides:
            self._rule(spec, x0, top, x1, top)
        if "bottom" in sides:
            self._rule(spec, x0, bottom, x1, bottom)
        if spec.borders in ("grid", "segmented"):
            if "left" in sides:
                self._rule(spec, x0, top, x0, bottom)
            if "right" in sides:
                self._rule(spec, x1, top, x1, bottom)


def place_header(rows: list[list[H | str]], n_cols: int) -> list[tuple[int, int, H]]:
    """(row, col, cell) of each header cell, placed as HTML places table cells."""
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, H]] = []
    for r, row in enumerate(rows):
        col = 0
        for item in row:
            cell = item if isinstance(item, H) else H(item)
            while (r, col) in taken:
                col += 1
            if col + cell.colspan > n_cols:
                raise ValueError(f"header row {r}: cell {cell.text!r} runs past column {n_cols}")
            placed.append((r, col, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            col += cell.colspan
    return placed


# --------------------------------------------------------------------------- invented content
# A made-up office and made-up programs; codes follow the Permendagri 90/2019 shape.
COVER = [
    "PEMERINTAH KABUPATEN CONTOH",
    "PROVINSI JAWA TENGAH",
    "RENCANA KERJA DINAS KOPERASI DAN USAHA MIKRO TAHUN 2023",
]
SLOGAN = "Contoh Maju Berdaya Saing"

EVALUASI_CAPTION = "Tabel 2.1 Evaluasi Pelaksanaan Renja Dinas Koperasi dan Usaha Mikro Tahun 2022"


def evaluasi_header(numbers: str = "1 2 3 4 5 5 6 6 7 7 8") -> list[list[H | str]]:
    """No | Kode | Uraian | Indikator | three K/Rp groups | Keterangan, then K/Rp, then numbers."""
    return [
        [H("No", rowspan=2), H("Kode", rowspan=2), H("Program/ Kegiatan/ Sub Kegiatan", rowspan=2),
         H("Indikator Kinerja", rowspan=2), H("Target Kinerja dan Anggaran Renja Tahun 2022", colspan=2),
         H("Realisasi Kinerja dan Anggaran Renja", colspan=2),
         H("Tingkat Capaian Kinerja dan Realisasi Anggaran (%)", colspan=2), H("Keterangan", rowspan=2)],
        ["K", "Rp", "K", "Rp", "K", "Rp"],
        numbers.split(),
    ]


EVALUASI_WIDTHS = [18, 56, 120, 104, 40, 70, 40, 70, 40, 40, 56]
EVALUASI_ALIGN = ["center", "left", "left", "left", "left", "right", "left", "right", "right", "right", "left"]


def evaluasi_rows() -> list[list[str]]:
    """A program, a kegiatan, two sub kegiatan, an extra indicator line and a total."""
    return [
        ["1", "2.17.03", "PROGRAM PENGUATAN KELEMBAGAAN KOPERASI", "Jumlah koperasi sehat",
         "29 Orang", "1.234.567,89", "20 Orang", "987.654,00", "68,97", "80,00", ""],
        ["", "2.17.03.2.01", "Penilaian Kesehatan Koperasi Simpan Pinjam", "Koperasi yang dinilai",
         "14 bulan", "456.000.000,00", "7 bulan", "228.000.000,00", "50,00", "50,00", ""],
        ["", "2.17.03.2.01.06", "Pendampingan Tata Kelola Koperasi Produsen", "Koperasi didampingi",
         "12 Unit", "250.000.000,00", "6 Unit", "125.000.000,00", "50,00", "50,00", ""],
        ["", "", "", "Laporan pendampingan", "2 Dokumen", "", "1 Dokumen", "", "50,00", "", ""],
        ["", "2.17.03.2.01.07", "Klinik Konsultasi Usaha Mikro Keliling", "Pelaku usaha terlayani",
         "100 %", "206.000.000,00", "48.88 %", "103.000.000,00", "48,88", "50,00", ""],
        ["", "", "JUMLAH", "", "", "1.234.567,89", "", "987.654,00", "", "80,00", ""],
    ]


def evaluasi_spec(**overrides) -> TableSpec:
    spec = dict(widths=list(EVALUASI_WIDTHS), header=evaluasi_header(), rows=evaluasi_rows(),
                caption=EVALUASI_CAPTION, align=list(EVALUASI_ALIGN))
    spec.update(overrides)
    return TableSpec(**spec)


# --------------------------------------------------------------------------- a font without a Unicode map
UNMAPPED_CHARS = "0123456789.,"


def unmapped_numbers_pdf(path: Path, header: list[str], rows: list[list[str]], widths: list[float],
                         numeric: set[int], size: float = 9.0, row_height: float = 16.0) -> Path:
    """One landscape page with a ruled table whose columns ``numeric`` print their numbers in a
    Type3 font without a Unicode map, as producers that embed digits as drawings do: the codes
    are letters (``0`` is code ``A``, ``1`` is ``B`` … ``,`` is ``L``), the glyph names
    (``/g0`` …) mean nothing and there is no /ToUnicode, so a text extractor reads the numbers
    as letters; each glyph program draws its character in Helvetica. Every other text is
    Helvetica with WinAnsi (mapped). Written as raw PDF objects (ReportLab makes no Type3 font)."""
    codes = {ch: chr(ord("A") + i) for i, ch in enumerate(UNMAPPED_CHARS)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(body: bytes) -> int:
        return add(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")

    helvetica = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    procs, advance = [], []
    for i, ch in enumerate(UNMAPPED_CHARS):
        width = round(stringWidth(ch, "Helvetica", 1000))
        number = stream(b"%d 0 d0 BT /H 1000 Tf 0 0 Td (%s) Tj ET" % (width, ch.encode()))
        procs.append(b"/g%d %d 0 R" % (i, number))
        advance.append(b"%d" % width)
    first = ord("A")
    type3 = add(b"<< /Type /Font /Subtype /Type3 /FontBBox [0 -210 1000 730] /FontMatrix [0.001 0 0 0.001 0 0] "
                b"/CharProcs << " + b" ".join(procs) + b" >> /Encoding << /Type /Encoding /Differences [%d " % first
                + b" ".join(b"/g%d" % i for i in range(len(UNMAPPED_CHARS))) + b"] >> "
                b"/FirstChar %d /LastChar %d /Widths [" % (first, first + len(UNMAPPED_CHARS) - 1)
                + b" ".join(advance) + b"] /Resources << /Font << /H %d 0 R >> >> >>" % helvetica)
    page_w, page_h = PAGE
    x_edges = [MARGIN_LEFT]
    for w in widths:
        x_edges.append(x_edges[-1] + w)
    top = page_h - MARGIN_TOP - 30
    all_rows = [header, *rows]
    y_edges = [top - k * row_height for k in range(len(all_rows) + 1)]
    ops = [b"BT /F1 11 Tf %.2f %.2f Td (Tabel 3.1 Rencana Program dan Kegiatan) Tj ET" % (MARGIN_LEFT, top + 12)]
    ops += [b"0.8 w %.2f %.2f m %.2f %.2f l S" % (x_edges[0], y, x_edges[-1], y) for y in y_edges]
    ops += [b"0.8 w %.2f %.2f m %.2f %.2f l S" % (x, y_edges[0], x, y_edges[-1]) for x in x_edges]
    for r, row in enumerate(all_rows):
        baseline = y_edges[r] - row_height + 4.5
        for c, text in enumerate(row):
            if not text:
                continue
            if r and c in numeric:
                width = stringWidth(text, "Helvetica", size)
                coded = "".join(codes[ch] for ch in text)
                ops.append(b"BT /F2 %g Tf %.2f %.2f Td (%s) Tj ET" % (size, x_edges[c + 1] - 3 - width, baseline,
                                                                      coded.encode()))
            else:
                escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(b"BT /F1 %g Tf %.2f %.2f Td (%s) Tj ET" % (size, x_edges[c] + 3, baseline,
                                                                      escaped.encode("cp1252")))
    content = stream(b"\n".join(ops))
    page = add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 %d 0 R "
               b"/F2 %d 0 R >> >> /Contents %d 0 R >>" % (len(objects) + 2, page_w, page_h, helvetica, type3, content))
    pages = add(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    return write_raw_pdf(path, objects, root=catalog)


def write_raw_pdf(path: Path, objects: list[bytes], root: int = 1) -> Path:
    """Write ``objects`` (object bodies, numbered from 1) as a PDF 1.4 file with a classic xref
    table and ``root`` as its catalog's number: for tests that need PDF objects no producer writes."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    path.write_bytes(bytes(out))
    return path
