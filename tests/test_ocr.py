"""OCR of scanned pages and the text-layer health check, on PDFs the tests draw themselves.

A "scan" here is a table drawn with ReportLab, rendered to a bitmap with pypdfium2 and wrapped
in a PDF of its own (no text layer), optionally with an invisible (render mode 3), wrong text
layer over the image, as scanner software adds. The OCR tests are skipped with a message when
Tesseract is not installed (``bash scripts/test.sh`` installs it as root with apt).
"""

from __future__ import annotations

import io

import pytest

import pdfgen as g
from renjana.extract import extract_document
from renjana.extract.ocr import ocr_missing
from renjana.extract.ocr.numbers import is_valid, repair
from renjana.extract.textlayer import INVISIBLE_REASON, UNREADABLE_REASON

needs_ocr = pytest.mark.skipif(ocr_missing() is not None, reason=f"{ocr_missing()}")

ROWS = [
    ["1", "1.03.01", "Program Penunjang Urusan", "2.484.150.000,00", "65,20"],
    ["2", "1.03.01.2.01", "Penyusunan Dokumen Perencanaan", "345.188.196,00", "100,00"],
    ["3", "1.03.01.2.02", "Penyediaan Jasa Kebersihan", "1.554.844.409,00", "7,25"],
]


def _spec() -> g.TableSpec:
    return g.TableSpec(widths=[30, 80, 200, 120, 70], size=10.0,
                       header=[["No", "Kode", "Program / Kegiatan", "Pagu (Rp)", "Capaian (%)"]],
                       rows=[list(r) for r in ROWS], caption="Tabel 3.1 Rencana Program")


def _scan(tmp_path, invisible: str | None = None, dpi: int = 200, title: list[str] = (),
          title_size: float = 20.0, skew: float = 0.0):
    """Draw the table, render its page at ``dpi`` and wrap the bitmap in a new PDF (one page of
    the drawn size); ``invisible``: a wrong text layer drawn invisibly over the image;
    ``title``: lines centred above the table in ``title_size`` pt bold; ``skew``: the bitmap
    turned by this many degrees (a page fed askew)."""
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    drawn = tmp_path / "drawn.pdf"
    b = g.PdfBuilder(drawn, footer=None)
    if title:
        _draw_title(b, title, title_size)
    b.table(_spec(), new_page=not title)
    b.save()
    pdf = pdfium.PdfDocument(str(drawn))
    page = pdf[0]
    width, height = page.get_size()
    image = page.render(scale=dpi / 72).to_pil().convert("L")
    pdf.close()
    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    buf.seek(0)
    out = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(out), pagesize=(width, height))
    c.drawImage(ImageReader(buf), 0, 0, width=width, height=height)
    if invisible:
        text = c.beginText(60, height - 80)
        text.setTextRenderMode(3)
        text.setFont("Helvetica", 10)
        for _ in range(30):
            text.textLine(invisible)
        c.drawText(text)
    c.showPage()
    c.save()
    return out


def _draw_title(b: g.PdfBuilder, lines: list[str], size: float) -> None:
    """``lines`` centred in bold at the top of ``b``'s page, the cursor left below them."""
    b.new_page()
    for text in lines:
        b.canvas.setFont("Helvetica-Bold", size)
        b.canvas.drawCentredString(b.width / 2, b._y(b.cursor + size), text)
        b.cursor += size * 1.3
    b.cursor += size
    b.dirty = True


# --------------------------------------------------------------------------- number grammar
@pytest.mark.parametrize("reading, fixed", [
    ("46.43", "46,43"),  # a decimal comma read as a dot: the only valid single edit
    ("9.175.511.065.00", "9.175.511.065,00"),
    ("|.554.844.409", "1.554.844.409"),  # a 1 read as a bar
    ("194.065.800;00", "194.065.800,00"),
])
def test_grammar_repairs_a_reading_one_edit_from_valid(reading, fixed):
    text, note = repair(reading)
    assert text == fixed and note and reading in note


@pytest.mark.parametrize("reading", ["1.234,56", "0,00", "100 %", "-", "2021", "12;5", "Unit", "0 -"])
def test_grammar_leaves_valid_or_ambiguous_readings(reading):
    assert repair(reading) == (reading, None)


def test_grammar_groups_thousands_by_three():
    assert is_valid("1.234.567,89") and is_valid("(1.234)") and is_valid("12,5 %")
    assert not is_valid("12.34") and not is_valid("1234.567") and not is_valid("194.065,8000")


