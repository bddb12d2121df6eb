"""Extract: tables, cells, spans and notes recovered from PDFs drawn by tests/pdfgen.py.

Every expectation comes from what the generator drew (its Layout), never from a stored answer.
"""

from __future__ import annotations

import pytest

from renjana.extract import ExtractError, extract_document
from renjana.models import PageTable

import pdfgen as g

TOL = 1.0  # points: a rule's position as pdfplumber reports it vs. as drawn


def tables_on(doc, page: int) -> list[PageTable]:
    return [t for t in doc.tables if t.page == page]


def cell_at(table: PageTable, row: int, col: int):
    return next((c for c in table.cells if c.row == row and c.col == col), None)


def body_texts(table: PageTable, first_body_row: int) -> list[list[str]]:
    """Each body row's text per atomic column (a merged cell's text in its first column)."""
    out = []
    for r in range(first_body_row, table.n_rows):
        texts = [""] * table.n_cols
        for cell in table.cells:
            if cell.row == r:
                texts[cell.col] = cell.text
        out.append(texts)
    return out


def build(path, *specs, cover=True, footer=g.SLOGAN, same_page=False):
    b = g.PdfBuilder(path, footer=footer)
    if cover:
        b.cover(g.COVER)
    layouts = [b.table(spec, new_page=not (same_page and i)) for i, spec in enumerate(specs)]
    b.save()
    return layouts


# --------------------------------------------------------------------------- full grid
@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    path = tmp_path_factory.mktemp("grid") / "grid.pdf"
    (layout,) = build(path, g.evaluasi_spec())
    return extract_document(path), layout


def test_grid_shape(grid):
    doc, layout = grid
    (piece,) = layout.pieces
    (table,) = tables_on(doc, piece.page)
    spec = layout.spec
    assert table.ruled
    assert table.n_cols == spec.n_cols
    assert table.n_rows == len(spec.header) + len(spec.rows)
    assert table.col_edges == pytest.approx(layout.col_edges, abs=TOL)
    assert table.row_edges == pytest.approx(piece.header_row_edges + piece.body_row_edges[1:], abs=TOL)
    assert table.caption == spec.caption


def test_grid_merged_header_cells(grid):
    doc, layout = grid
    (piece,) = layout.pieces
    (table,) = tables_on(doc, piece.page)
    spanned = [d for d in piece.header if d.rowspan > 1 or d.colspan > 1]
    assert {(d.rowspan, d.colspan) for d in spanned} == {(2, 1), (1, 2)}  # the test means something
    for drawn in piece.header:
        cell = cell_at(table, drawn.row, drawn.col)
        assert cell is not None, f"no cell at header ({drawn.row}, {drawn.col}) {drawn.lines}"
        assert (cell.rowspan, cell.colspan) == (drawn.rowspan, drawn.colspan), drawn.lines
        assert [line.text for line in cell.lines] == drawn.lines
        assert (cell.bbox.x0, cell.bbox.top, cell.bbox.x1, cell.bbox.bottom) == pytest.approx(
            (drawn.x0, drawn.top, drawn.x1, drawn.bottom), abs=TOL)
    # No cell hides under a merged one: the cells tile the header exactly.
    area = sum(c.rowspan * c.colspan for c in table.cells if c.row < len(layout.spec.header))
    assert area == len(layout.spec.header) * table.n_cols


def test_grid_body_cells_lines_and_boxes(grid):
    doc, layout = grid
    (piece,) = layout.pieces
    (table,) = tables_on(doc, piece.page)
    depth = len(layout.spec.header)
    for drawn in piece.body:
        cell = cell_at(table, depth + drawn.row, drawn.col)
        assert cell is not None and (cell.rowspan, cell.colspan) == (1, 1)
        assert [line.text for line in cell.lines] == drawn.lines
        assert (cell.bbox.x0, cell.bbox.top, cell.bbox.x1, cell.bbox.bottom) == pytest.approx(
            (drawn.x0, drawn.top, drawn.x1, drawn.bottom), abs=TOL)
        for line in cell.lines:  # the ink of a line sits inside its cell
            assert cell.bbox.x0 <= line.bbox.x0 and line.bbox.x1 <= cell.bbox.x1 + TOL
            assert cell.bbox.top <= line.bbox.top and line.bbox.bottom <= cell.bbox.bottom + TOL


