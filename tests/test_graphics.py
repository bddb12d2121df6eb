"""Graphics → rules and fills: borders drawn as thin filled bars, Word-style shading and zebra
bands, on PDFs drawn by tests/pdfgen.py with the producer's way of drawing swapped in.

Every expectation comes from what the generator drew (its Layout), never from a stored answer.
"""

from __future__ import annotations

import random

import pytest

from renjana.extract import extract_document
from renjana.extract.graphics import Fill, Segment, fill_bands, page_graphics
from renjana.extract.orientation import turn_fills, turn_segments
from renjana.extract.rulings import page_rules

import pdfgen as g

TOL = 1.0  # points: an edge as extracted vs. as drawn
BAR = 0.6  # points: the thickness of a border drawn as a filled bar
JITTER = 0.4  # points: how far each bar may stray from the cell's edge (sub-point rounding)
SHADE = (0.8, 0.92, 1.0)  # a light blue cell shading
BAND = (0.92, 0.93, 0.95)  # a light grey zebra band
HEAD = (0.78, 0.82, 0.88)  # a darker header band


class BarBuilder(g.PdfBuilder):
    """Borders as thin filled rectangles (Chromium, PDFium, Office print), each bar placed with a
    sub-point jitter, its thickness :data:`BAR`."""

    def __init__(self, *args, seed: int = 7, **kwargs):
        super().__init__(*args, **kwargs)
        self.rng = random.Random(seed)

    def _bar(self, x0: float, top: float, x1: float, bottom: float) -> None:
        j = lambda: self.rng.uniform(-JITTER, JITTER)  # noqa: E731
        c = self.canvas
        c.saveState()
        c.setFillColorRGB(0, 0, 0)
        if bottom - top < x1 - x0:  # horizontal bar centred on y = top
            y = top + j()
            c.rect(x0 + j(), self._y(y + BAR / 2), x1 - x0, BAR, stroke=0, fill=1)
        else:
            x = x0 + j()
            c.rect(x - BAR / 2, self._y(bottom + j()), BAR, bottom - top, stroke=0, fill=1)
        c.restoreState()

    def _draw_borders(self, spec, box, sides=frozenset({"top", "bottom", "left", "right"})):
        x0, top, x1, bottom = box
        self._bar(x0, top, x1, top)
        self._bar(x0, bottom, x1, bottom)
        if spec.borders == "grid":
            self._bar(x0, top, x0, bottom)
            self._bar(x1, top, x1, bottom)


class ShadedBuilder(BarBuilder):
    """Word-style shading: every cell filled, and every text line filled again, inset."""

    def _shade_cell(self, spec, box, line_boxes):
        x0, top, x1, bottom = box
        c = self.canvas
        c.saveState()
        c.setFillColorRGB(*SHADE)
        c.rect(x0, self._y(bottom), x1 - x0, bottom - top, stroke=0, fill=1)
        for line_top, line_bottom in line_boxes:
            c.rect(x0 + spec.padding, self._y(line_bottom), x1 - x0 - 2 * spec.padding,
                   line_bottom - line_top, stroke=0, fill=1)
        c.restoreState()


class ZebraBuilder(g.PdfBuilder):
    """No rules at all: the header on a darker band, every other body row on a light band, the
    rows between unshaded (white rectangles drawn as well, as some producers do)."""

    def _draw_borders(self, spec, box, sides=frozenset({"top", "bottom", "left", "right"})):
        pass

    def _band(self, x0: float, top: float, x1: float, bottom: float, color) -> None:
        c = self.canvas
        c.saveState()
        c.setFillColorRGB(*color)
        c.rect(x0, self._y(bottom), x1 - x0, bottom - top, stroke=0, fill=1)
        c.restoreState()

    def _draw_header(self, spec, piece, n_rows):
        top = self.cursor
        super()._draw_header(spec, piece, n_rows)
        self._band(spec.x0, top, spec.col_edges[-1], self.cursor, HEAD)

    def _draw_row(self, spec, piece, index, wrapped, font, **rules):
        top = self.cursor
        super()._draw_row(spec, piece, index, wrapped, font, **rules)
        color = BAND if index % 2 else (1.0, 1.0, 1.0)
        self._band(spec.x0, top, spec.col_edges[-1], self.cursor, color)


def _build(builder_cls, path, spec):
    b = builder_cls(path, footer=g.SLOGAN)
    layout = b.table(spec)
    b.save()
    return layout


def _only_table(doc):
    assert len(doc.tables) == 1, [(t.page, t.n_rows, t.n_cols) for t in doc.tables]
    return doc.tables[0]


def _row_texts(table, row):
    return [c.text for c in sorted((c for c in table.cells if c.row == row), key=lambda c: c.col)]


# --------------------------------------------------------------------------- page objects
def _rect(x0, top, x1, bottom, stroke=False, fill=True, color=(0, 0, 0)):
    return dict(x0=x0, top=top, x1=x1, bottom=bottom, stroke=stroke, fill=fill,
                non_stroking_color=color, pts=[(x0, top), (x1, top), (x1, bottom), (x0, bottom)])


def test_thin_filled_rect_is_one_centre_line():
    got = page_graphics([], [_rect(10, 100, 300, 100.7), _rect(50, 20, 50.6, 200)], [], 600, 800)
    assert got.fills == []
    assert got.segments == [Segment("h", pytest.approx(100.35), 10, 300),
                            Segment("v", pytest.approx(50.3), 20, 200)]
    horizontal, vertical = page_rules(got.segments)
    assert len(horizontal) == 1 and len(vertical) == 1


