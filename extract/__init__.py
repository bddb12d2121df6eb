"""Stage 1, extract: every table on every page of a born-digital PDF, with each cell's text
lines and box, and the text around the tables (captions, cover, headings).

One call, :func:`extract_document`, opens the PDF once and walks its pages once.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pdfplumber

from renjana.models import BBox, ExtractedDocument, PageTable, PageText, TextLine

from .columns import WORD_JOIN_RATIO, Band, infer_column_edges, is_number_row
from .glyphs import dedupe_overprint
from .grid import EDGE_CLUSTER, build_cells, cluster_positions
from .rulings import Region, Rule, find_regions, page_rules
from .text_lines import group_lines

__all__ = ["extract_document", "ExtractError"]

# A caption sits at most this far (points) above its table.
CAPTION_MAX_GAP = 40.0
# "Tabel 2.1 …", "Formulir E.81 …", or a section number "3.1 Penyesuaian …" (not a kode: those
# have more segments, and a body row's name is not what follows a section number).
CAPTION_LINE = re.compile(r"^\s*((tabel|table|formulir|lampiran)\b|\d{1,2}\.\d{1,2}\.?\s+[A-Z][a-z])", re.IGNORECASE)
# A rules-only table continues on the next page when its rules span the same x-extent (points).
SAME_EXTENT = 4.0
# How much of a row band a vertical rule must cover to count as drawn there.
COVER_SHARE = 0.25
# Header text joins across gaps this wide (share of the font size) when deciding that a
# header cell spans columns; printed space glyphs already join the words of one cell.
HEADER_JOIN_RATIO = 0.2
# Header bands searched for the column-number row of a rules-only table.
MAX_HEADER_BANDS = 6


class ExtractError(Exception):
    """The file cannot be read as a PDF; the message names the file and the reason."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract_document(path: str | Path) -> ExtractedDocument:
    path = Path(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for a broken file
        raise ExtractError(f"{path.name}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    doc = ExtractedDocument(file=path.name, path=str(path), sha256=sha256_of(path), pages=0)
    pending: list[tuple[int, Region, list[dict], bool]] = []  # rules-only regions, columns pooled later
    image_only: list[int] = []
    with pdf:
        doc.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            doc.page_sizes.append((float(page.width), float(page.height)))
            chars = dedupe_overprint([c for c in page.chars if c.get("upright", True)])
            if not [c for c in chars if not c["text"].isspace()]:
                if page.images:
                    image_only.append(number)
                page.close()
                continue
            tables, rules_only, outside = _page_tables(number, chars, page.edges)
            doc.tables.extend(tables)
            pending.extend(rules_only)
            doc.text.append(PageText(page=number, lines=group_lines(outside)))
            page.close()
    if image_only:
        doc.notes.append(f"{_page_ranges(image_only)}: no text layer: needs OCR")
    doc.tables.extend(_rules_only_tables(pending))
    doc.tables.sort(key=lambda t: (t.page, t.bbox.top))
    for table in doc.tables:
        table.caption = _caption_above(table, doc.text)
    return doc


def _page_ranges(pages: list[int]) -> str:
    """[1, 2, 3, 7] → 'pages 1-3, 7'."""
    spans: list[list[int]] = []
    for p in pages:
        if spans and p == spans[-1][1] + 1:
            spans[-1][1] = p
        else:
            spans.append([p, p])
    text = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in spans)
    return ("pages " if len(pages) > 1 else "page ") + text


def _page_tables(number: int, chars: list[dict], edges: list[dict]):
    horizontal, vertical = page_rules(edges)
    lines = group_lines(chars)

    def caption_between(top: float, bottom: float) -> bool:
        return any(top < line.bbox.top and line.bbox.bottom < bottom and CAPTION_LINE.match(line.text)
                   for line in lines)

    regions = find_regions(horizontal, vertical, caption_between)
    tables: list[PageTable] = []
    rules_only: list[tuple[int, Region, list[dict], bool]] = []
    inside_any: set[int] = set()
    for region in regions:
        region.horizontal = [h for h in horizontal if region.top - 1 <= h.pos <= region.bottom + 1
                             and h.end > region.x0 + 1 and h.start < region.x1 - 1]
        mine = [c for c in chars if _inside(c, region)]
        inside_any.update(id(c) for c in mine)
        if region.ruled:
            tables.append(_lattice_table(number, region, mine))
        else:
            captioned = caption_between(region.top - CAPTION_MAX_GAP, region.top)
            rules_only.append((number, region, mine, captioned))
    outside = [c for c in chars if id(c) not in inside_any]
    return tables, rules_only, outside


def _inside(ch: dict, region: Region) -> bool:
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return region.x0 - 1 <= cx <= region.x1 + 1 and region.top <= cy <= region.bottom


def _covers(rules: list[Rule], pos: float, a: float, b: float) -> bool:
    """A rule at ``pos`` runs over the middle of [a, b]."""
    margin = (b - a) * COVER_SHARE
    return any(abs(r.pos - pos) <= EDGE_CLUSTER + 0.5 and r.start <= a + margin and r.end >= b - margin
               for r in rules)


def _lattice_table(number: int, region: Region, chars: list[dict]) -> PageTable:
    col_edges = cluster_positions([v.pos for v in region.vertical] + [region.x0, region.x1])
    col_edges = [x for x in col_edges if region.x0 - 3 <= x <= region.x1 + 3]
    row_edges = cluster_positions([h.pos for h in region.horizontal])
    vertical, horizontal = region.vertical, region.horizontal
    cells = build_cells(
        col_edges, row_edges,
        has_vertical=lambda r, c: _covers(vertical, col_edges[c], row_edges[r], row_edges[r + 1]),
        has_horizontal=lambda k, c: _covers(horizontal, row_edges[k], col_edges[c], col_edges[c + 1]),
        chars=chars,
    )
    return PageTable(page=number, ruled=True, col_edges=col_edges, row_edges=row_edges, cells=cells,
                     bbox=BBox(x0=col_edges[0], top=row_edges[0], x1=col_edges[-1], bottom=row_edges[-1]))


def _bands(row_edges: list[float], chars: list[dict]) -> list[Band]:
    by_band: list[list[dict]] = [[] for _ in range(len(row_edges) - 1)]
    for ch in chars:
        cy = (ch["top"] + ch["bottom"]) / 2
        for i in range(len(row_edges) - 1):
            if row_edges[i] <= cy < row_edges[i + 1]:
                by_band[i].append(ch)
                break
    bands = []
    for band_chars in by_band:
        lines = group_lines(band_chars)
        # Printed space glyphs count as ink: a phrase is continuous inside its cell, and the gap
        # between two cells (where no space glyph is printed) stays empty.
        glyphs = [(line.bbox.top, [g for g in line.glyph_x if g[1] > g[0]]) for line in lines]
        size = max((line.font_size for line in lines), default=7.0)
        bands.append(Band(lines=glyphs, text=" ".join(line.text for line in lines), font_size=size,
                          line_texts=[line.text for line in lines]))
    return bands


def _header_band_count(bands: list[Band]) -> int:
    """Bands above the body: through the column-number row when there is one, else the first."""
    for i, band in enumerate(bands[:MAX_HEADER_BANDS]):
        if is_number_row(band.text):
            return i + 1
    return 1


def _rules_only_tables(pending: list[tuple[int, Region, list[dict], bool]]) -> list[PageTable]:
    """Tables with horizontal rules only: pool the body text of a table's pages for its columns.

    A region continues the table of the page before when it has the same width and no caption.
    """
    groups: list[list[tuple[int, Region, list[dict], bool]]] = []
    for item in pending:
        number, region, _, captioned = item
        last = groups[-1][-1] if groups else None
        if (last and not captioned and number - last[0] == 1 and abs(last[1].x0 - region.x0) <= SAME_EXTENT
                and abs(last[1].x1 - region.x1) <= SAME_EXTENT):
            groups[-1].append(item)
        else:
            groups.append([item])
    tables: list[PageTable] = []
    for group in groups:
        body: list[Band] = []
        header: list[Band] = []
        numbers: list[Band] = []
        for _, region, chars, _ in group:
            row_edges = cluster_positions([h.pos for h in region.horizontal])
            bands = _bands(row_edges, chars)
            n_header = _header_band_count(bands)
            header.append(bands[0])
            body.extend(bands[n_header:])
            if is_number_row(bands[n_header - 1].text):
                numbers.append(bands[n_header - 1])  # column numbers sit one per leaf column
        x0 = min(item[1].x0 for item in group)
        x1 = max(item[1].x1 for item in group)
        col_edges = infer_column_edges(x0, x1, body, header, numbers)
        for number, region, chars, _ in group:
            tables.append(_text_columns_table(number, region, chars, col_edges))
    return tables


def _text_columns_table(number: int, region: Region, chars: list[dict], col_edges: list[float]) -> PageTable:
    row_edges = cluster_positions([h.pos for h in region.horizontal])
    bands = _bands(row_edges, chars)
    n_header = _header_band_count(bands)
    horizontal = region.horizontal
    # Header phrases span their merged cells, word spaces and all; body text never crosses a column.
    runs = [band.ink_runs(HEADER_JOIN_RATIO if r < n_header else WORD_JOIN_RATIO)
            for r, band in enumerate(bands)]

    def crosses(r: int, c: int) -> bool:
        x = col_edges[c]
        return any(a < x < b for a, b in runs[r])

    cells = build_cells(
        col_edges, row_edges,
        has_vertical=lambda r, c: not crosses(r, c),
        has_horizontal=lambda k, c: _covers(horizontal, row_edges[k], col_edges[c], col_edges[c + 1]),
        chars=chars,
    )
    return PageTable(page=number, ruled=False, col_edges=col_edges, row_edges=row_edges, cells=cells,
                     bbox=BBox(x0=col_edges[0], top=row_edges[0], x1=col_edges[-1], bottom=row_edges[-1]))


def _caption_above(table: PageTable, text: list[PageText]) -> str:
    page_lines = next((p.lines for p in text if p.page == table.page), [])
    above = sorted((ln for ln in page_lines if ln.bbox.bottom <= table.bbox.top + 1
                    and ln.bbox.bottom >= table.bbox.top - CAPTION_MAX_GAP - 30),
                   key=lambda ln: -ln.bbox.bottom)
    picked: list[TextLine] = []
    limit = table.bbox.top - CAPTION_MAX_GAP
    for line in above:
        if line.bbox.bottom < limit:
            break
        picked.append(line)
        limit = line.bbox.top - 1.2 * line.font_size
    return " ".join(line.text for line in reversed(picked))