def test_grid_wrapped_uraian_keeps_its_lines(grid):
    """A name wrapped over two lines stays in one cell, as two printed lines in order."""
    doc, layout = grid
    (table,) = tables_on(doc, layout.pages[0])
    depth = len(layout.spec.header)
    wrapped = [d for d in layout.pieces[0].body if len(d.lines) > 1]
    assert wrapped, "the spec should wrap at least one cell"
    for drawn in wrapped:
        cell = cell_at(table, depth + drawn.row, drawn.col)
        assert len(cell.lines) == len(drawn.lines)
        assert cell.lines[0].bbox.top < cell.lines[1].bbox.top
        # Writer-like producer: the space glyph at a word-gap line end is reported.
        assert cell.lines[0].trailing_space


def test_trailing_space_flag_follows_the_producer(tmp_path):
    (layout,) = build(tmp_path / "nospace.pdf", g.evaluasi_spec(keeps_trailing_space=False), cover=False)
    doc = extract_document(tmp_path / "nospace.pdf")
    (table,) = tables_on(doc, layout.pages[0])
    multi = [c for c in table.cells if len(c.lines) > 1]
    assert multi
    assert not any(line.trailing_space for c in multi for line in c.lines)


# --------------------------------------------------------------------------- rules only
RULES_HEADERS = {
    "numbers-every-column": g.evaluasi_header("1 2 3 4 5 5 6 6 7 7 8"),
    "no-number-row": g.evaluasi_header()[:2],
    "group-numbers-only": g.evaluasi_header()[:2] + [["", "", "", "", "5", "5", "6", "6", "7", "7", ""]],
}


