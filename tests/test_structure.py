"""Table structure under other ways of drawing a table, one mechanism per test, on PDFs drawn by
tests/pdfgen.py: rules stopped short of their corners, a body without row rules, a table whose
rules stop at its header and whose body runs on to a page without rules, a lattice row cut open
by the page break, column numbers in parentheses, a header printed again inside a page, and
tall ruled rows.

Every expectation comes from what the generator drew (its Layout) or was given (the spec's
texts), never from a stored answer.
"""

from __future__ import annotations

import pdfplumber
import pytest

from renjana.extract import extract_document
from renjana.extract.rows import split_rows
from renjana.extract.settings import DEFAULT_SETTINGS
from renjana.extract.text_lines import group_lines
from renjana.models import PageTable
from renjana.normalize import normalize_document

import pdfgen as g

TOL = 1.0  # points: a rule's position as pdfplumber reports it vs. as drawn


def norm(text: str) -> str:
    return " ".join(text.split())


def draw(path, spec: g.TableSpec, cover: bool = False) -> g.Layout:
    b = g.PdfBuilder(path, footer=g.SLOGAN)
    if cover:
        b.cover(g.COVER)
    layout = b.table(spec)
    b.save()
    return layout


def tables_on(doc, page: int) -> list[PageTable]:
    return [t for t in doc.tables if t.page == page]


def structure(table: PageTable) -> list[tuple[int, int, int, int, str]]:
    """Every cell as (row, col, rowspan, colspan, text)."""
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells]


def body_rows(table: PageTable, body_top: float) -> list[int]:
    """Indices of the rows of ``table`` that start at or below ``body_top``."""
    return [r for r in range(table.n_rows) if table.row_edges[r] >= body_top - TOL]


def cell_lines(table: PageTable, row: int, col: int) -> list[str]:
    cell = next((c for c in table.cells if c.row == row and c.col == col), None)
    assert cell is not None, (row, col)
    assert (cell.rowspan, cell.colspan) == (1, 1), (row, col, cell.text)
    return [line.text for line in cell.lines]


def expected_rows(spec: g.TableSpec) -> list[list[str]]:
    return [[norm(c) for c in row] for row in spec.rows]


# --------------------------------------------------------------------------- 1. segmented rules
# Header cells that leave out a side their neighbour draws: a unit label beside a rowspan-2 cell,
# two unit labels, a rowspan-2 cell, a column number (header row, col, side).
MISSING_SIDES = {(1, 4, "left"), (1, 5, "left"), (0, 1, "right"), (2, 6, "right"), (2, 9, "left")}


@pytest.fixture(scope="module")
def plain_grid(tmp_path_factory):
    path = tmp_path_factory.mktemp("plain") / "plain.pdf"
    layout = draw(path, g.evaluasi_spec())
    (table,) = tables_on(extract_document(path), layout.pages[0])
    return table


# A rule whose segments each stop more than join_tolerance / 2 short of a corner has a gap there
# wider than ExtractSettings.join_tolerance (6.5 pt), which then splits the table's outer rule.

@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5,
                                  6, 7, 8])
def test_segmented_rules_give_the_plain_grid(tmp_path, plain_grid, seed):
    """Every cell side its own segment, each stopped a random 0.5-3 pt short of its corners,
    some header verticals drawn by one neighbour only: the same columns, rows and spans as the
    plain grid. (Seed 5 puts a gap wider than 4 pt into the table's top rule.)"""
    check_segmented(tmp_path, plain_grid, g.evaluasi_spec(borders="segmented", seed=seed,
                                                          missing_sides=set(MISSING_SIDES)))


@pytest.mark.parametrize("short", [0.5, 1.0, 1.75, 2.0, 2.5, 3.0])
def test_segments_stopped_short_by_a_fixed_amount(tmp_path, plain_grid, short):
    """Every segment stopped ``short`` pt short of both its corners: corner gaps of 2 x short."""
    check_segmented(tmp_path, plain_grid, g.evaluasi_spec(borders="segmented", segment_short=(short, short),
                                                          missing_sides=set(MISSING_SIDES)))