def test_stroked_rect_gives_sides_and_its_fill():
    got = page_graphics([], [_rect(10, 10, 110, 40, stroke=True, color=(0.9,))], [], 600, 800)
    assert sorted((s.orientation, s.pos) for s in got.segments) == [("h", 10), ("h", 40), ("v", 10), ("v", 110)]
    assert got.fills == [Fill(10, 10, 110, 40, (0.9, 0.9, 0.9))]


def test_white_and_page_background_fills_are_ignored():
    white = _rect(10, 10, 300, 40, color=(1, 1, 1))
    cmyk_white = _rect(10, 50, 300, 80, color=(0, 0, 0, 0))
    grey = _rect(10, 90, 300, 120, color=(0.9,))
    assert page_graphics([], [white, cmyk_white, grey], [], 600, 800).fills == [Fill(10, 90, 300, 120, (0.9, 0.9, 0.9))]
    # A page painted light yellow: that colour is the background, white is now visible.
    page = _rect(0, 0, 600, 800, color=(1, 1, 0.8))
    yellow = _rect(10, 10, 300, 40, color=(1, 1, 0.8))
    got = page_graphics([], [page, yellow, white], [], 600, 800)
    assert got.fills == [Fill(10, 10, 300, 40, (1.0, 1.0, 1.0))]


def test_lines_diagonals_and_unstroked_lines():
    lines = [dict(x0=10, top=50, x1=200, bottom=50, stroke=True, pts=[(10, 50), (200, 50)]),
             dict(x0=10, top=50, x1=200, bottom=90, stroke=True, pts=[(10, 50), (200, 90)]),
             dict(x0=10, top=60, x1=200, bottom=60, stroke=False, pts=[(10, 60), (200, 60)])]
    assert page_graphics(lines, [], [], 600, 800).segments == [Segment("h", 50, 10, 200)]


def test_cells_shaded_one_by_one_make_a_band():
    cells = [Fill(10, 10, 60, 30, SHADE), Fill(60, 10, 150, 30, SHADE), Fill(150.5, 10.2, 300, 30, SHADE)]
    assert fill_bands(cells) == [Fill(10, 10, 300, 30, SHADE)]
    apart = [Fill(12, 10, 58, 30, SHADE), Fill(62, 10, 148, 30, SHADE)]  # inset line shading
    assert len(fill_bands(apart)) == 2


def test_segments_and_fills_turn_with_the_page():
    # A quarter turn (text running up a 600 x 800 page): the page's x becomes the reader's y.
    segs = turn_segments([Segment("h", 100, 10, 300), Segment("v", 50, 20, 200)], 90, 600, 800)
    assert segs == [Segment("v", 700, 10, 300), Segment("h", 50, 600, 780)]
    assert turn_fills([Fill(10, 20, 110, 40)], 90, 600, 800) == [Fill(760, 10, 780, 110)]


# --------------------------------------------------------------------------- whole tables
@pytest.fixture(scope="module")
def stroked(tmp_path_factory):
    path = tmp_path_factory.mktemp("stroked") / "stroked.pdf"
    layout = _build(g.PdfBuilder, path, g.evaluasi_spec())
    return extract_document(path), layout


def test_bar_borders_read_as_the_stroked_grid(tmp_path, stroked):
    path = tmp_path / "bars.pdf"
    layout = _build(BarBuilder, path, g.evaluasi_spec())
    table = _only_table(extract_document(path))
    reference = _only_table(stroked[0])
    assert table.ruled
    assert table.col_edges == pytest.approx(layout.col_edges, abs=TOL)
    assert len(table.col_edges) == len(reference.col_edges)
    assert len(table.row_edges) == len(reference.row_edges)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == \
        [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in reference.cells]


def test_word_shading_adds_no_column_and_keeps_wrapped_text_in_its_row(tmp_path, stroked):
    path = tmp_path / "shaded.pdf"
    layout = _build(ShadedBuilder, path, g.evaluasi_spec())
    table = _only_table(extract_document(path))
    piece = layout.pieces[0]
    assert table.col_edges == pytest.approx(layout.col_edges, abs=TOL)
    assert table.row_edges == pytest.approx(piece.header_row_edges[:-1] + piece.body_row_edges, abs=TOL)
    reference = _only_table(stroked[0])
    assert [c.text for c in table.cells] == [c.text for c in reference.cells]
    # The first body row's uraian wraps onto two lines: both stay in the row's cell.
    first_body = len(piece.header_row_edges) - 1
    uraian = next(c for c in table.cells if c.row == first_body and c.col == 2)
    assert len(uraian.lines) == 2 and uraian.text == g.evaluasi_rows()[0][2]


@pytest.mark.parametrize("n_rows", [6, 5])  # the last row shaded / unshaded
def test_zebra_bands_bound_the_rows(tmp_path, n_rows):
    rows = g.evaluasi_rows()[:n_rows]
    spec = g.evaluasi_spec(rows=rows)
    path = tmp_path / "zebra.pdf"
    layout = _build(ZebraBuilder, path, spec)
    table = _only_table(extract_document(path))
    piece = layout.pieces[0]
    assert not table.ruled
    # Every row boundary between an unshaded and a shaded row is a row edge; an unshaded last
    # row, under the last band, is bounded by its text.
    for y in piece.body_row_edges[:-1]:
        assert any(abs(y - e) <= TOL for e in table.row_edges), (y, table.row_edges)
    assert piece.body_row_edges[-2] + g.evaluasi_spec().size < table.row_edges[-1] <= piece.body_row_edges[-1] + TOL
    first = next(c.row for c in table.cells if c.text == rows[0][1])
    body = [_row_texts(table, r) for r in range(first, table.n_rows)]
    assert len(body) == len(rows)
    assert [r[2] for r in body] == [r[2] for r in rows]