# --------------------------------------------------------------------------- reading a scan
@needs_ocr
def test_scanned_table_is_read_into_the_born_digital_models(tmp_path):
    doc = extract_document(_scan(tmp_path))
    assert [(u.page, u.status) for u in doc.unread_pages] == [(1, "ocr")]
    assert any("read by OCR" in note for note in doc.notes)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert (table.n_rows, table.n_cols) == (4, 5)
    texts = [[c.text for c in table.cells if c.row == r] for r in range(table.n_rows)]
    assert texts[1:] == ROWS
    assert texts[0][:2] == ["No", "Kode"]
    # Boxes in PDF points where the table was drawn (left margin of the drawing, column widths).
    spec = _spec()
    assert table.col_edges == pytest.approx(spec.col_edges, abs=2.0)
    lines = [line for cell in table.cells for line in cell.lines]
    assert all(line.source == "ocr" and 0 < line.confidence <= 1 for line in lines)
    # The caption above the table was read too, as page text.
    assert table.caption.startswith("Tabel 3.1")


@needs_ocr
def test_scanned_numbers_parse_downstream(tmp_path):
    from renjana.normalize import normalize_document

    doc = normalize_document(extract_document(_scan(tmp_path)))
    table = doc.tables[0]
    money = next(c.key for c in table.columns if c.type == "money")
    values = [str(row.values[money].number) for row in table.rows if money in row.values]
    assert values == ["2484150000.00", "345188196.00", "1554844409.00"]
    assert all(src.source == "ocr" for row in table.rows for src in row.sources if src.lines)


TITLE = ["RENCANA KERJA (RENJA)", "DINAS KESEHATAN KABUPATEN BANYUWANGI", "TAHUN 2024"]


@needs_ocr
@pytest.mark.parametrize("size, lines, skew", [
    (20.0, TITLE, 0.0),
    (28.0, ["RENCANA KERJA (RENJA)", "DINAS KESEHATAN", "KABUPATEN BANYUWANGI", "TAHUN 2024"], 0.7),
    (14.0, [" ".join(TITLE)], 0.0),
])
def test_large_bold_title_of_a_scan_gives_the_metadata(tmp_path, size, lines, skew):
    """The stems of large capitals are straight runs as long as a table's rules, and their
    words lie further apart than body text's: the title is read whole all the same, and the
    document's region, year and dinas come from it."""
    from renjana.normalize import normalize_document

    doc = extract_document(_scan(tmp_path, title=lines, title_size=size, skew=skew))
    assert [line.text for line in doc.text[0].lines][:len(lines)] == lines
    meta = normalize_document(doc).document
    assert (meta.region, meta.year, meta.dinas) == ("Kabupaten Banyuwangi", 2024, "Dinas Kesehatan")
    # The table under the title is read as before.
    assert [[c.text for c in doc.tables[0].cells if c.row == r] for r in (1, 2, 3)] == ROWS


def test_text_lines_are_found_from_the_ink_at_any_size(tmp_path):
    """A 36 pt title is one line (its word gaps are wider than a small line's); tightly set
    10 pt lines stay apart, each keeping its own i and j dots; a page number beside a heading
    is a line of its own."""
    pytest.importorskip("cv2")
    from reportlab.pdfgen import canvas

    from renjana.extract.ocr.image import binarise, render_page
    from renjana.extract.ocr.layout import find_lines
    from renjana.extract.ocr.settings import DEFAULT_OCR_SETTINGS as settings

    path = tmp_path / "lines.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    drawn = [(36.0, 80.0, "KAB. BANYUWANGI")]  # (size, baseline from the top, text)
    for k in range(4):  # set solid: the dots of one line reach the descenders of the line above
        drawn.append((10.0, 130.0 + 10.5 * k, "kebijakan pejabat menjadi bijak di tiji jiji fiji"))
    c.setFont("Helvetica-Bold", 36)
    c.drawCentredString(297, 842 - 80, drawn[0][2])
    c.setFont("Helvetica", 10)
    for size, base, text in drawn[1:]:
        c.drawString(60, 842 - base, text)
    c.drawRightString(535, 842 - drawn[-1][1], "12")
    c.showPage()
    c.save()
    _, lines = find_lines(binarise(render_page(str(path), 0, settings)), settings)
    assert len(lines) == len(drawn) + 1
    for line, (size, base, _) in zip(lines, drawn):
        top, bottom = settings.pt(line.top), settings.pt(line.bottom)
        assert base - size <= top and bottom <= base + 0.3 * size
    number = lines[-1]
    assert settings.pt(number.x0) > 500 and settings.pt(number.top) > drawn[-1][1] - 10