def check_segmented(tmp_path, plain_grid: PageTable, spec: g.TableSpec) -> None:
    layout = draw(tmp_path / "segmented.pdf", spec)
    tables = tables_on(extract_document(tmp_path / "segmented.pdf"), layout.pages[0])
    assert len(tables) == 1, [(t.bbox, t.n_rows, t.n_cols) for t in tables]
    (table,) = tables
    piece = layout.pieces[0]
    assert table.ruled
    assert table.col_edges == pytest.approx(layout.col_edges, abs=TOL)
    assert table.row_edges == pytest.approx(piece.header_row_edges + piece.body_row_edges[1:], abs=TOL)
    assert table.col_edges == pytest.approx(plain_grid.col_edges, abs=TOL)
    assert table.row_edges == pytest.approx(plain_grid.row_edges, abs=TOL)
    assert structure(table) == structure(plain_grid)


# --------------------------------------------------------------------------- 2. no row rules
def _ev(no="", kode="", uraian="", indikator="", tk="", trp="", rk="", rrp="", ck="", crp=""):
    return [no, kode, uraian, indikator, tk, trp, rk, rrp, ck, crp, ""]


# Uraian wraps over 2-4 lines in its 110 pt column; an indicator row without a kode.
WRAPPED = [
    _ev("1", "2.17.03", "PROGRAM PENGUATAN KELEMBAGAAN KOPERASI DAN USAHA MIKRO", "Jumlah koperasi sehat",
        "29 Orang", "1.234.567,89", "20 Orang", "987.654,00", "68,97", "80,00"),
    _ev("", "2.17.03.2.01", "Penilaian Kesehatan Koperasi Simpan Pinjam dan Unit Simpan Pinjam Koperasi "
        "yang Wilayah Keanggotaannya dalam Daerah Kabupaten", "Koperasi yang dinilai", "14 bulan",
        "456.000.000,00", "7 bulan", "228.000.000,00", "50,00", "50,00"),
    _ev("", "2.17.03.2.01.06", "Pendampingan Tata Kelola Koperasi Produsen Susu Sapi Perah",
        "Koperasi didampingi", "12 Unit", "250.000.000,00", "6 Unit", "125.000.000,00", "50,00", "50,00"),
    _ev(indikator="Laporan pendampingan", tk="2 Dokumen", rk="1 Dokumen", ck="50,00", crp="40,00"),
    _ev("", "2.17.03.2.01.07", "Klinik Konsultasi Usaha Mikro Keliling di Desa Terpencil dan Daerah "
        "Perbatasan Kabupaten Contoh Bagian Selatan", "Pelaku usaha terlayani", "100 %", "206.000.000,00",
        "48.88 %", "103.000.000,00", "48,88", "50,00"),
    _ev("2", "2.17.04", "PROGRAM PEMBERDAYAAN USAHA MIKRO", "Usaha mikro naik kelas", "40 Unit",
        "4.000.000,00", "22 Unit", "2.000.000,00", "55,00", "50,00"),
]
WRAPPED_WIDTHS = [18, 64, 110, 96, 36, 62, 36, 62, 34, 34, 40]


def wrapped_spec(**extra) -> g.TableSpec:
    """The evaluasi table with wrapped uraian, drawn with rules around the header and under the
    last row only (``extra`` overrides any field)."""
    fields = dict(widths=list(WRAPPED_WIDTHS), header=g.evaluasi_header(), rows=[list(r) for r in WRAPPED],
                  caption=g.EVALUASI_CAPTION, align=list(g.EVALUASI_ALIGN), borders="header")
    fields.update(extra)
    return g.TableSpec(**fields)


# Vertical cell padding (points): 2 pt leaves a gap between rows; 0.4 pt leaves rows only
# 0.8 pt further apart than wrapped lines, less than the row-gap ratio of a wrap.
PADDINGS = pytest.mark.parametrize("padding", [2.0, 0.4], ids=["padding-2pt", "tight-padding"])


@PADDINGS
def test_body_without_row_rules_keeps_its_rows(tmp_path, padding):
    """Rules above and below the header and under the last row only: the body's rows come from
    its text (a gap wider than a wrap; with a tight padding, the kode anchor or a whole number
    in a column that already holds one), each with all its wrapped lines."""
    spec = wrapped_spec(padding_y=padding)
    layout = draw(tmp_path / "norowrules.pdf", spec)
    (piece,) = layout.pieces
    counts = {len(d.lines) for d in piece.body if d.col == 2 and d.lines}
    assert counts >= {2, 3, 4}, counts  # uraian wraps over 2-4 lines
    line_pitch = spec.size * spec.leading
    if padding < 1:  # rows sit within the row-gap ratio of a wrap: the gap proves nothing
        assert line_pitch + 2 * padding < DEFAULT_SETTINGS.row_gap_ratio * line_pitch
    (table,) = tables_on(extract_document(tmp_path / "norowrules.pdf"), layout.pages[0])
    assert not table.ruled
    assert table.n_cols == spec.n_cols
    rows = body_rows(table, piece.body_row_edges[0])
    assert len(rows) == len(spec.rows)
    for drawn in piece.body:
        assert cell_lines(table, rows[drawn.row], drawn.col) == drawn.lines, (drawn.row, drawn.col)


