"""Visual debugger: a page rendered with pypdfium2 and what extract found drawn over it.

Like pdfplumber's ``page.to_image()``, for renjana's own view of the page: the ruling lines
(:func:`renjana.extract.rulings.page_rules` over the page's edges), the filled rectangles
(shading), and each table that :func:`renjana.extract.extract_document` returned for the page:
its box, its column and row edges, its cells and, optionally, the text lines. Everything is
gathered first as :class:`Layer` objects in PDF points (origin top left, pdfplumber's frame) and
then drawn, so a new kind of evidence is one more layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from PIL import Image, ImageDraw, ImageFont

from renjana.extract import extract_document
from renjana.extract.graphics import page_graphics
from renjana.extract.rulings import page_rules
from renjana.models import BBox, ExtractedDocument, PageTable

__all__ = ["DEFAULT_SCALE", "Layer", "draw_page", "page_layers", "render_page"]

RGBA = tuple[int, int, int, int]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points

DEFAULT_SCALE = 2.0  # pixels per PDF point: 144 dpi, thin rules and 6 pt text stay readable
# Colours (RGBA) and stroke widths (pixels), one per layer; chosen to differ from each other and
# from the black and grey ink of a printed table.
FILL_RGBA: RGBA = (255, 170, 0, 70)  # amber, translucent: the printed text stays readable
TEXT_RGBA: RGBA = (150, 150, 150, 255)
EDGE_RGBA: RGBA = (0, 190, 220, 255)  # cyan: column and row edges (show where no rule is drawn)
TABLE_RGBA: RGBA = (30, 60, 255, 255)
RULE_RGBA: RGBA = (230, 0, 60, 255)
CELL_RGBA: RGBA = (0, 160, 60, 255)
RULE_PX, EDGE_PX, TABLE_PX, CELL_PX, TEXT_PX, FILL_PX = 2, 1, 3, 1, 1, 1
# The table box is drawn this far outside its bbox and each cell this far inside its box
# (pixels), so neither hides the rule that lies on the same line.
TABLE_OUTSET_PX = 4
CELL_INSET_PX = 3
# The legend: a white strip under the page, one row of swatch + label per LEGEND_ROW pixels.
LEGEND_ROW = 22
LEGEND_PAD = 8
LEGEND_SWATCH = 14
LEGEND_FONT_SIZE = 13
# A table's label is written this far (points) under its box.
TABLE_LABEL_GAP = 3.0
LABEL_FONT_SIZE = 12  # pixels
# Extract reads glyphs and rules outside the crop box, which a viewer clips: the canvas then
# grows to show them, with this margin (pixels), and the page's edge is outlined.
OFF_PAGE_MARGIN_PX = 12
PAGE_EDGE_RGBA: RGBA = (120, 120, 120, 255)


@dataclass
class Layer:
    """One kind of evidence: ``lines`` and ``boxes`` as (x0, top, x1, bottom) in PDF points.

    A box is outlined with ``width`` pixels (and filled too when ``filled``); ``offset`` moves a
    box's outline outwards (positive) or inwards (negative) by that many pixels. A label's text is
    written in the layer's colour with its top left corner at (x0, top).
    """

    label: str
    colour: RGBA
    width: int
    lines: list[Box] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    filled: bool = False
    offset: int = 0
    labels: list[tuple[float, float, str]] = field(default_factory=list)  # (x0, top) in points, text

    def __len__(self) -> int:
        return len(self.lines) + len(self.boxes)


def _box(b: BBox) -> Box:
    return (b.x0, b.top, b.x1, b.bottom)


def page_layers(page: pdfplumber.page.Page, document: ExtractedDocument,
                text_lines: bool = False) -> list[Layer]:
    """The layers of one page, in drawing order (bottom first).

    ``page`` is the pdfplumber page and ``document`` the extract output of the same file; the
    tables drawn are those whose ``page`` is this page's number.
    """
    number = page.page_number
    tables = [t for t in document.tables if t.page == number]
    # The same graphics extract reads: strokes and thin fills as rules, larger fills as shading.
    graphics = page_graphics(page.lines, page.rects, page.curves, float(page.width), float(page.height))
    horizontal, vertical = page_rules(graphics.segments)
    fills = Layer("filled rects", FILL_RGBA, FILL_PX, filled=True,
                  boxes=[(f.x0, f.top, f.x1, f.bottom) for f in graphics.fills])
    edges = Layer("column / row edges", EDGE_RGBA, EDGE_PX)
    for t in tables:
        edges.lines += [(x, t.bbox.top, x, t.bbox.bottom) for x in t.col_edges]
        edges.lines += [(t.bbox.x0, y, t.bbox.x1, y) for y in t.row_edges]
    layers = [fills]
    if text_lines:
        lines = [ln for p in document.text if p.page == number for ln in p.lines]
        lines += [ln for t in tables for c in t.cells for ln in c.lines]
        layers.append(Layer("text lines", TEXT_RGBA, TEXT_PX, boxes=[_box(ln.bbox) for ln in lines]))
    layers += [
        edges,
        Layer("tables", TABLE_RGBA, TABLE_PX, boxes=[_box(t.bbox) for t in tables], offset=TABLE_OUTSET_PX,
              labels=[(t.bbox.x0, t.bbox.bottom + TABLE_LABEL_GAP, _table_label(document, t)) for t in tables]),
        Layer("rules", RULE_RGBA, RULE_PX, lines=[(r.start, r.pos, r.end, r.pos) for r in horizontal]
              + [(r.pos, r.start, r.pos, r.end) for r in vertical]),
        Layer("cells", CELL_RGBA, CELL_PX, boxes=[_box(c.bbox) for t in tables for c in t.cells],
              offset=-CELL_INSET_PX),
    ]
    return layers


def _table_label(document: ExtractedDocument, table: PageTable) -> str:
    """'table 3: lattice, 7 x 10': the table's number in the document, its kind and its grid."""
    index = next(i for i, t in enumerate(document.tables, start=1) if t is table)
    kind = "lattice" if table.ruled else "rules only"
    return f"table {index}: {kind}, {table.n_rows} x {table.n_cols}"