@needs_ocr
def test_invisible_wrong_text_layer_over_a_scan_is_ocrd(tmp_path):
    doc = extract_document(_scan(tmp_path, invisible="CKDIEKHF AKAAA lorem ipsum"))
    assert [(u.page, u.status) for u in doc.unread_pages] == [(1, "ocr")]
    assert INVISIBLE_REASON in doc.unread_pages[0].reason
    cells = [c.text for t in doc.tables for c in t.cells]
    assert "1.554.844.409,00" in cells and not any("lorem" in c for c in cells)


def test_without_ocr_a_scan_is_noted_not_read(tmp_path, monkeypatch):
    import renjana.extract.ocr as ocr

    monkeypatch.setattr(ocr, "ocr_missing", lambda: ocr.INSTALL_HINT + "; missing: tesserocr")
    doc = extract_document(_scan(tmp_path))
    assert not doc.tables
    assert [(u.page, u.status) for u in doc.unread_pages] == [(1, "needs-ocr")]
    assert any("needs OCR" in n and "install tesseract-ocr" in n for n in doc.notes)


def test_ocr_off_leaves_an_invisible_layer_unread(tmp_path):
    doc = extract_document(_scan(tmp_path, invisible="lorem ipsum"), ocr=False)
    assert not doc.tables
    assert [(u.page, u.status) for u in doc.unread_pages] == [(1, "needs-ocr")]


# --------------------------------------------------------------------------- text-layer health
def _garbled_pdf(tmp_path):
    """A page whose text is drawn in a Type3 font without a Unicode map: glyph names (/g1 …)
    that stand for nothing a reader can map, as a producer that embeds digits as drawings does."""
    glyphs = b"/CharProcs << /g1 6 0 R /g2 6 0 R >> /Encoding << /Type /Encoding /Differences [65 /g1 /g2] >>"
    lines = b"".join(b"BT /F1 9 Tf 50 %d Td (ABABBA BAAB ABBA) Tj ET\n" % (800 - 14 * i) for i in range(30))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(lines) + lines + b"endstream",
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 600 700] /FontMatrix [0.001 0 0 0.001 0 0] "
        + glyphs + b" /FirstChar 65 /LastChar 66 /Widths [600 600] >>",
        b"<< /Length 40 >>\nstream\n600 0 0 0 500 700 d1 50 0 400 700 re f\nendstream",
    ]
    return g.write_raw_pdf(tmp_path / "garbled.pdf", objects)


def test_unmapped_font_page_is_unreadable_without_ocr(tmp_path):
    doc = extract_document(_garbled_pdf(tmp_path), ocr=False)
    assert not doc.tables and not any(line.text for t in doc.text for line in t.lines)
    assert [(u.page, u.status) for u in doc.unread_pages] == [(1, "text-unreadable")]
    assert any(UNREADABLE_REASON in n for n in doc.notes)


def test_healthy_text_layer_is_never_ocrd(tmp_path):
    path = tmp_path / "born.pdf"
    b = g.PdfBuilder(path, footer=None)
    b.table(_spec())
    b.save()
    doc = extract_document(path)
    assert not doc.unread_pages and len(doc.tables) == 1


# --------------------------------------------------------------------------- OCR word repair
def test_ocr_words_repaired_only_by_a_single_known_confusion():
    from renjana.normalize.ocr_words import repair_words

    trusted = {"kali", "izin", "laporan", "kepegawaian", "jumlah", "tarian", "tempat"}
    assert repair_words("24 Kalli", trusted)[0] == "24 Kali"
    assert repair_words("Penerbitan !zin", trusted)[0] == "Penerbitan Izin"
    assert repair_words("12 Lanoran", trusted)[0] == "12 Laporan"
    text, notes = repair_words("Administrasi Kepeqawaian", trusted)
    assert text == "Administrasi Kepegawaian" and "Kepeqawaian" in notes[0]
    # Correct words the vocabulary lacks stay as printed: not one confusion from a known word.
    assert repair_words("minuman harian roda empat", trusted) == ("minuman harian roda empat", [])
    # Numbers and codes are not words.
    assert repair_words("1.03.01 2.484,00", trusted) == ("1.03.01 2.484,00", [])