@pytest.fixture(scope="module", params=sorted(RULES_HEADERS))
def rules(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / f"rules-{request.param}.pdf"
    spec = g.evaluasi_spec(borders="rules", header=RULES_HEADERS[request.param])
    (layout,) = build(path, spec)
    return extract_document(path), layout, request.param


def test_rules_only_columns_from_text(rules):
    doc, layout, _ = rules
    spec = layout.spec
    (table,) = tables_on(doc, layout.pages[0])
    assert not table.ruled
    assert table.n_cols == spec.n_cols
    assert table.n_rows == len(spec.header) + len(spec.rows)
    # Every recovered column edge falls in the blank between the drawn text of its two neighbours.
    piece = layout.pieces[0]
    single = [d for d in piece.body + piece.header if d.colspan == 1 and d.ink]
    for k in range(1, spec.n_cols):
        left_ink = max(x1 for d in single if d.col == k - 1 for _, x1 in d.ink)
        right_ink = min(x0 for d in single if d.col == k for x0, _ in d.ink)
        assert left_ink <= table.col_edges[k] <= right_ink, f"edge {k}"
    assert body_texts(table, len(spec.header)) == [[" ".join(t.split()) for t in row] for row in spec.rows]


def test_rules_only_empty_keterangan_column(rules):
    doc, layout, _ = rules
    (table,) = tables_on(doc, layout.pages[0])
    last = table.n_cols - 1
    assert all(not row[last] for row in layout.spec.rows)  # the generator left it empty
    header = cell_at(table, 0, last)
    assert header is not None and header.text == "Keterangan"
    assert header.rowspan == 2 and header.colspan == 1
    assert all(not c.lines for c in table.cells if c.col == last and c.row >= len(layout.spec.header))


def test_rules_only_header_spans(rules):
    doc, layout, _ = rules
    (table,) = tables_on(doc, layout.pages[0])
    piece = layout.pieces[0]
    for drawn in piece.header:
        if not drawn.lines:
            continue
        cell = cell_at(table, drawn.row, drawn.col)
        assert cell is not None, drawn.lines
        assert (cell.rowspan, cell.colspan) == (drawn.rowspan, drawn.colspan), drawn.lines
        assert [line.text for line in cell.lines] == drawn.lines


# --------------------------------------------------------------------------- page layout
@pytest.mark.parametrize("borders", ["grid", "rules"])
def test_two_tables_on_one_page_kept_apart(tmp_path, borders):
    first = g.evaluasi_spec(borders=borders, rows=g.evaluasi_rows()[:2])
    second = g.evaluasi_spec(borders=borders, rows=g.evaluasi_rows()[2:5],
                             caption="Tabel 2.2 Evaluasi Sub Kegiatan Pendukung Tahun 2022")
    layouts = build(tmp_path / "two.pdf", first, second, same_page=True)
    assert layouts[0].pages == layouts[1].pages  # the generator put both on one page
    doc = extract_document(tmp_path / "two.pdf")
    found = tables_on(doc, layouts[0].pages[0])
    assert len(found) == 2
    top, bottom = found
    assert top.bbox.bottom < bottom.bbox.top
    for table, layout in zip(found, layouts):
        assert table.caption == layout.spec.caption
        assert table.n_cols == layout.spec.n_cols
        assert table.n_rows == len(layout.spec.header) + len(layout.spec.rows)
        depth = len(layout.spec.header)
        assert [row[2] for row in body_texts(table, depth)] == [row[2] for row in layout.spec.rows]


def test_table_continued_on_next_page(tmp_path):
    spec = g.evaluasi_spec(page_breaks={3: 0})
    (layout,) = build(tmp_path / "cont.pdf", spec)
    assert len(layout.pages) == 2
    doc = extract_document(tmp_path / "cont.pdf")
    first, second = (tables_on(doc, p) for p in layout.pages)
    assert len(first) == len(second) == 1
    assert first[0].n_rows == len(spec.header) + 3
    assert second[0].n_rows == len(spec.header) + len(spec.rows) - 3  # header repeated
    assert second[0].caption == ""


def test_footer_stays_outside_the_table(tmp_path):
    (layout,) = build(tmp_path / "foot.pdf", g.evaluasi_spec())
    doc = extract_document(tmp_path / "foot.pdf")
    page = layout.pages[0]
    (table,) = tables_on(doc, page)
    assert g.SLOGAN not in " ".join(c.text for c in table.cells)
    text = " ".join(line.text for p in doc.text if p.page == page for line in p.lines)
    assert g.SLOGAN in text


def test_cover_text_is_page_text(tmp_path):
    build(tmp_path / "cover.pdf", g.evaluasi_spec())
    doc = extract_document(tmp_path / "cover.pdf")
    assert doc.pages == 2
    assert not tables_on(doc, 1)
    cover = [line.text for p in doc.text if p.page == 1 for line in p.lines]
    assert cover[:2] == g.COVER[:2]


def test_page_sizes_are_landscape(tmp_path):
    build(tmp_path / "land.pdf", g.evaluasi_spec())
    doc = extract_document(tmp_path / "land.pdf")
    assert all(w > h for w, h in doc.page_sizes)
    assert doc.page_sizes[0] == pytest.approx(g.PAGE, abs=0.5)


# --------------------------------------------------------------------------- what cannot be read
def test_image_only_page_needs_ocr(tmp_path):
    b = g.PdfBuilder(tmp_path / "scan.pdf", footer=g.SLOGAN)
    b.cover(g.COVER)
    b.image_page()
    b.table(g.evaluasi_spec())
    b.save()
    doc = extract_document(tmp_path / "scan.pdf", ocr=False)
    assert doc.pages == 3
    assert [n for n in doc.notes if n.startswith("page 2: no text layer: needs OCR")] == doc.notes
    assert [(u.page, u.status) for u in doc.unread_pages] == [(2, "needs-ocr")]
    assert [t.page for t in doc.tables] == [3]


def test_not_a_pdf_names_the_file(tmp_path):
    path = tmp_path / "laporan-palsu.pdf"
    path.write_text("this is not a PDF\n")
    with pytest.raises(ExtractError, match="laporan-palsu.pdf"):
        extract_document(path)


def test_truncated_pdf_names_the_file(tmp_path):
    build(tmp_path / "whole.pdf", g.evaluasi_spec())
    data = (tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "setengah.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        doc = extract_document(path)
    except ExtractError as exc:
        assert "setengah.pdf" in str(exc)
    else:  # a reader may recover part of a damaged file; then it must not invent pages
        assert doc.pages <= 2


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(ExtractError, match="tidak-ada.pdf"):
        extract_document(tmp_path / "tidak-ada.pdf")