@PADDINGS
def test_row_evidence_without_row_rules(tmp_path, padding):
    """What split the body: the gap between rows when the padding leaves one; with a tight
    padding, the kode anchor and whole numbers, never a gap."""
    spec = wrapped_spec(padding_y=padding)
    layout = draw(tmp_path / "evidence.pdf", spec)
    (piece,) = layout.pieces
    with pdfplumber.open(tmp_path / "evidence.pdf") as pdf:
        chars = [c for c in pdf.pages[piece.page - 1].chars
                 if piece.body_row_edges[0] < (c["top"] + c["bottom"]) / 2 < piece.body_row_edges[-1]]
    split = split_rows(group_lines(chars), layout.col_edges)
    assert [len(lines) for lines in split.rows] == [
        max(len(d.lines) for d in piece.body if d.row == r) for r in range(len(spec.rows))]
    if padding < 1:
        assert set(split.evidence) == {"anchor", "number"}
    else:
        assert set(split.evidence) == {"gap"}


@PADDINGS
def test_body_without_row_rules_normalized(tmp_path, padding):
    draw(tmp_path / "norowrules.pdf", wrapped_spec(padding_y=padding))
    (table,) = normalize_document(extract_document(tmp_path / "norowrules.pdf")).tables
    assert [r.cells for r in table.rows] == expected_rows(wrapped_spec())


# --------------------------------------------------------------------------- 3. rules stop at the header
def long_body(n: int) -> list[list[str]]:
    """``n`` sub kegiatan rows under one program, each with a wrapped uraian."""
    rows = [_ev("1", "2.17.03", "PROGRAM PENGUATAN KELEMBAGAAN KOPERASI", "Jumlah koperasi sehat", "29 Orang",
                "1.234.567,89", "20 Orang", "987.654,00", "68,97", "80,00")]
    for i in range(1, n):
        rows.append(_ev("", f"2.17.03.2.01.{i:02d}", f"Pendampingan Tata Kelola Koperasi Produsen Wilayah {i}",
                        "Koperasi didampingi", f"{i + 2} Unit", f"{i * 5}.000.000,00", f"{i} Unit",
                        f"{i * 2}.500.000,00", "50,00", "50,00"))
    return rows


@pytest.mark.parametrize("n_rows, natural_break, n_pages", [(40, True, 2), (12, False, 2), (90, True, 4)],
                         ids=["page-full", "forced-break", "four-pages"])
def test_headerless_continuation_is_one_table(tmp_path, n_rows, natural_break, n_pages):
    """Page 1: rules above and below the header, none in the body; later pages: the rest of the
    body without header or rules, a rule under the very last row only. One table, every row
    once; the footer and page number are not rows."""
    spec = wrapped_spec(rows=long_body(n_rows), repeat_header=False,
                        page_breaks={} if natural_break else {7: 0})
    layout = draw(tmp_path / "headerrules.pdf", spec, cover=True)
    assert len(layout.pages) == n_pages
    if natural_break:  # the body runs down to the page's bottom margin, close above the footer
        assert layout.pieces[0].bottom > g.PAGE[1] - g.MARGIN_BOTTOM - 20
    doc = extract_document(tmp_path / "headerrules.pdf")
    (table,) = normalize_document(doc).tables
    assert table.pages == layout.pages
    assert [r.cells for r in table.rows] == expected_rows(spec)
    for page in layout.pages:  # the footer stays page text
        footer_words = set(g.SLOGAN.split())
        assert not any(footer_words & set(c.split()) for r in table.rows for c in r.cells)
        text = " ".join(line.text for p in doc.text if p.page == page for line in p.lines)
        assert g.SLOGAN in text and f"II-{page}" in text


