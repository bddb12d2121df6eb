"""Visual debugger: the page image, its overlays where extract found things, and the CLI.

The PDFs are drawn here (tests/pdfgen.py and ReportLab's canvas); every expectation comes from
what was drawn.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from renjana.cli import EXIT_FAILED, app
from renjana.debug import CELL_RGBA, FILL_RGBA, RULE_RGBA, draw_page, page_layers, render_page
from renjana.extract import extract_document

import pdfgen as g

SCALE = 2.0
DARK = 100  # a rendered pixel with every channel below this is ink
BOX = (100.0, 120.0, 400.0, 300.0)  # x0, top, x1, bottom (points, origin top left) of a drawn box


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """A cover page, then an evaluasi grid table on page 2."""
    path = tmp_path_factory.mktemp("debug") / "grid.pdf"
    b = g.PdfBuilder(path, footer=g.SLOGAN)
    b.cover(g.COVER)
    layout = b.table(g.evaluasi_spec())
    b.save()
    return path, layout


def _pixel(image: Image.Image, x: float, y: float, scale: float = SCALE) -> tuple[int, int, int]:
    return image.getpixel((round(x * scale), round(y * scale)))[:3]


def _near(image: Image.Image, x: float, y: float, colour: tuple[int, int, int], scale: float = SCALE) -> bool:
    """Some pixel within one pixel of the point (x, y) in points has ``colour`` (or is ink)."""
    px, py = round(x * scale), round(y * scale)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            rgb = image.getpixel((px + dx, py + dy))[:3]
            if rgb == colour or (colour == (0, 0, 0) and max(rgb) < DARK):
                return True
    return False


def test_image_size_follows_the_scale(grid):
    path, _ = grid
    width, height = g.PAGE
    for scale in (1.0, 1.5):
        image = draw_page(path, 2, scale=scale, legend=False)
        assert image.size == (math.ceil(width * scale), math.ceil(height * scale))  # pdfium rounds up
    with_legend = draw_page(path, 2, scale=1.0)
    assert with_legend.width == math.ceil(width) and with_legend.height > math.ceil(height)


def test_rules_are_drawn_in_the_rule_colour_where_the_grid_was_drawn(grid):
    path, layout = grid
    (piece,) = layout.pieces
    image = draw_page(path, piece.page, scale=SCALE, legend=False)
    rows = piece.header_row_edges + piece.body_row_edges
    top, bottom = min(rows), max(rows)
    left, right = layout.col_edges[0], layout.col_edges[-1]
    for x in layout.col_edges:  # every drawn vertical rule, half way down the table
        assert _near(image, x, (top + bottom) / 2, RULE_RGBA[:3]), x
    for y in (top, bottom):  # the outer horizontal rules, at a few places along them
        for share in (0.1, 0.5, 0.9):
            assert _near(image, left + share * (right - left), y, RULE_RGBA[:3]), (y, share)


def test_table_and_cells_come_from_extract(grid):
    path, layout = grid
    (piece,) = layout.pieces
    document = extract_document(path)
    (table,) = [t for t in document.tables if t.page == piece.page]
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        layers = {layer.label: layer for layer in page_layers(pdf.pages[piece.page - 1], document)}
    (box,) = layers["tables"].boxes
    assert box == (table.bbox.x0, table.bbox.top, table.bbox.x1, table.bbox.bottom)
    assert len(layers["cells"].boxes) == len(table.cells)
    assert len(layers["column / row edges"].lines) == len(table.col_edges) + len(table.row_edges)
    # A cell's outline sits just inside its box: look half way down its left side.
    image = draw_page(path, piece.page, scale=SCALE, legend=False, document=document)
    cell = max(table.cells, key=lambda c: c.bbox.bottom - c.bbox.top)
    middle = (cell.bbox.top + cell.bbox.bottom) / 2
    assert any(_pixel(image, cell.bbox.x0 + dx / SCALE, middle) == CELL_RGBA[:3] for dx in range(2, 6))


def test_cover_page_has_no_table_overlays(grid):
    path, _ = grid
    document = extract_document(path)
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        layers = {layer.label: layer for layer in page_layers(pdf.pages[0], document, text_lines=True)}
    assert not layers["tables"].boxes and not layers["cells"].boxes and not layers["rules"].lines
    assert layers["text lines"].boxes  # the cover's lines


def _boxed_page(path: Path, rotate: int = 0, fill: bool = False) -> Path:
    """One A4 page with a text line and a stroked box at BOX (as seen upright); the page is
    stored turned by ``rotate`` with /Rotate set so that a viewer shows it upright."""
    width, height = 595.0, 842.0
    c = canvas.Canvas(str(path), pagesize=(width, height))  # ReportLab swaps the stored media box
    c.setPageRotation(rotate)
    if rotate == 90:  # a point (x, y from bottom) of the upright page is (height - y, x) as stored
        c.transform(0, 1, -1, 0, height, 0)
    x0, top, x1, bottom = BOX
    c.setFont("Helvetica", 10)
    c.drawString(x0, height - top + 10, "Tabel 1 kotak")
    if fill:
        c.setFillGray(0.85)
        c.rect(x0, height - bottom, x1 - x0, bottom - top, stroke=1, fill=1)
    else:
        c.rect(x0, height - bottom, x1 - x0, bottom - top, stroke=1, fill=0)
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("rotate", [0, 90])
def test_overlay_lines_up_with_the_rendered_page(tmp_path: Path, rotate: int):
    path = _boxed_page(tmp_path / f"box{rotate}.pdf", rotate=rotate)
    plain = render_page(path, 1, SCALE)
    assert plain.size == (math.ceil(595 * SCALE), math.ceil(842 * SCALE))  # shown upright
    drawn = draw_page(path, 1, scale=SCALE, legend=False)
    assert drawn.size == plain.size
    x0, top, x1, bottom = BOX
    for x, y in [((x0 + x1) / 2, top), ((x0 + x1) / 2, bottom), (x0, (top + bottom) / 2), (x1, (top + bottom) / 2)]:
        assert _near(plain, x, y, (0, 0, 0)), (x, y)  # the printed rule is there ...
        assert _near(drawn, x, y, RULE_RGBA[:3]), (x, y)  # ... and so is its overlay


def test_filled_rectangle_is_tinted(tmp_path: Path):
    path = _boxed_page(tmp_path / "filled.pdf", fill=True)
    x0, top, x1, bottom = BOX
    centre = ((x0 + x1) / 2, (top + bottom) / 2)
    plain = _pixel(render_page(path, 1, SCALE), *centre)
    tinted = _pixel(draw_page(path, 1, scale=SCALE, legend=False), *centre)
    assert plain[0] == plain[1] == plain[2]  # grey as printed
    # The amber tint raises red over blue; the printed grey still shows through.
    assert tinted[0] > tinted[2] and tinted != FILL_RGBA[:3]


def test_page_outside_the_document_is_an_error(grid):
    path, _ = grid
    with pytest.raises(ValueError, match="no page 9"):
        draw_page(path, 9)


runner = CliRunner()


def test_cli_writes_a_png(grid, tmp_path: Path):
    path, layout = grid
    out = tmp_path / "sub" / "page.png"
    result = runner.invoke(app, ["debug", str(path), "--page", str(layout.pieces[0].page), "-o", str(out),
                                 "--scale", "1", "--text"])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.width == math.ceil(g.PAGE[0])
    bad = runner.invoke(app, ["debug", str(path), "--page", "9", "-o", str(tmp_path / "x.png")])
    assert bad.exit_code == EXIT_FAILED
    assert "no page 9" in bad.stderr and not (tmp_path / "x.png").exists()