def render_page(path: str | Path, page_number: int, scale: float = DEFAULT_SCALE) -> Image.Image:
    """Page ``page_number`` (1-based) as an RGB image, ``scale`` pixels per point, with the page's
    /Rotate applied (as pdfplumber's coordinates are) and its crop box shown."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_number - 1]
        bitmap = page.render(scale=scale)
        image = bitmap.to_pil().convert("RGB")
        bitmap.close()
        page.close()
    finally:
        pdf.close()
    return image


def draw_page(path: str | Path, page_number: int, scale: float = DEFAULT_SCALE, text_lines: bool = False,
              legend: bool = True, document: ExtractedDocument | None = None) -> Image.Image:
    """Page ``page_number`` (1-based) of the PDF at ``path``, rendered at ``scale`` pixels per
    point, with the layers of :func:`page_layers` drawn over it and, when ``legend``, a legend
    strip added under the page.

    ``document`` is the extract output of the file when the caller already has it (it is
    computed otherwise). Raises ``ValueError`` for a page number outside the document and
    :class:`renjana.extract.ExtractError` for a file that is not a readable PDF.
    """
    document = document or extract_document(path)
    if not 1 <= page_number <= document.pages:
        raise ValueError(f"{Path(path).name}: no page {page_number} (the PDF has {document.pages} pages)")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        layers = page_layers(page, document, text_lines)
        # pdfium renders the crop box; pdfplumber measures from the media box's corner.
        origin = page.cropbox[0], page.cropbox[1]
    image, origin = _canvas(render_page(path, page_number, scale), layers, origin, scale)
    _draw_layers(image, layers, origin, scale)
    return _with_legend(image, layers) if legend else image


def _canvas(page: Image.Image, layers: list[Layer], origin: tuple[float, float],
            scale: float) -> tuple[Image.Image, tuple[float, float]]:
    """The rendered page, on a larger white canvas when some layer reaches outside it (the page's
    edge then outlined in grey); and the point at the canvas's top left corner."""
    ox, oy = origin
    xs = [x for layer in layers for b in layer.lines + layer.boxes for x in (b[0], b[2])]
    ys = [y for layer in layers for b in layer.lines + layer.boxes for y in (b[1], b[3])]
    ys += [top for layer in layers for _, top, _ in layer.labels]
    if not xs:
        return page, origin
    left = max(0, round((ox - min(xs)) * scale))
    up = max(0, round((oy - min(ys)) * scale))
    right = max(0, round((max(xs) - ox) * scale) - page.width)
    down = max(0, round((max(ys) - oy) * scale) - page.height)
    if not (left or up or right or down):
        return page, origin
    m = OFF_PAGE_MARGIN_PX
    left, up = (left + m if left else 0), (up + m if up else 0)
    right, down = (right + m if right else 0), (down + m if down else 0)
    canvas = Image.new("RGB", (page.width + left + right, page.height + up + down), "white")
    canvas.paste(page, (left, up))
    ImageDraw.Draw(canvas).rectangle((left - 1, up - 1, left + page.width, up + page.height),
                                     outline=PAGE_EDGE_RGBA[:3], width=1)
    return canvas, (ox - left / scale, oy - up / scale)


