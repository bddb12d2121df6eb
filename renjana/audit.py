"""The auditor's view of one PDF: every finding beside a crop of the page it points at.

``renjana audit`` runs the pipeline like ``renjana run`` (one isolated worker per file) and, in
that worker, writes beside the JSON: ``<stem>.audit.html`` (self-contained, crops embedded as PNG
data URIs, see :mod:`renjana.audit_html`), ``<stem>.findings.csv`` and ``<stem>.findings.xlsx``.

Pages are rendered with pdfium only when a finding points at them, each once, and released after
its crops are cut, so memory stays at one page image however long the document is.
"""

from __future__ import annotations

import csv
import fnmatch
import functools
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from renjana.emit import atomic_path, document_dir
from renjana.hashing import output_stem
from renjana.manifest import FAILED_STATUSES, MANIFEST_NAME
from renjana.models import BBox, DocumentResult, Finding, Row, Table

__all__ = ["CSV_FIELDS", "Entry", "PageLayout", "audit_file", "find_header", "grid_header", "relation_columns", "rule_docs", "audit_paths", "audit_process", "entries", "manifest_records", "write_index",
           "record", "render_crops", "write_audit", "write_csv", "write_xlsx"]

DEFAULT_DPI = 144
POINTS_PER_INCH = 72
DEFAULT_MAX_CROPS = 300
# Context around the row in a crop, in PDF points: a line above and below, a little each side.
CROP_MARGIN_X = 6.0
CROP_MARGIN_Y = 14.0
# A finding with a cell box but no row box: this much of the page either side of the cell.
CELL_CONTEXT_X = 160.0
# A very tall row (a cell of many lines) is cut to this height around the outlined cell.
MAX_CROP_HEIGHT = 260.0
# The header above a row: a printed line belongs to the header while most of its words are the
# header's words (as normalize read them), the line above it is at most HEADER_MAX_GAP points
# higher (a label centred in a tall merged cell leaves a gap), and the header no taller than
# HEADER_MAX_HEIGHT points (a Renja header runs to five or six lines).
# A header holds at least HEADER_MIN_WORDS of its words (a wrapped "(%)" left over from a row
# cut by the page break is not a header).
HEADER_WORD_SHARE = 0.6
HEADER_MIN_WORDS = 3
HEADER_MAX_GAP = 40.0
HEADER_MAX_HEIGHT = 220.0
# A page without a text layer (a scan read by OCR) has no words to find the header by: there the
# header is the part of the table's ruled grid above its first body row, at least this many
# points tall (one printed line). The grids are found on the page image at GRID_DPI, enough for
# a 0.5 pt rule.
HEADER_MIN_HEIGHT = 6.0
GRID_DPI = 150
# Words whose tops differ by at most this many points stand on one printed line.
LINE_TOLERANCE = 2.0
# Points kept above the header's first line (its rule) and below its last.
HEADER_MARGIN_Y = 4.0
# A header on the row's page is cut with the row in one piece while the whole is at most this
# tall (points); farther down the page the header strip is stacked above the row's band.
MAX_JOINED_HEIGHT = 320.0
# Pixels of white, with a gray rule in its middle third, between a stacked header and the band.
STRIP_GAP_PX = 9
OUTLINE_RGB = (255, 0, 0)
OUTLINE_PX = 3
# Crops are quantized to a palette: a page of text and rules needs few colours, and a palette PNG
# is a third of the RGB one, which matters with hundreds of crops inlined in one HTML file.
CROP_COLOURS = 64
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
CSV_FIELDS = ("file", "table", "caption", "row", "kode", "column", "label", "severity", "rule",
              "printed", "expected", "page", "x0", "top", "x1", "bottom", "message")
# A spreadsheet runs text starting with these as a formula; the PDF is untrusted input.
_FORMULA_START = re.compile(r"^[=+@\t\r]|^-(?![\d.,\s]*$)")
XLSX_MAX_WIDTH = 60
XLSX_MIN_WIDTH = 6