# --------------------------------------------------------------------------- 4. lattice row cut open
CUT_ROWS = [
    _ev("1", "2.17.03", "PROGRAM PENGUATAN KELEMBAGAAN KOPERASI", "Jumlah koperasi sehat", "29 Orang",
        "1.234.567,89", "20 Orang", "987.654,00", "68,97", "80,00"),
    _ev("", "2.17.03.2.01", "Penilaian Kesehatan Koperasi Simpan Pinjam dan Unit Simpan Pinjam",
        "Koperasi yang dinilai tepat waktu", "14 bulan", "456.000.000,00", "7 bulan", "228.000.000,00",
        "50,00", "50,00"),
    _ev("", "2.17.03.2.01.06", "Pendampingan Tata Kelola Koperasi Produsen", "Koperasi didampingi", "12 Unit",
        "250.000.000,00", "6 Unit", "125.000.000,00", "50,00", "50,00"),
    _ev("", "", "JUMLAH", "", "", "1.940.567,89", "", "353.987.654,00", "", "80,00"),
]


@pytest.mark.parametrize("repeat_header", [False, True], ids=["no-header-repeated", "header-repeated"])
def test_lattice_row_cut_without_a_rule_at_the_break(tmp_path, repeat_header):
    """The page break cuts a lattice row after its first line and draws no rule there: the
    verticals run to the break, the row goes on at the top of the next page without a top rule."""
    spec = g.TableSpec(widths=list(WRAPPED_WIDTHS), header=g.evaluasi_header(), rows=[list(r) for r in CUT_ROWS],
                       caption=g.EVALUASI_CAPTION, align=list(g.EVALUASI_ALIGN), page_breaks={1: 1},
                       open_break=True, repeat_header=repeat_header)
    layout = draw(tmp_path / "cutopen.pdf", spec)
    assert len(layout.pages) == 2
    head = [d for d in layout.pieces[0].body if d.row == 1 and d.lines]
    tail = [d for d in layout.pieces[1].body if d.row == 1 and d.lines]
    assert head and tail  # the row really is cut
    with pdfplumber.open(tmp_path / "cutopen.pdf") as pdf:  # and no rule is drawn at the break
        for piece, y in ((layout.pieces[0], layout.pieces[0].bottom), (layout.pieces[1], layout.pieces[1].top)):
            page = pdf.pages[piece.page - 1]
            at = [e for e in page.edges if e["orientation"] == "h" and abs(e["top"] - y) < TOL]
            assert bool(at) == (repeat_header and piece is layout.pieces[1])  # a repeated header's rule
            assert any(e["orientation"] == "v" and min(abs(e["top"] - y), abs(e["bottom"] - y)) < TOL
                       for e in page.edges)  # verticals run to the break
    doc = extract_document(tmp_path / "cutopen.pdf")
    first, second = (tables_on(doc, p) for p in layout.pages)
    assert len(first) == len(second) == 1
    # Each piece reaches the break: the cut row is a row of its own on both pages.
    assert first[0].bbox.bottom == pytest.approx(layout.pieces[0].bottom, abs=TOL)
    assert second[0].bbox.top == pytest.approx(layout.pieces[1].top, abs=TOL)
    (table,) = normalize_document(doc).tables
    assert table.pages == layout.pages
    assert [r.cells for r in table.rows] == expected_rows(spec)


# --------------------------------------------------------------------------- 5. number rows, repeated header
PAREN_NUMBERS = " ".join(f"({i})" for i in range(1, 12))


def paren_spec(borders: str, numbers: str = PAREN_NUMBERS) -> g.TableSpec:
    return wrapped_spec(header=g.evaluasi_header(numbers), rows=[list(r) for r in CUT_ROWS], borders=borders)


@pytest.mark.parametrize("borders", ["grid", "rules", "header"])
def test_column_numbers_in_parentheses_are_not_body_rows(tmp_path, borders):
    spec = paren_spec(borders)
    draw(tmp_path / "paren.pdf", spec)
    (table,) = normalize_document(extract_document(tmp_path / "paren.pdf")).tables
    assert [r.cells for r in table.rows] == expected_rows(spec)


@pytest.mark.parametrize("numbers", [PAREN_NUMBERS, "1 2 3 4 5 6 7 8 9 10 11"], ids=["parentheses", "bare"])
@pytest.mark.parametrize("borders", ["grid", "rules",
                                     "header"])
