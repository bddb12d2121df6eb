"""The reader interface: the playa reader (the default) reads what the pdfplumber reader (the
reference) reads, on PDFs drawn here with every kind of mark the structure code uses."""

from __future__ import annotations

import pytest
from reportlab.lib.colors import Color, CMYKColor
from reportlab.pdfgen import canvas

from renjana.extract import ExtractError, extract_document
import pdfgen as g
from renjana.extract.reader import DEFAULT_READER, READER_ENV, READERS, open_reader, reader_name

GLYPH_KEYS = ("x0", "x1", "top", "bottom", "size")


def _draw(path, rotate: int = 0) -> None:
    """Two pages: text in two fonts and sizes, a raised script, text turned a quarter, a
    ligature-free word with spaces, stroked lines, a stroked grid, thin filled bars, shaded
    cells (RGB, gray, CMYK), a curve, an invisible (render mode 3) word; the second page with
    a /Rotate and a translated, scaled drawing."""
    c = canvas.Canvas(str(path), pagesize=(600, 400))
    for page in range(2):
        if page == 1:
            c.setPageRotation(rotate or 90)
            c.translate(20, 10)
            c.scale(0.75, 0.75)
        c.setFont("Helvetica-Bold", 9)
        c.drawString(40, 360, "Tabel 2.1 Hasil Evaluasi")
        c.setFont("Times-Roman", 7)
        c.drawString(40, 340, "2.500 m")
        c.setFont("Times-Roman", 4.5)
        c.drawString(64, 343, "2")
        text = c.beginText(40, 320)
        text.setFont("Helvetica", 7)
        text.setTextRenderMode(3)
        text.textOut("tersembunyi")
        c.drawText(text)
        c.saveState()
        c.translate(560, 100)
        c.rotate(90)
        c.setFont("Helvetica", 7)
        c.drawString(0, 0, "KETERANGAN")
        c.restoreState()
        c.setLineWidth(0.5)
        for x in (40, 140, 260, 380):
            c.line(x, 100, x, 300)
        c.rect(40, 100, 340, 200, stroke=1, fill=0)
        c.setFillColor(Color(0, 0, 0))
        c.rect(40, 249.6, 340, 0.8, stroke=0, fill=1)  # a bar border
        c.setFillColor(Color(0.85, 0.85, 0.95))
        c.rect(41, 260, 98, 30, stroke=0, fill=1)
        c.setFillGray(0.9)
        c.rect(141, 260, 118, 30, stroke=0, fill=1)
        c.setFillColor(CMYKColor(0.1, 0, 0, 0.05))
        c.rect(261, 260, 118, 30, stroke=0, fill=1)
        c.bezier(400, 100, 420, 150, 440, 150, 460, 100)
        c.setFillColor(Color(0, 0, 0))
        c.setFont("Helvetica", 7)
        c.drawString(45, 270, "1 PROGRAM PENUNJANG 44.889.784.840")
        c.showPage()
    c.save()


def _pages(path, name):
    with open_reader(path, name) as reader:
        assert reader.page_count == 2
        return list(reader.pages())


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_playa_reads_what_pdfplumber_reads(tmp_path, rotate):
    path = tmp_path / "marks.pdf"
    _draw(path, rotate)
    reference, fast = _pages(path, "pdfplumber"), _pages(path, "playa")
    for ref, got in zip(reference, fast):
        assert (got.number, got.width, got.height) == pytest.approx((ref.number, ref.width, ref.height))
        assert [g["text"] for g in got.glyphs] == [g["text"] for g in ref.glyphs]
        assert "tersembunyi" in "".join(g["text"] for g in got.glyphs)  # invisible text is read, as pdfminer does
        for a, b in zip(ref.glyphs, got.glyphs):
            assert [b[k] for k in GLYPH_KEYS] == pytest.approx([a[k] for k in GLYPH_KEYS], abs=1e-6)
            assert (b["upright"], b["fontname"]) == (bool(a["upright"]), a["fontname"])
            assert b["matrix"] == pytest.approx(a["matrix"], abs=1e-6)
        assert got.graphics.segments and _same_segments(ref.graphics.segments, got.graphics.segments)
        assert len(got.graphics.fills) == len(ref.graphics.fills) == 3
        for a, b in zip(sorted(ref.graphics.fills, key=lambda f: f.x0), sorted(got.graphics.fills, key=lambda f: f.x0)):
            assert (b.x0, b.top, b.x1, b.bottom) == pytest.approx((a.x0, a.top, a.x1, a.bottom), abs=1e-6)
            assert b.color == pytest.approx(a.color, abs=1e-6)
        assert got.has_images == ref.has_images is False


def _same_segments(a, b) -> bool:
    key = lambda s: (s.orientation, round(s.pos, 4), round(s.start, 4), round(s.end, 4))  # noqa: E731
    return sorted(map(key, a)) == sorted(map(key, b))


@pytest.mark.parametrize("borders", ["grid", "rules"])
def test_both_readers_give_the_same_tables(tmp_path, borders):
    path = tmp_path / "table.pdf"
    b = g.PdfBuilder(path)
    b.cover(g.COVER)
    b.table(g.evaluasi_spec(borders=borders))
    b.save()
    ref = extract_document(path, reader="pdfplumber")
    got = extract_document(path, reader="playa")
    assert [(t.page, len(t.cells)) for t in got.tables] == [(t.page, len(t.cells)) for t in ref.tables]
    assert ref.tables and all(t.cells for t in ref.tables)
    assert [[c.text for c in t.cells] for t in got.tables] == [[c.text for c in t.cells] for t in ref.tables]
    assert [ln.text for p in got.text for ln in p.lines] == [ln.text for p in ref.text for ln in p.lines]


def test_reader_choice(monkeypatch):
    monkeypatch.delenv(READER_ENV, raising=False)
    assert reader_name() == DEFAULT_READER == "playa"
    monkeypatch.setenv(READER_ENV, "pdfplumber")
    assert reader_name() == "pdfplumber"
    assert reader_name("playa") == "playa"
    assert set(READERS) == {"pdfplumber", "playa"}
    with pytest.raises(ValueError, match="unknown PDF reader"):
        reader_name("nope")


@pytest.mark.parametrize("name", READERS)
def test_a_file_that_is_no_pdf_is_named(tmp_path, name):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"this is not a PDF at all")
    with pytest.raises(ExtractError, match="broken.pdf: not a readable PDF"):
        extract_document(path, reader=name)