@dataclass
class Entry:
    """One finding with what the report shows around it: its table, row, column and page crop.

    ``crop`` is a PNG of the table's header (when it could be found on the page) above the band of
    the finding's row, the cell outlined in red; ``outline`` is that outline as fractions
    (x0, top, x1, bottom) of the crop's width and height, ``header_share`` the fraction of the
    crop's height the header strip takes (0 without one)."""

    finding: Finding
    table: Table | None = None
    row: Row | None = None
    col: int | None = None  # index of the finding's column in ``table.columns``
    page: int | None = None
    cell_box: BBox | None = None  # outlined in red
    row_box: BBox | None = None  # the row's cells on ``page``, the crop's extent
    box_note: str = ""  # when the outline is not the finding's own box
    crop: bytes | None = None  # PNG
    crop_note: str = ""
    reads: list[int] = field(default_factory=list)  # the relation's columns, the finding's first
    explain: str = ""  # what the rule checks, from the registry
    header_page: int | None = None
    header_box: BBox | None = None  # the table's column header on ``header_page``
    outline: tuple[float, float, float, float] | None = None
    header_share: float = 0.0
    page_image: str | None = None  # path of the whole page's image, relative to the report

    @property
    def label(self) -> str:
        return self.table.columns[self.col].label if self.col is not None else ""


def _union(boxes: list[BBox]) -> BBox | None:
    return functools.reduce(BBox.union, boxes) if boxes else None


@functools.lru_cache(maxsize=1)
def rule_docs() -> dict[str, dict]:
    """rule id → its registry entry (``doc``, ``reads``, ``reads_any``, ``category``)."""
    from renjana.validate import describe_rules

    return {r["id"]: r for r in describe_rules()}


def relation_columns(finding: Finding, table: Table) -> list[int]:
    """Indices of the columns the finding's relation reads: the finding's own column first, then
    the other columns its rule reads (all of them for a rule that needs them all; a rule that
    reads any of many columns, such as a parent sum, reads only the finding's column) and the
    columns of a relation the column-number row declares for that column."""
    from renjana.validate.registry import TableView

    view = TableView(table)
    keys: list[str] = [finding.column] if finding.column else []
    info = rule_docs().get(finding.rule)
    if info is not None and not info["reads_any"]:
        for key in info["reads"]:
            keys.extend(k for k in view.keys() if fnmatch.fnmatchcase(k, key)) if "*" in key \
                else keys.append(key)
    for rel in table.relations:
        if rel.column == finding.column:
            keys.extend([*rel.plus, *rel.minus, *(k for k in (rel.numerator, rel.denominator) if k)])
    out: list[int] = []
    for key in keys:
        c = table.column_index(key)
        if c is None:
            c = view.col(key)
        if c is not None and c not in out:
            out.append(c)
    return out


def _entry(finding: Finding, tables: dict[str, Table]) -> Entry:
    table = tables.get(finding.table)
    info = rule_docs().get(finding.rule)
    entry = Entry(finding, table, page=finding.page, cell_box=finding.bbox,
                  explain=info["doc"] if info else "")
    if table is None:
        return entry
    if finding.column is not None:
        entry.col = table.column_index(finding.column)
    entry.reads = relation_columns(finding, table)
    if finding.row is None or not 0 <= finding.row < len(table.rows):
        return entry
    row = entry.row = table.rows[finding.row]
    sources = row.sources
    own = sources[entry.col] if entry.col is not None and entry.col < len(sources) else None
    if entry.cell_box is None and own is not None and own.bbox is not None:
        entry.cell_box, entry.page = own.bbox, own.page
        entry.box_note = "the finding has no box: the cell's box is outlined"
    if entry.page is None:
        entry.page = own.page if own is not None else row.page
    entry.row_box = _union([s.bbox for s in sources if s.bbox is not None and s.page == entry.page])
    if entry.cell_box is None and entry.row_box is not None:
        entry.cell_box = entry.row_box
        entry.box_note = "the finding names no cell box: the whole row is outlined"
    return entry


def entries(result: DocumentResult) -> list[Entry]:
    """The findings in report order: errors, then warnings, then info; the validator's order
    (table, row, column) within each severity."""
    tables = {t.id: t for t in result.tables}
    last = len(SEVERITY_ORDER)
    ordered = sorted(result.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, last))
    return [_entry(f, tables) for f in ordered]