def test_column_numbers_are_the_number_row(tmp_path, borders, numbers):
    """The column numbers are the header's number row, one per leaf column, whether printed
    bare or in parentheses; the header rows above keep their own spans."""
    spec = paren_spec(borders, numbers)
    layout = draw(tmp_path / "numbers.pdf", spec)
    doc = extract_document(tmp_path / "numbers.pdf")
    (page_table,) = tables_on(doc, layout.pages[0])
    number_row = len(spec.header) - 1
    drawn = [(d.row, d.col, d.rowspan, d.colspan) for d in layout.pieces[0].header if d.lines]
    found = [(c.row, c.col, c.rowspan, c.colspan) for c in page_table.cells if c.row <= number_row and c.lines]
    if borders != "header":
        # Without rules inside the header, how far down a label spans is not drawn anywhere: the
        # header's rows are cut at its unit and number lines only (columns and numbers below).
        assert found == drawn
    (table,) = normalize_document(doc).tables
    assert table.column_numbers == numbers.split()


@pytest.mark.parametrize("borders", ["grid", "segmented", "rules"])
def test_header_repeated_inside_a_page_is_not_rows(tmp_path, borders):
    """A second copy of the header rows in the middle of a page's piece."""
    spec = wrapped_spec(rows=[list(r) for r in CUT_ROWS], borders=borders, header_again={2})
    layout = draw(tmp_path / "again.pdf", spec)
    (piece,) = layout.pieces
    assert list(piece.inner_headers) == [2]  # the generator printed the copy inside the body
    (table,) = normalize_document(extract_document(tmp_path / "again.pdf")).tables
    assert [r.cells for r in table.rows] == expected_rows(spec)


# --------------------------------------------------------------------------- 6. tall ruled rows
TALL_URAIAN = "\n".join(["Pendampingan Tata Kelola", "Koperasi Produsen Susu", "Sapi Perah di Wilayah",
                         "Kecamatan Sukamaju dan", "Kecamatan Sukamakmur", "Kabupaten Contoh"])
TALL_ROWS = [
    _ev("1", "2.17.03", "PROGRAM PENGUATAN KELEMBAGAAN KOPERASI", "Jumlah koperasi sehat", "29", "1.234.567,89",
        "20", "987.654,00", "68,97", "80,00"),
    _ev("", "2.17.03.2.01.06", TALL_URAIAN, "Koperasi didampingi", "12", "250.000.000,00", "6",
        "125.000.000,00", "50", "50"),
    _ev("2", "2.17.04", "PROGRAM PEMBERDAYAAN USAHA MIKRO", "Usaha mikro naik kelas", "40", "4.000.000,00",
        "22", "2.000.000,00", "55", "50"),
    _ev("", "2.17.04.2.02.03", TALL_URAIAN, "Produk bersertifikat halal", "30", "1.500.000,00", "15",
        "750.000,00", "50", "50"),
]
VALIGNS = {
    "others-centred": ["middle"] * 11,
    "others-top": ["top"] * 11,
    # Numbers on top and words centred: the row's first printed line holds numbers only.
    "numbers-top-words-centred": ["top", "middle", "top", "middle", "top", "top", "top", "top", "top", "top",
                                  "middle"],
}


@pytest.mark.parametrize("valign", sorted(VALIGNS))
@pytest.mark.parametrize("borders", ["grid", "segmented", "rules"])
@pytest.mark.parametrize("n_rows", [4, 2, 1])
def test_tall_ruled_rows_are_rows_as_drawn(tmp_path, borders, valign, n_rows):
    """One cell of six lines in a ruled row, the others centred or top-aligned: no text split
    divides the ruled row (also where the piece has too few rows to count as ruled)."""
    picked = TALL_ROWS[1:2] if n_rows == 1 else TALL_ROWS[:n_rows]  # the tall row at least
    spec = wrapped_spec(rows=[list(r) for r in picked], borders=borders, valign=VALIGNS[valign])
    layout = draw(tmp_path / "tall.pdf", spec)
    assert max(len(d.lines) for d in layout.pieces[0].body) == 6
    check_rows_as_drawn(tmp_path / "tall.pdf", layout)


