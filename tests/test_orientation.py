"""Orientation: tables drawn turned on their page are read upright; every box stays on its page.

The PDFs are drawn with tests/pdfgen.py in a landscape frame and placed on the page under a
rotation of the canvas, so the expected rows, columns and boxes come from what was drawn.
"""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4

from renjana.extract import extract_document
from renjana.extract.orientation import (glyph_turn, page_views, turn_box, turned_size,
                                         unturn_box)
from renjana.models import BBox, PageTable

import pdfgen as g

TOL = 1.0  # points: a rule's position as pdfplumber reports it vs. as drawn
PORTRAIT = A4  # (595.28, 841.89)
LANDSCAPE = g.PAGE


def small_spec(**overrides) -> g.TableSpec:
    """A small ruled table: two header rows (one spanning), three body rows."""
    spec = dict(
        widths=[30, 70, 160, 60, 90],
        header=[[g.H("No", rowspan=2), g.H("Kode", rowspan=2), g.H("Uraian", rowspan=2),
                 g.H("Target", colspan=2)], ["K", "Rp"]],
        rows=[["1", "1.03.02", "PROGRAM PENGELOLAAN SUMBER DAYA AIR", "80 %", "1.500.000.000,00"],
              ["2", "1.03.02.2.01", "Pengelolaan SDA dan Bangunan Pengaman Pantai", "12 Unit",
               "250.000.000,00"],
              ["3", "1.03.02.2.01.06", "Rehabilitasi Bendung", "4 Unit", "75.500.000,00"]],
        caption="Tabel 2.1 Evaluasi Pelaksanaan Renja",
        align=["center", "left", "left", "left", "right"],
    )
    spec.update(overrides)
    return g.TableSpec(**spec)


def draw(path, turn: int, page_rotation: int = 0, footer: str | None = None,
         spec: g.TableSpec | None = None) -> g.Layout:
    """One page holding ``spec`` drawn in a landscape frame, turned ``turn`` degrees
    anticlockwise on the page (90/270: onto a portrait page). ``page_rotation`` sets /Rotate.
    ``footer``: an upright line printed at the foot of the (portrait) page."""
    b = g.PdfBuilder(path, footer=None)
    c = b.canvas
    pw, ph = turned_size(turn, *LANDSCAPE)
    c.setPageSize((pw, ph))
    if footer:
        c.setFont("Helvetica", 8)
        c.drawString(40, 20, footer)
    if turn == 90:
        c.translate(pw, 0)
    elif turn == 180:
        c.translate(pw, ph)
    elif turn == 270:
        c.translate(0, ph)
    c.rotate(turn)
    if page_rotation:
        c.setPageRotation(page_rotation)
    layout = b.table(spec or small_spec())
    b.save()
    return layout


def only_table(doc) -> PageTable:
    (table,) = doc.tables
    return table


def row_texts(table: PageTable) -> list[list[str]]:
    out = []
    for r in range(table.n_rows):
        texts = [""] * table.n_cols
        for cell in table.cells:
            if cell.row == r:
                texts[cell.col] = cell.text
        out.append(texts)
    return out


def assert_read_as_drawn(table: PageTable, layout: g.Layout) -> None:
    (piece,) = layout.pieces
    spec = layout.spec
    assert table.ruled
    assert table.n_cols == spec.n_cols
    assert table.n_rows == len(spec.header) + len(spec.rows)
    assert table.col_edges == pytest.approx(layout.col_edges, abs=TOL)
    assert table.row_edges == pytest.approx(piece.header_row_edges[:-1] + piece.body_row_edges, abs=TOL)
    assert row_texts(table)[len(spec.header):] == spec.rows
    header = {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in table.cells if c.row < 2}
    assert header[(0, 2)] == ("Uraian", 2, 1)
    assert header[(0, 3)] == ("Target", 1, 2)
    assert header[(1, 4)] == ("Rp", 1, 1)


# --------------------------------------------------------------------------- geometry
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_unturn_box_inverts_turn_box(turn):
    w, h = PORTRAIT
    box = BBox(x0=10, top=20, x1=110, bottom=60)
    x0, top, x1, bottom = turn_box(box.x0, box.top, box.x1, box.bottom, turn, w, h)
    vw, vh = turned_size(turn, w, h)
    assert 0 <= x0 < x1 <= vw and 0 <= top < bottom <= vh
    back = unturn_box(BBox(x0=x0, top=top, x1=x1, bottom=bottom), turn, w, h)
    assert (back.x0, back.top, back.x1, back.bottom) == pytest.approx((10, 20, 110, 60))


