"""The auditor's view of one PDF: every finding beside a crop of the page it points at.

``renjana audit`` runs the pipeline like ``renjana run`` (one isolated worker per file) and, in
that worker, writes beside the JSON: ``<stem>.audit.html`` (self-contained, crops embedded as PNG
data URIs, see :mod:`renjana.audit_html`), ``<stem>.findings.csv`` and ``<stem>.findings.xlsx``.

Pages are rendered with pdfium only when a finding points at them, each once, and released after
its crops are cut, so memory stays at one page image however long the document is.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from renjana.emit import atomic_path, document_dir
from renjana.models import BBox, DocumentResult, Finding, Row, Table

__all__ = ["CSV_FIELDS", "Entry", "audit_file", "audit_paths", "audit_process", "entries",
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
    """One finding with what the report shows around it: its table, row, column and page crop."""

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

    @property
    def label(self) -> str:
        return self.table.columns[self.col].label if self.col is not None else ""


def _union(boxes: list[BBox]) -> BBox | None:
    return functools.reduce(BBox.union, boxes) if boxes else None


def _entry(finding: Finding, tables: dict[str, Table]) -> Entry:
    table = tables.get(finding.table)
    entry = Entry(finding, table, page=finding.page, cell_box=finding.bbox)
    if table is None:
        return entry
    if finding.column is not None:
        entry.col = table.column_index(finding.column)
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


# --------------------------------------------------------------------------- crops
def _crop_rect(entry: Entry) -> tuple[float, float, float, float]:
    """The part of the page to show, in points: the row with a margin around it."""
    cell = entry.cell_box
    area = cell.union(entry.row_box) if entry.row_box is not None else BBox(
        x0=cell.x0 - CELL_CONTEXT_X, top=cell.top, x1=cell.x1 + CELL_CONTEXT_X, bottom=cell.bottom)
    top, bottom = area.top - CROP_MARGIN_Y, area.bottom + CROP_MARGIN_Y
    if bottom - top > MAX_CROP_HEIGHT:
        middle = (cell.top + cell.bottom) / 2
        top = max(top, middle - MAX_CROP_HEIGHT / 2)
        bottom = min(bottom, top + MAX_CROP_HEIGHT)
    return area.x0 - CROP_MARGIN_X, top, area.x1 + CROP_MARGIN_X, bottom


def _cut(image, entry: Entry, offset: tuple[float, float], scale: float) -> bytes:
    """A PNG of the entry's crop with its cell outlined. ``offset`` maps pdfplumber's points
    (origin top-left of the media box) to the rendered crop box."""
    from PIL import ImageDraw

    dx, dy = offset
    x0, top, x1, bottom = _crop_rect(entry)
    box = [max(0, round((x0 - dx) * scale)), max(0, round((top - dy) * scale)),
           min(image.width, round((x1 - dx) * scale)),
           min(image.height, round((bottom - dy) * scale))]
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        raise ValueError("box outside the page")
    crop = image.crop(box)
    cell = entry.cell_box
    pad = OUTLINE_PX  # drawn just outside the cell so it hides none of the printed text
    ImageDraw.Draw(crop).rectangle(
        [(cell.x0 - dx) * scale - box[0] - pad, (cell.top - dy) * scale - box[1] - pad,
         (cell.x1 - dx) * scale - box[0] + pad, (cell.bottom - dy) * scale - box[1] + pad],
        outline=OUTLINE_RGB, width=OUTLINE_PX)
    buffer = io.BytesIO()
    crop.quantize(CROP_COLOURS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def render_crops(pdf_path: str | Path, todo: list[Entry], dpi: int = DEFAULT_DPI) -> None:
    """Fill ``crop`` (or ``crop_note``) of each entry; each page with findings is rendered once.

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
    turns = _page_turns(pdf_path, sorted(by_page))
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for number in sorted(by_page):
            if not 1 <= number <= len(pdf):
                for entry in by_page[number]:
                    entry.crop_note = f"page {number} is not in the PDF: no crop"
                continue
            page = pdf[number - 1]
            try:
                _crop_page(page, by_page[number], scale, turns.get(number, 0))
            except Exception as exc:  # one unrenderable page costs its crops, not the report
                for entry in by_page[number]:
                    entry.crop_note = f"page {number} could not be rendered ({type(exc).__name__})"
            finally:
                page.close()
    finally:
        pdf.close()


def _page_turns(pdf_path: str | Path, numbers: list[int]) -> dict[int, int]:
    """page → the turn (degrees) its text was read in by extract, for the pages given; a page
    that cannot be read is left out (rendered as printed)."""
    import pdfplumber

    from renjana.extract.orientation import page_views

    turns: dict[int, int] = {}
    try:
        with pdfplumber.open(pdf_path) as pdf:
            for number in numbers:
                if 1 <= number <= len(pdf.pages):
                    page = pdf.pages[number - 1]
                    views, _ = page_views(page.chars, [], float(page.width), float(page.height))
                    turns[number] = views[0].turn
                    page.close()
    except Exception:  # the crops fall back to the page as printed
        pass
    return turns


def _crop_page(page, page_entries: list[Entry], scale: float, turn: int = 0) -> None:
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
    image = bitmap.to_pil()
    try:
        for entry in page_entries:
            try:
                entry.crop = _cut(image, entry, offset, scale)
            except ValueError:
                entry.crop_note = f"the finding's box lies outside page {entry.page}: no crop"
    finally:
        image.close()
        bitmap.close()


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

    paths = audit_paths(document_dir(result, out_dir), Path(result.source.file).stem)
    items = entries(result)
    render_crops(pdf_path, items[:max_crops], dpi)
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