# Rows of two lines (uraian) whose other cells are one line, vertically centred: the only line
# pitches in the body are half a line.
CENTRED_ROWS = [
    _ev("", "2.17.03.2.01", "Penilaian Kesehatan Koperasi Simpan Pinjam", "Koperasi yang dinilai", "14 bulan",
        "456.000.000,00", "7 bulan", "228.000.000,00", "50,00", "50,00"),
    _ev("", "2.17.03.2.01.06", "Pendampingan Tata Kelola Koperasi Produsen", "Koperasi didampingi", "12 Unit",
        "250.000.000,00", "6 Unit", "125.000.000,00", "50,00", "50,00"),
    _ev("", "2.17.03.2.01.07", "Klinik Konsultasi Usaha Mikro Keliling", "Pelaku usaha terlayani", "100 %",
        "206.000.000,00", "48.88 %", "103.000.000,00", "48,88", "50,00"),
]


@pytest.mark.parametrize("borders, n_rows", [("grid", 1), ("grid", 2), ("rules", 3), ("rules", 1), ("rules", 2)])
def test_centred_cells_beside_a_wrapped_cell_stay_in_their_ruled_row(tmp_path, borders, n_rows):
    spec = wrapped_spec(rows=[list(r) for r in CENTRED_ROWS[:n_rows]], borders=borders, valign=["middle"] * 11)
    layout = draw(tmp_path / "centred.pdf", spec)
    check_rows_as_drawn(tmp_path / "centred.pdf", layout)


def check_rows_as_drawn(path, layout: g.Layout) -> None:
    (piece,) = layout.pieces
    (table,) = tables_on(extract_document(path), layout.pages[0])
    rows = body_rows(table, piece.body_row_edges[0])
    assert [table.row_edges[r] for r in rows] == pytest.approx(piece.body_row_edges[:-1], abs=TOL)
    for drawn in piece.body:
        assert cell_lines(table, rows[drawn.row], drawn.col) == drawn.lines, (drawn.row, drawn.col)


# --------------------------------------------------------------------------- a kode line is not a caption
@pytest.mark.parametrize("borders", ["grid", "header",
                                     "rules"])
def test_bidang_row_is_a_row_not_a_caption(tmp_path, borders):
    """A bidang row prints a two-segment kode and a title-case name: a table row, not a
    section heading."""
    rows = [_ev(kode="2", uraian="URUSAN PEMERINTAHAN PILIHAN"), _ev(kode="2.17", uraian="Bidang Koperasi dan Usaha Mikro")]
    spec = wrapped_spec(rows=rows + [list(r) for r in CUT_ROWS], borders=borders)
    draw(tmp_path / "bidang.pdf", spec)
    doc = extract_document(tmp_path / "bidang.pdf")
    assert len(doc.tables) == 1
    (table,) = normalize_document(doc).tables
    assert [r.cells for r in table.rows] == expected_rows(spec)


# --------------------------------------------------------------------------- formula number row
@pytest.mark.parametrize("borders", ["rules", "header"])
def test_rules_only_columns_from_a_number_row_with_formulas(tmp_path, borders):
    """Column numbers printed with their formulas (``9 = 7/5 x 100%``, wrapped in a narrow cell)
    still number every column: the K | Rp columns of a table without verticals come out as
    drawn, and a group label centred over them is no column of its own."""
    header = g.evaluasi_header()
    header[2] = ["1", "2", "3", "4", "5", "6", "7", "8", "9 = 7/5 x 100%", "10 = 8/6 x 100%", "11"]
    spec = wrapped_spec(header=header, rows=[list(r) for r in CUT_ROWS], borders=borders)
    layout = draw(tmp_path / "formulas.pdf", spec)
    doc = extract_document(tmp_path / "formulas.pdf")
    (table,) = tables_on(doc, layout.pages[0])
    assert table.n_cols == len(spec.widths)
    assert table.col_edges == pytest.approx(layout.col_edges, abs=6.0)


def test_group_label_over_unequal_sub_columns_spans_them(tmp_path):
    """A short group label centred over a narrow K and a wide Rp column sits inside the Rp
    column without crossing the edge between them: it still names both sub-columns."""
    header = [[g.H("No", rowspan=2), g.H("Kode", rowspan=2), g.H("Uraian", rowspan=2),
               g.H("Indikator", rowspan=2), g.H("Target", colspan=2), g.H("Realisasi", colspan=2),
               g.H("Capaian", colspan=2), g.H("Ket", rowspan=2)],
              ["K", "Rp", "K", "Rp", "K", "Rp"],
              [str(i) for i in range(1, 12)]]
    widths = [18, 56, 120, 104, 34, 100, 34, 100, 40, 40, 56]
    spec = wrapped_spec(header=header, rows=[list(r) for r in CUT_ROWS], borders="rules", widths=widths)
    draw(tmp_path / "groups.pdf", spec)
    (table,) = normalize_document(extract_document(tmp_path / "groups.pdf")).tables
    keys = [c.key for c in table.columns]
    assert keys[4:8] == ["target_k", "target_rp", "realisasi_k", "realisasi_rp"], keys