# --------------------------------------------------------------------------- the column header
def _first_row_top(table: Table, page: int) -> float | None:
    """Top of the table's first body row on ``page`` (points), or None."""
    tops = [s.bbox.top for row in table.rows for s in row.sources
            if s.page == page and s.bbox is not None and any(line.strip() for line in s.lines)]
    return min(tops) if tops else None


def _header_words(table: Table) -> set[str]:
    words = {w for row in table.header for cell in row for w in cell.text.split()}
    words |= {w for n in table.column_numbers for w in n.split()}
    return words | {w for c in table.columns for w in c.label.split()}


def _lines(words: list[dict]) -> list[tuple[float, float, list[dict]]]:
    """Words grouped into printed lines, top to bottom: (top, bottom, words)."""
    lines: list[tuple[float, float, list[dict]]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(w["top"] - lines[-1][0]) <= LINE_TOLERANCE:
            top, bottom, ws = lines[-1]
            lines[-1] = (top, max(bottom, w["bottom"]), [*ws, w])
        else:
            lines.append((w["top"], w["bottom"], [w]))
    return lines


def find_header(words: list[dict], table: Table, below: float, x0: float, x1: float) -> BBox | None:
    """The table's printed column header right above ``below`` (the top of its first row on the
    page): the lines above it, within the table's width, read upwards while most of their words
    are words of the table's header (as normalize read it) and they follow each other closely.
    Returns the header's box (points), or None when no such line stands there."""
    vocabulary = _header_words(table)
    if not vocabulary:
        return None
    inside = [w for w in words if w["x1"] > x0 and w["x0"] < x1 and w["bottom"] <= below + LINE_TOLERANCE]
    top, last, total = None, below, 0
    for line_top, line_bottom, ws in reversed(_lines(inside)):
        if last - line_bottom > HEADER_MAX_GAP or below - line_top > HEADER_MAX_HEIGHT:
            break
        known = sum(w["text"] in vocabulary for w in ws)
        if known < HEADER_WORD_SHARE * len(ws):
            break
        top, last, total = line_top, line_top, total + known
    if top is None or total < HEADER_MIN_WORDS:
        return None
    return BBox(x0=x0, top=top, x1=x1, bottom=below)


def grid_header(grids: list[BBox], below: float, x0: float, x1: float) -> BBox | None:
    """On a page without a text layer: the table's column header above ``below`` (the top of
    its first body row on the page) is the part of the ruled grid holding that row above it,
    when at least :data:`HEADER_MIN_HEIGHT` and at most :data:`HEADER_MAX_HEIGHT` points tall
    (a page that does not repeat the header starts its grid with the row). ``grids``: the
    boxes of the page's ruled tables (points). Returns the header's box, or None."""
    for grid in grids:
        if grid.x1 > x0 and grid.x0 < x1 and grid.top - LINE_TOLERANCE <= below <= grid.bottom:
            if HEADER_MIN_HEIGHT <= below - grid.top <= HEADER_MAX_HEIGHT:
                return BBox(x0=x0, top=grid.top, x1=x1, bottom=below)
            return None
    return None


# --------------------------------------------------------------------------- crops
def _band_rect(entry: Entry) -> tuple[float, float, float, float]:
    """The part of the page around the finding, in points: the row with a margin around it."""
    cell = entry.cell_box
    area = cell.union(entry.row_box) if entry.row_box is not None else BBox(
        x0=cell.x0 - CELL_CONTEXT_X, top=cell.top, x1=cell.x1 + CELL_CONTEXT_X, bottom=cell.bottom)
    top, bottom = area.top - CROP_MARGIN_Y, area.bottom + CROP_MARGIN_Y
    if bottom - top > MAX_CROP_HEIGHT:
        middle = (cell.top + cell.bottom) / 2
        top = max(top, middle - MAX_CROP_HEIGHT / 2)
        bottom = min(bottom, top + MAX_CROP_HEIGHT)
    return area.x0 - CROP_MARGIN_X, top, area.x1 + CROP_MARGIN_X, bottom


# Kept under its old name: the tests and callers measure the band the crop starts from.
_crop_rect = _band_rect


def _pixels(image, rect: tuple[float, float, float, float], offset: tuple[float, float],
            scale: float) -> list[int]:
    dx, dy = offset
    x0, top, x1, bottom = rect
    box = [max(0, round((x0 - dx) * scale)), max(0, round((top - dy) * scale)),
           min(image.width, round((x1 - dx) * scale)), min(image.height, round((bottom - dy) * scale))]
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        raise ValueError("box outside the page")
    return box


def _cut(image, entry: Entry, offset: tuple[float, float], scale: float, header: bool):
    """The entry's band of the page (PIL image), the box of its cell's outline in the band's
    pixels, and the height (pixels) of the header at the band's top. With ``header`` (the header on this page, close above), the band runs up
    to the header's top."""
    dx, dy = offset
    x0, top, x1, bottom = _band_rect(entry)
    if header:
        top = min(top, entry.header_box.top - HEADER_MARGIN_Y)
    box = _pixels(image, (x0, top, x1, bottom), offset, scale)
    crop = image.crop(box)
    cell = entry.cell_box
    pad = OUTLINE_PX  # drawn just outside the cell so it hides none of the printed text
    outline = [(cell.x0 - dx) * scale - box[0] - pad, (cell.top - dy) * scale - box[1] - pad,
               (cell.x1 - dx) * scale - box[0] + pad, (cell.bottom - dy) * scale - box[1] + pad]
    head = max(0.0, (entry.header_box.bottom - dy) * scale - box[1]) if header else 0.0
    return crop, outline, head


def _header_strip(image, entry: Entry, offset: tuple[float, float], scale: float):
    x0, _, x1, _ = _band_rect(entry)
    box = _pixels(image, (x0, entry.header_box.top - HEADER_MARGIN_Y, x1,
                          entry.header_box.bottom + HEADER_MARGIN_Y / 2), offset, scale)
    return image.crop(box)


def _compose(entry: Entry, band, outline: list[float], head: float = 0.0, strip=None) -> None:
    """Fill ``crop``, ``outline`` and ``header_share``: the header strip (if any) stacked above
    the band, a gray rule between them, the cell outlined in red."""
    from PIL import Image, ImageDraw

    gap = STRIP_GAP_PX if strip is not None else 0
    head_h = strip.height + gap if strip is not None else 0
    width = max(band.width, strip.width if strip is not None else 0)
    canvas = Image.new("RGB", (width, head_h + band.height), (255, 255, 255))
    if strip is not None:
        canvas.paste(strip, (0, 0))
        canvas.paste((160, 160, 160), (0, strip.height + gap // 3, width, strip.height + 2 * gap // 3))
    canvas.paste(band, (0, head_h))
    w, h = canvas.size
    x0, y0, x1, y1 = outline
    entry.outline = (x0 / w, (y0 + head_h) / h, x1 / w, (y1 + head_h) / h)
    entry.header_share = (head_h + head) / h
    # The outline is drawn after quantizing, in a palette entry of its own, so it stays pure red.
    image = canvas.quantize(CROP_COLOURS - 1)
    palette = image.getpalette()[: 3 * (CROP_COLOURS - 1)]
    palette += [0, 0, 0] * (CROP_COLOURS - 1 - len(palette) // 3) + list(OUTLINE_RGB)
    image.putpalette(palette)
    ImageDraw.Draw(image).rectangle([x0, y0 + head_h, x1, y1 + head_h], outline=CROP_COLOURS - 1,
                                    width=OUTLINE_PX)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    entry.crop = buffer.getvalue()


def _locate_headers(layouts: dict[int, "PageLayout"], todo: list[Entry]) -> None:
    """Set ``header_page`` / ``header_box`` of each entry: the header above the table's first row
    on the finding's page, else above its first row on the table's first page."""
    found: dict[tuple[str, int], BBox | None] = {}
    for entry in todo:
        if entry.table is None or entry.cell_box is None or entry.page is None:
            continue
        x0, _, x1, _ = _band_rect(entry)
        pages = [entry.page] + [p for p in entry.table.pages[:1] if p != entry.page]
        for page in pages:
            layout = layouts.get(page)
            key = (entry.table.id, page)
            if key not in found:
                below = _first_row_top(entry.table, page)
                if layout is None or layout.turn or below is None:
                    found[key] = None
                elif layout.words:
                    found[key] = find_header(layout.words, entry.table, below, x0, x1)
                else:
                    found[key] = grid_header(layout.grids, below, x0, x1)
            if found[key] is not None:
                entry.header_page, entry.header_box = page, found[key]
                break


@dataclass
class PageLayout:
    """What the crops need of a page: the turn its text was read in, and its words (pdfplumber
    dicts, points, origin top-left; only for a page read upright); for a page without a text
    layer, the boxes of its ruled tables instead (points, see :func:`_ruled_grids`)."""

    turn: int = 0
    words: list[dict] = field(default_factory=list)
    grids: list[BBox] = field(default_factory=list)


def render_crops(pdf_path: str | Path, todo: list[Entry], dpi: int = DEFAULT_DPI,
                 pages_dir: Path | None = None, pages_href: str = "") -> None:
    """Fill ``crop`` (or ``crop_note``) of each entry; each page needed is rendered once.

    The crop shows the table's column header above the finding's row: from the header down when
    it stands close above on the same page, else the header strip (from this page, or from the
    table's first page when the header is not repeated) stacked above the row's band. With
    ``pages_dir``, each page with findings is also saved whole there (``page-N.png``) and
    ``page_image`` is ``pages_href`` + its name.

    A page whose text was read turned (a table drawn sideways on it, see
    :mod:`renjana.extract.orientation`) is rendered turned the same way, so the boxes, given on
    the upright virtual page, land on their cells.
    """
    import pypdfium2 as pdfium

    scale = dpi / POINTS_PER_INCH
    by_page: dict[int, list[Entry]] = {}
    for entry in todo:
        if entry.page is None or entry.cell_box is None:
            if entry.finding.row is not None:  # a finding on a whole table needs no crop
                entry.crop_note = "no page box recorded for this finding: no crop"
        else:
            by_page.setdefault(entry.page, []).append(entry)
    wanted = set(by_page) | {e.table.pages[0] for es in by_page.values() for e in es
                             if e.table is not None and e.table.pages}
    layouts = _page_layouts(pdf_path, sorted(wanted))
    _locate_headers(layouts, [e for es in by_page.values() for e in es])
    strips_wanted: dict[int, list[Entry]] = {}
    for es in by_page.values():
        for e in es:
            if e.header_box is not None and not _header_joins_band(e):
                strips_wanted.setdefault(e.header_page, []).append(e)
    bands: dict[int, tuple] = {}  # id(entry) → (band image, outline)
    strips: dict[int, object] = {}  # id(entry) → header strip image
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for number in sorted(set(by_page) | set(strips_wanted)):
            here = by_page.get(number, [])
            if not 1 <= number <= len(pdf):
                for entry in here:
                    entry.crop_note = f"page {number} is not in the PDF: no crop"
                continue
            page = pdf[number - 1]
            try:
                layout = layouts.get(number, PageLayout())
                image, offset = _render(page, scale, layout.turn)
                try:
                    for entry in here:
                        try:
                            bands[id(entry)] = _cut(image, entry, offset, scale, _header_joins_band(entry))
                        except ValueError:
                            entry.crop_note = f"the finding's box lies outside page {entry.page}: no crop"
                    for entry in strips_wanted.get(number, []):
                        try:
                            strips[id(entry)] = _header_strip(image, entry, offset, scale)
                        except ValueError:
                            pass
                    if pages_dir is not None and here:
                        name = f"page-{number}.png"
                        pages_dir.mkdir(parents=True, exist_ok=True)
                        with atomic_path(pages_dir / name) as tmp:
                            image.quantize(CROP_COLOURS).save(tmp, format="PNG", optimize=True)
                        for entry in here:
                            entry.page_image = pages_href + name
                finally:
                    image.close()
            except Exception as exc:  # one unrenderable page costs its crops, not the report
                for entry in here:
                    entry.crop_note = f"page {number} could not be rendered ({type(exc).__name__})"
            finally:
                page.close()
    finally:
        pdf.close()
    for es in by_page.values():
        for entry in es:
            if id(entry) in bands:
                band, outline, head = bands[id(entry)]
                joined = entry.header_box is not None and _header_joins_band(entry)
                strip = strips.get(id(entry))
                _compose(entry, band, outline, head, strip)
                if not joined and strip is None:
                    entry.crop_note = entry.crop_note or "the table's column header was not found on the page"


def _header_joins_band(entry: Entry) -> bool:
    """The header is on the finding's page close enough above the row to be cut in one piece."""
    if entry.header_box is None or entry.header_page != entry.page:
        return False
    _, top, _, bottom = _band_rect(entry)
    return bottom - (entry.header_box.top - HEADER_MARGIN_Y) <= MAX_JOINED_HEIGHT


def _render(page, scale: float, turn: int):
    """The page as a PIL image (turned like its text was read) and the offset mapping
    pdfplumber's points (origin top-left of the media box) to the image."""
    from renjana.extract.orientation import turn_box

    media, crop_box = page.get_mediabox(), page.get_cropbox()
    media_w, media_h = media[2] - media[0], media[3] - media[1]
    # pdfplumber measures top from the media box's height; pdfium renders the crop box.
    offset = (crop_box[0], media_h - crop_box[3])
    if turn:
        # The crop box's corner on the turned (virtual) page is the rendered image's corner.
        shown = (offset[0], offset[1], offset[0] + crop_box[2] - crop_box[0],
                 offset[1] + crop_box[3] - crop_box[1])
        offset = turn_box(*shown, turn, media_w, media_h)[:2]
    bitmap = page.render(scale=scale, rotation=turn)
    try:
        image = bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
    return image, offset


def _page_layouts(pdf_path: str | Path, numbers: list[int]) -> dict[int, PageLayout]:
    """page → the turn (degrees) its text was read in by extract and, for an upright page, its
    words; a page that cannot be read is left out (rendered as printed, no header found)."""
    import pdfplumber

    from renjana.extract.orientation import page_views

    layouts: dict[int, PageLayout] = {}
    try:
        with pdfplumber.open(pdf_path) as pdf:
            for number in numbers:
                if 1 <= number <= len(pdf.pages):
                    page = pdf.pages[number - 1]
                    if not page.chars:  # a scan: its header is found from its ruled grid
                        layouts[number] = PageLayout(grids=_ruled_grids(pdf_path, number - 1))
                        page.close()
                        continue
                    views, _ = page_views(page.chars, [], float(page.width), float(page.height))
                    turn = views[0].turn
                    words = page.extract_words() if turn == 0 else []
                    layouts[number] = PageLayout(turn, words)
                    page.close()
    except Exception:  # the crops fall back to the page as printed, without a header
        pass
    return layouts


def _ruled_grids(pdf_path: str | Path, index: int) -> list[BBox]:
    """The boxes (points) of the ruled tables on page ``index`` (0-based), found on its image
    at :data:`GRID_DPI` the way OCR finds them (:func:`renjana.extract.ocr.grid.find_grids`,
    deskewed like the OCR's boxes); empty when OpenCV is not installed or the page fails."""
    from dataclasses import replace

    try:
        from renjana.extract.ocr.grid import find_grids
        from renjana.extract.ocr.image import line_masks, prepare, render_page
        from renjana.extract.ocr.settings import DEFAULT_OCR_SETTINGS

        settings = replace(DEFAULT_OCR_SETTINGS, dpi=GRID_DPI)
        image = prepare(render_page(str(pdf_path), index, settings), settings)
        grids = find_grids(*line_masks(image.ink, settings.px(settings.min_rule_length)), settings)
    except Exception:  # no OpenCV, or an unrenderable page: no header, the crop is still cut
        return []
    pt = settings.pt
    return [BBox(x0=pt(g.x0), top=pt(g.top), x1=pt(g.x1), bottom=pt(g.bottom)) for g in grids]


# --------------------------------------------------------------------------- tables of findings
def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def record(result: DocumentResult, entry: Entry) -> dict:
    """One finding as a flat record with the CSV_FIELDS."""
    f, box = entry.finding, entry.finding.bbox
    return {
        "file": result.source.file, "table": f.table,
        "caption": entry.table.caption if entry.table else "", "row": f.row,
        "kode": entry.row.kode if entry.row else None, "column": f.column, "label": entry.label,
        "severity": f.severity, "rule": f.rule, "printed": f.printed, "expected": f.expected,
        "page": f.page, "x0": _number(box and box.x0), "top": _number(box and box.top),
        "x1": _number(box and box.x1), "bottom": _number(box and box.bottom), "message": f.message,
    }


def _safe_text(value):
    """Text a spreadsheet shows as text, never runs: a leading apostrophe before a formula."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def write_csv(records: list[dict], target: Path) -> Path:
    """UTF-8 with a byte-order mark: without it Excel reads the file as the local code page."""
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for rec in records:
            writer.writerow({k: "" if v is None else _safe_text(v) for k, v in rec.items()})
    return target


def write_xlsx(records: list[dict], target: Path) -> Path:
    """The findings as a sheet: bold frozen header, autofilter, widths fitted to the text."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "findings"
    sheet.append(list(CSV_FIELDS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in CSV_FIELDS]
    for rec in records:
        values = [rec[name] for name in CSV_FIELDS]
        values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
        sheet.append(values)
        for i, value in enumerate(values):
            cell = sheet.cell(row=sheet.max_row, column=i + 1)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl stores text starting with '=' as a formula
            widths[i] = max(widths[i], len(str(value)) if value is not None else 0)
    for i, width in enumerate(widths):
        letter = sheet.cell(row=1, column=i + 1).column_letter
        sheet.column_dimensions[letter].width = max(XLSX_MIN_WIDTH, min(XLSX_MAX_WIDTH, width + 2))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


# --------------------------------------------------------------------------- one document
def audit_paths(folder: Path, stem: str) -> dict[str, Path]:
    return {"html": folder / f"{stem}.audit.html", "csv": folder / f"{stem}.findings.csv",
            "xlsx": folder / f"{stem}.findings.xlsx"}


def write_audit(result: DocumentResult, pdf_path: str | Path, out_dir: Path,
                max_crops: int = DEFAULT_MAX_CROPS, dpi: int = DEFAULT_DPI) -> dict[str, Path]:
    """The HTML report, CSV and XLSX of one document, in the folder its JSON goes to."""
    from renjana.audit_html import report_html

    stem = output_stem(Path(result.source.file).stem, result.source.sha256)
    paths = audit_paths(document_dir(result, out_dir), stem)
    items = entries(result)
    pages = paths["html"].parent / f"{stem}.pages"
    render_crops(pdf_path, items[:max_crops], dpi, pages_dir=pages, pages_href=f"{pages.name}/")
    for entry in items[max_crops:]:
        entry.crop_note = f"no crop: the report shows the first {max_crops} only"
    with atomic_path(paths["html"]) as tmp:
        tmp.write_text(report_html(result, items, max_crops), encoding="utf-8")
    records = [record(result, e) for e in items]
    write_csv(records, paths["csv"])
    write_xlsx(records, paths["xlsx"])
    return paths


def audit_file(path: Path, out_dir: Path, max_crops: int = DEFAULT_MAX_CROPS,
               dpi: int = DEFAULT_DPI) -> DocumentResult:
    """Runner process function: the pipeline, then the audit files. The runner writes the JSON
    and Parquet after it, so an audited run is a complete run."""
    from renjana.pipeline import process_file

    result = process_file(path)
    write_audit(result, path, out_dir, max_crops, dpi)
    return result


def audit_process(out_dir: Path, max_crops: int = DEFAULT_MAX_CROPS, dpi: int = DEFAULT_DPI):
    """:func:`audit_file` bound to its options, picklable for the runner's spawned workers."""
    return functools.partial(audit_file, out_dir=Path(out_dir), max_crops=max_crops, dpi=dpi)


# --------------------------------------------------------------------------- a batch
INDEX_NAME = "index.html"
BATCH_FINDINGS = "findings"  # OUT/findings.csv and OUT/findings.xlsx


@dataclass
class IndexLine:
    """One input of a batch as the index lists it: a document read (with its counts and the
    link to its report) or an input that failed (``report`` empty, ``status`` says why)."""

    file: str
    report: str  # the report's path relative to the index; "" when there is none
    tables: int = 0
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    info: int = 0
    unread: int = 0  # pages not checked (no text layer, unreadable)
    status: str = "ok"  # "ok", "needs OCR", "partial: <reason>" or "failed: <reason>"

    @property
    def failed(self) -> bool:
        return self.status.startswith("failed")


def manifest_records(out_dir: Path) -> dict[str, dict]:
    """The latest record per input path of ``out_dir/manifest.jsonl`` (path → record); lines
    without a ``path`` (the runner's bookkeeping) or not JSON are skipped. Empty when there is
    no manifest."""
    records: dict[str, dict] = {}
    try:
        lines = (Path(out_dir) / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    except OSError:
        return records
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and item.get("path"):
            records[item["path"]] = item
    return records


def _status_of(result: DocumentResult, record: dict | None) -> str:
    """A read document's state for the index: the manifest's when it has one, else from the
    pages the pipeline did not read."""
    status = (record or {}).get("status")
    reason = (record or {}).get("reason") or ""
    if status is None:
        not_read = {u.status for u in result.source.unread_pages if u.status != "ocr"}
        status = "needs-ocr" if not_read == {"needs-ocr"} else ("partial" if not_read else "ok")
    if status == "needs-ocr":
        return "needs OCR" + (f": {reason}" if reason else "")
    if status == "ok":
        return "ok"
    return f"{status}: {reason}" if reason else status


def write_index(out_dir: Path) -> dict[str, Path]:
    """The batch's index page (per input: tables, rows checked, errors, warnings, pages not
    checked, its state, a link to its report) and one findings CSV and XLSX of every document,
    in ``out_dir``; built from every ``*.audit.html`` under it, the JSON beside each and the
    run's ``manifest.jsonl``: an input that failed (no report) is listed as "failed: reason", a
    document whose pages were not all read as "needs OCR" or "partial". A JSON that cannot be
    read is listed with its reason, not dropped."""
    from renjana.audit_html import index_html

    out_dir = Path(out_dir)
    lines: list[IndexLine] = []
    problems: list[str] = []
    records: list[dict] = []
    manifest = manifest_records(out_dir)
    by_sha = {r.get("sha256"): r for r in manifest.values() if r.get("sha256")}
    for report in sorted(out_dir.rglob("*.audit.html")):
        stem = report.name[: -len(".audit.html")]
        source = report.with_name(f"{stem}.json")
        try:
            result = DocumentResult.model_validate_json(source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{source.relative_to(out_dir)}: cannot be read ({type(exc).__name__})")
            continue
        severities = [f.severity for f in result.findings]
        unread = sum(1 for u in result.source.unread_pages if u.status != "ocr")
        lines.append(IndexLine(result.source.file, report.relative_to(out_dir).as_posix(),
                               len(result.tables), sum(len(t.rows) for t in result.tables),
                               severities.count("error"), severities.count("warning"),
                               severities.count("info"), unread,
                               _status_of(result, by_sha.get(result.source.sha256))))
        records.extend(record(result, e) for e in entries(result))
    for path, item in sorted(manifest.items()):
        if item.get("status") in FAILED_STATUSES:
            reason = item.get("reason") or "no reason recorded"
            lines.append(IndexLine(item.get("name") or Path(path).name, "",
                                   status=f"failed: {reason}" if item["status"] == "failed"
                                   else f"failed ({item['status']}): {reason}"))
    paths = {"html": out_dir / INDEX_NAME, "csv": out_dir / f"{BATCH_FINDINGS}.csv",
             "xlsx": out_dir / f"{BATCH_FINDINGS}.xlsx"}
    out_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(paths["html"]) as tmp:
        tmp.write_text(index_html(lines, problems), encoding="utf-8")
    write_csv(records, paths["csv"])
    write_xlsx(records, paths["xlsx"])
    return paths