def _draw_layers(image: Image.Image, layers: list[Layer], origin: tuple[float, float], scale: float) -> None:
    draw = ImageDraw.Draw(image, "RGBA")
    ox, oy = origin

    def px(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        return (x0 - ox) * scale, (top - oy) * scale, (x1 - ox) * scale, (bottom - oy) * scale

    for layer in layers:
        for line in layer.lines:
            draw.line(px(*line), fill=layer.colour, width=layer.width)
        for box in layer.boxes:
            x0, top, x1, bottom = px(*box)
            d = layer.offset
            x0, top, x1, bottom = x0 - d, top - d, x1 + d, bottom + d
            if x1 < x0 or bottom < top:  # a box narrower than twice the inset
                continue
            draw.rectangle((x0, top, x1, bottom), outline=layer.colour[:3] + (255,), width=layer.width,
                           fill=layer.colour if layer.filled else None)
        font = _font(LABEL_FONT_SIZE)
        for x, top, text in layer.labels:
            draw.text(px(x, top, x, top)[:2], text, fill=layer.colour[:3] + (255,), font=font)


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has one bitmap size only
        return ImageFont.load_default()


def _with_legend(image: Image.Image, layers: list[Layer]) -> Image.Image:
    """The image with a white strip under it naming each layer's colour and how many it drew."""
    font = _font(LEGEND_FONT_SIZE)
    probe = ImageDraw.Draw(image)
    entries, rows, x = [], 0, LEGEND_PAD
    for layer in layers:
        text = f"{layer.label} ({len(layer)})"
        width = LEGEND_SWATCH + 6 + probe.textlength(text, font=font) + 2 * LEGEND_PAD
        if x + width > image.width and x > LEGEND_PAD:
            rows, x = rows + 1, LEGEND_PAD
        entries.append((x, rows, layer, text))
        x += width
    out = Image.new("RGB", (image.width, image.height + (rows + 1) * LEGEND_ROW + LEGEND_PAD), "white")
    out.paste(image, (0, 0))
    draw = ImageDraw.Draw(out, "RGBA")
    for x, row, layer, text in entries:
        y = image.height + LEGEND_PAD // 2 + row * LEGEND_ROW + (LEGEND_ROW - LEGEND_SWATCH) // 2
        draw.rectangle((x, y, x + LEGEND_SWATCH, y + LEGEND_SWATCH), outline=layer.colour[:3] + (255,),
                       width=2, fill=layer.colour if layer.filled else None)
        draw.text((x + LEGEND_SWATCH + 6, y + LEGEND_SWATCH // 2), text, fill="black", font=font, anchor="lm")
    return out