@pytest.mark.parametrize("group", ["PAGU INDIKATIF", "PAGU BELANJA LANGSUNG TAHUN BERJALAN"])
def test_group_labels_in_a_header_band_without_inner_rules(tmp_path, group):
    """A header drawn as one band (a rule above, one below): a group label over two sub-group
    labels over four leaf labels, no rule between the levels. Each level is a header row of its
    own within the group's columns; the columns beside the group keep their labels whole."""
    header = [[g.H("Kode", rowspan=3), g.H("Uraian", rowspan=3), g.H("Indikator", rowspan=3),
               g.H(group, colspan=4), g.H("Keterangan", rowspan=3)],
              [g.H("SEBELUM PERUBAHAN", colspan=2), g.H("SETELAH PERUBAHAN", colspan=2)],
              ["TARGET", "PAGU (Rp)", "TARGET", "PAGU (Rp)"],
              [str(i) for i in range(1, 9)]]
    rows = [["1.01", "Program A", "Dokumen", "3 dok", "1.000.000", "4 dok", "1.500.000", ""],
            ["1.01.01", "Kegiatan B", "Laporan", "2 lap", "500.000", "2 lap", "700.000", ""]]
    spec = g.TableSpec(widths=[50, 120, 110, 50, 80, 50, 80, 70], header=header, rows=rows, borders="header")
    layout = draw(tmp_path / "band.pdf", spec)
    (table,) = tables_on(extract_document(tmp_path / "band.pdf"), layout.pages[0])
    cells = {" ".join(norm(line.text) for line in c.lines): (c.row, c.col, c.rowspan, c.colspan)
             for c in table.cells}
    assert cells[norm(group)][1:] == (3, 1, 4)
    top = cells[norm(group)][0]
    assert cells[norm("SEBELUM PERUBAHAN")] == (top + 1, 3, 1, 2)
    assert cells[norm("SETELAH PERUBAHAN")] == (top + 1, 5, 1, 2)
    assert cells["Uraian"][2] >= 3  # beside the group: one label over all its rows
    keys = [c.key for c in normalize_document(extract_document(tmp_path / "band.pdf")).tables[0].columns]
    assert len(set(keys)) == len(keys), keys


def test_a_unit_row_may_share_its_line_with_a_wrapped_label():
    """'KEGIATAN K Rp K Rp K Rp': the end of a label wrapped in a left column, then the unit
    labels of the groups: a header row of units all the same. A label line is not."""
    from renjana.extract import _ends_in_units
    assert _ends_in_units("KEGIATAN K Rp K Rp K Rp", 3)
    assert _ends_in_units("SUB KEGIATAN K Rp % K Rp", 3)
    assert not _ends_in_units("K Rp K Rp", 3)  # a plain unit row: the other test reads it
    assert not _ends_in_units("URAIAN PROGRAM KEGIATAN TARGET K Rp K", 3)
    assert not _ends_in_units("Jumlah Dokumen", 3)


class _UnderRulesBuilder(g.PdfBuilder):
    """Body rows ruled underneath only: a continuation page's first row has no rule above it."""

    def _draw_row(self, spec, piece, index, wrapped, font, top_rule=True, bottom_rule=True, closing=False):
        super()._draw_row(spec, piece, index, wrapped, font, top_rule=False, bottom_rule=bottom_rule,
                          closing=closing)


def test_continuation_row_without_a_rule_above_is_kept(tmp_path):
    """A rules-only table whose rows are ruled underneath only, continued on the next page
    without its header: the first row there is printed with no rule above it and is kept."""
    rows = [list(r) for r in CUT_ROWS]
    spec = wrapped_spec(rows=rows, borders="rules", repeat_header=False, page_breaks={2: 0})
    b = _UnderRulesBuilder(tmp_path / "under.pdf", footer=g.SLOGAN)
    b.cover(g.COVER)
    b.table(spec)
    b.save()
    (table,) = normalize_document(extract_document(tmp_path / "under.pdf")).tables
    assert [r.cells[1] for r in table.rows] == [r[1] for r in rows]