@pytest.mark.parametrize("matrix,turn", [((1, 0, 0, 1, 0, 0), 0), ((0, 1, -1, 0, 0, 0), 90),
                                         ((-1, 0, 0, -1, 0, 0), 180), ((0, -1, 1, 0, 0, 0), 270),
                                         ((0.7, 0.7, -0.7, 0.7, 0, 0), None)])
def test_glyph_turn_from_the_advance(matrix, turn):
    assert glyph_turn({"text": "a", "matrix": matrix, "upright": turn == 0}) == turn


# --------------------------------------------------------------------------- turned tables
@pytest.mark.parametrize("turn", [90, 270, 180])
def test_table_drawn_turned_is_read_upright(tmp_path, turn):
    path = tmp_path / f"turned{turn}.pdf"
    layout = draw(path, turn)
    doc = extract_document(path)
    table = only_table(doc)
    assert table.turn == turn
    assert_read_as_drawn(table, layout)
    # Boxes are on the upright virtual page: the landscape frame the table was drawn in.
    vw, vh = LANDSCAPE
    assert 0 <= table.bbox.x0 < table.bbox.x1 <= vw and 0 <= table.bbox.top < table.bbox.bottom <= vh
    assert table.caption == layout.spec.caption
    assert any("page 1: table drawn" in n and f"({turn}°), read turned upright" in n for n in doc.notes)


def test_turned_box_maps_back_onto_the_printed_page(tmp_path):
    path = tmp_path / "turned90.pdf"
    draw(path, 90)
    doc = extract_document(path)
    table = only_table(doc)
    w, h = doc.page_sizes[0]
    assert w < h  # the printed page is portrait
    box = unturn_box(table.bbox, table.turn, w, h)
    # The landscape table stands tall on the portrait page.
    assert box.bottom - box.top > box.x1 - box.x0
    assert 0 <= box.x0 and box.x1 <= w and 0 <= box.top and box.bottom <= h


def test_page_with_rotate_attribute_is_not_turned_again(tmp_path):
    """/Rotate 90 over content drawn sideways: pdfplumber already shows it upright."""
    path = tmp_path / "rotate90.pdf"
    layout = draw(path, 90, page_rotation=90)
    doc = extract_document(path)
    table = only_table(doc)
    assert table.turn == 0
    assert_read_as_drawn(table, layout)
    assert not [n for n in doc.notes if "sideways" in n or "direction" in n]


def test_upright_table_gets_no_turn_and_no_note(tmp_path):
    path = tmp_path / "upright.pdf"
    layout = draw(path, 0)
    doc = extract_document(path)
    table = only_table(doc)
    assert table.turn == 0
    assert_read_as_drawn(table, layout)
    assert doc.notes == []


def test_mixed_directions_read_the_majority_and_note_the_rest(tmp_path):
    path = tmp_path / "mixed.pdf"
    footer = "Halaman 7"
    layout = draw(path, 90, footer=footer)
    doc = extract_document(path)
    table = only_table(doc)
    assert table.turn == 90
    assert_read_as_drawn(table, layout)
    glyphs = len(footer.replace(" ", ""))
    assert f"page 1: {glyphs} glyphs running in another direction were not read" in doc.notes


def test_second_table_in_another_direction_is_read_on_its_own(tmp_path):
    """A portrait page: an upright table at the top, a smaller one drawn sideways below it."""
    path = tmp_path / "two_directions.pdf"
    pw, ph = PORTRAIT
    b = g.PdfBuilder(path, footer=None, pagesize=PORTRAIT)
    upright = small_spec(x0=150.0, caption="", rows=small_spec().rows * 2)
    b.table(upright)
    c = b.canvas
    c.saveState()
    c.translate(pw, 0)
    c.rotate(90)
    b.height, b.cursor, b.dirty = pw, 40.0, False  # draw in the turned (landscape) frame
    side_layout = b.table(small_spec(caption=""), new_page=False)  # below the upright one
    c.restoreState()
    b.height = ph
    b.save()
    doc = extract_document(path)
    assert sorted(t.turn for t in doc.tables) == [0, 90]
    main = next(t for t in doc.tables if t.turn == 0)
    side = next(t for t in doc.tables if t.turn == 90)
    assert row_texts(main)[2:] == upright.rows
    assert_read_as_drawn(side, side_layout)
    assert any("table drawn turned (90°)" in n for n in doc.notes)
    assert not [n for n in doc.notes if "not read" in n]