def test_grammar_drops_a_doubled_digit_only_when_every_choice_agrees():
    assert repair("4.425.000.0000,00")[0] == "4.425.000.000,00"
    assert repair("12.3456,00") == ("12.3456,00", None)  # which digit is extra: unknown


# --------------------------------------------------------------------------- second reader (--ocr-check)
def _rapidocr_missing():
    from renjana.extract.ocr.check import check_missing

    return check_missing()


@needs_ocr
def test_ocr_check_disagreement_keeps_both_readings_and_lowers_confidence(tmp_path, monkeypatch):
    from renjana.extract.ocr import check
    from renjana.normalize import normalize_document

    # A second reader that reads every line as Tesseract did, except one amount.
    wrong = {"345.188.196,00": "345.188.198,00"}

    def read_lines(gray, lines, settings):
        return [wrong.get(line.text, line.text) for line in lines]

    monkeypatch.setattr(check, "check_missing", lambda: None)
    monkeypatch.setattr(check, "read_lines", read_lines)
    doc = extract_document(_scan(tmp_path), ocr_check=True)
    assert any("reread by RapidOCR" in note for note in doc.notes)
    norm = normalize_document(doc)
    table = norm.tables[0]
    money = next(i for i, c in enumerate(table.columns) if c.type == "money")
    cells = {row.cells[money]: row.sources[money] for row in table.rows if row.cells[money]}
    # The first reader's text stays; the second reading is kept beside it, the confidence drops.
    src = cells["345.188.196,00"]
    assert src.alternatives == ["345.188.198,00"]
    assert src.confidence == check.DISAGREE_CONFIDENCE and "RapidOCR read '345.188.198,00'" in src.repair
    agreed = cells["2.484.150.000,00"]
    assert agreed.alternatives is None and agreed.confidence > check.DISAGREE_CONFIDENCE


@needs_ocr
@pytest.mark.skipif(_rapidocr_missing() is not None, reason=f"{_rapidocr_missing()}")
def test_ocr_check_with_rapidocr_agrees_on_clean_numbers(tmp_path):
    from renjana.normalize import normalize_document

    doc = normalize_document(extract_document(_scan(tmp_path, dpi=300), ocr_check=True))
    table = doc.tables[0]
    money = next(i for i, c in enumerate(table.columns) if c.type == "money")
    values = [row.cells[money] for row in table.rows if row.cells[money]]
    assert "1.554.844.409,00" in values
    # A clean print: both readers read every amount alike, nothing is marked.
    assert all(row.sources[money].alternatives is None for row in table.rows if row.cells[money] in values[-3:])


def test_ocr_mode_from_the_environment(tmp_path, monkeypatch):
    from renjana.extract.ocr import OCR_ENV, ocr_mode

    monkeypatch.setenv(OCR_ENV, "off")
    assert ocr_mode() == "off"
    doc = extract_document(_scan(tmp_path))
    assert not doc.tables and [(u.page, u.status) for u in doc.unread_pages] == [(1, "needs-ocr")]
    assert any("OCR is off" in n for n in doc.notes)
    monkeypatch.setenv(OCR_ENV, "sometimes")
    with pytest.raises(ValueError, match="unknown OCR mode"):
        ocr_mode()


def test_ocr_check_without_the_second_reader_is_noted(tmp_path, monkeypatch):
    from renjana.extract.ocr import check

    monkeypatch.setattr(check, "check_missing", lambda: check.CHECK_HINT)
    if ocr_missing() is not None:
        pytest.skip(ocr_missing())
    doc = extract_document(_scan(tmp_path), ocr_check=True)
    assert any("not checked by a second reader" in n and "rapidocr" in n for n in doc.notes)
    assert len(doc.tables) == 1


def test_column_decimals_pick_among_ambiguous_grammar_repairs():
    # A zero read twice: dropping it and appending ',0' are both valid single edits.
    assert repair("2.331.300.0000") == ("2.331.300.0000", None)
    text, note = repair("2.331.300.0000", decimals=0)
    assert text == "2.331.300.000" and "0 decimals of its column" in note
    assert repair("2.331.300.0000", decimals=1)[0] == "2.331.300.000,0"
    # No candidate fits the column (or more than one does): the reading stays as read.
    assert repair("2.331.300.0000", decimals=2) == ("2.331.300.0000", None)