def test_page_views_split_by_direction():
    up = {"text": "a", "matrix": (1, 0, 0, 1, 0, 0), "upright": True,
          "x0": 10, "x1": 15, "top": 10, "bottom": 17, "size": 7}
    side = dict(up, matrix=(0, 1, -1, 0, 0, 0), upright=False, x0=100, x1=107, top=300, bottom=305, size=5)
    views, unread = page_views([up] * 3 + [side] * 30, [], *PORTRAIT)
    assert [v.turn for v in views] == [90]
    assert unread == 3
    ch = views[0].chars[0]
    assert ch["upright"] and ch["size"] == pytest.approx(7)  # the glyph box's height upright
    assert ch["x0"] == pytest.approx(PORTRAIT[1] - 305) and ch["top"] == pytest.approx(100)


# --------------------------------------------------------------------------- boxes on the page
def test_boxes_are_clamped_to_the_page(tmp_path):
    """A table drawn a little past the page's left and top edge (as under a page-level scale)."""
    path = tmp_path / "outside.pdf"
    b = g.PdfBuilder(path, footer=None)
    b.cursor = -3.0  # the top rule lies above the page
    spec = small_spec(x0=-4.0, caption="")
    b.table(spec, new_page=False)
    b.save()
    doc = extract_document(path)
    table = only_table(doc)
    w, h = doc.page_sizes[0]
    boxes = [table.bbox] + [c.bbox for c in table.cells] + [ln.bbox for c in table.cells for ln in c.lines]
    boxes += [ln.bbox for p in doc.text for ln in p.lines]
    for box in boxes:
        assert 0 <= box.x0 <= box.x1 <= w and 0 <= box.top <= box.bottom <= h
    assert table.bbox.x0 == 0 and table.bbox.top == 0
    assert row_texts(table)[2:] == spec.rows


# --------------------------------------------------------------------------- audit crops
@pytest.mark.parametrize("turn", [90, 270, 180])
def test_audit_outlines_the_cell_of_a_turned_table(tmp_path, turn):
    """The audit renders a turned page turned, so a cell box of the virtual page lands on it."""
    from PIL import Image

    from renjana import audit as A
    from renjana.models import CellSource, Column, DocumentMeta, DocumentResult, Finding, Row, Source, Table

    path = tmp_path / f"turned{turn}.pdf"
    draw(path, turn)
    table = only_table(extract_document(path))
    cell = next(c for c in table.cells if c.text == "Pengelolaan SDA dan Bangunan Pengaman Pantai")
    row = Row(cells=[cell.text], page=1, sources=[CellSource(page=1, bbox=cell.bbox, lines=[cell.text])])
    result = DocumentResult(
        source=Source(file=path.name, sha256="0" * 64, pages=1), document=DocumentMeta(),
        tables=[Table(id="t1", pages=[1], columns=[Column(key="uraian", label="Uraian", type="text")],
                      rows=[row])],
        findings=[Finding(rule="odd", severity="error", table="t1", row=0, column="uraian",
                          message="a finding", page=1, bbox=cell.bbox)])
    entry = A.entries(result)[0]
    A.render_crops(path, [entry])
    assert entry.crop is not None, entry.crop_note
    image = Image.open(io.BytesIO(entry.crop)).convert("RGB")
    reds = [(x, y) for y in range(image.height) for x in range(image.width)
            if image.getpixel((x, y))[0] > 200 and image.getpixel((x, y))[1] < 70]
    xs, ys = [x for x, _ in reds], [y for _, y in reds]
    scale = A.DEFAULT_DPI / A.POINTS_PER_INCH
    # The outline has the cell's upright shape: as wide and as tall as the cell.
    tolerance = 2 * A.OUTLINE_PX + 2
    assert abs(max(xs) - min(xs) - cell.bbox.width * scale) <= tolerance
    assert abs(max(ys) - min(ys) - (cell.bbox.bottom - cell.bbox.top) * scale) <= tolerance
    # The cell's text is inside the outline, printed upright: a wide row of ink, not a column.
    gray = image.convert("L")
    ink = [(x, y) for x in range(min(xs) + 6, max(xs) - 6) for y in range(min(ys) + 6, max(ys) - 6)
           if gray.getpixel((x, y)) < 100]
    assert ink, "the cell's text is not inside the outline"
    assert max(x for x, _ in ink) - min(x for x, _ in ink) > 3 * (max(y for _, y in ink) - min(y for _, y in ink))
