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


# --------------------------------------------------------------------------- playa's fast glyph path
def _raw_pdf(path, content: bytes, fonts: dict[bytes, bytes], extra: list[bytes] = ()) -> None:
    """A one-page PDF written by hand: ``content`` as the page's stream, ``fonts`` the font
    dictionaries by resource name, ``extra`` more objects (numbered after the fonts)."""
    names = list(fonts)
    first_font = 5
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
        + b" ".join(b"/%s %d 0 R" % (n, first_font + i) for i, n in enumerate(names)) + b" >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *(fonts[n] for n in names), *extra,
    ]
    g.write_raw_pdf(path, objects)


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# Code 65 drawn as a glyph named for a private-use character: text no reader can map.
PRIVATE_USE = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /uniE001] >> >>"
TYPE3 = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 -100 600 700] /FontMatrix [0.001 0 0 0.001 0 0] "
         b"/CharProcs << /g1 10 0 R >> /Encoding << /Type /Encoding /Differences [65 /g1 /g1] >> "
         b"/FirstChar 65 /LastChar 66 /Widths [600 500] >>")
VERTICAL = (b"<< /Type /Font /Subtype /Type0 /BaseFont /ArialMT /Encoding /Identity-V "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ArialMT "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 "
            b"/FontDescriptor << /Type /FontDescriptor /FontName /ArialMT /Flags 32 /FontBBox [0 -200 1000 900] "
            b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >> >>] >>")
TEXT_STATES = b"""
BT /F1 10 Tf 50 700 Td 2 Tc 3 Tw 120 Tz 2 Ts (Hello World 12) Tj ET
BT /F1 9 Tf 1 0 0 1 50 650 Tm [(Ta) -250 (ble) 120 ( 2.1) -1000.5 (x)] TJ T* (next) Tj ET
BT /F1 8 Tf 0 1 -1 0 300 300 Tm (Turned text) Tj ET
q 0.5 0 0 0.5 10 10 cm BT /F1 8 Tf -1 0 0 -1 400 400 Tm 1 0.2 0.3 1 0 0 cm (Upside skewed) Tj ET Q
BT /F1 0 Tf 50 600 Td (zero size) Tj ET
BT /F2 12 Tf 50 500 Td -1 Ts (ABBA AB) Tj ET
BT /F3 10 Tf 50 450 Td (ABAB) Tj ET
BT /F4 10 Tf 300 450 Td <00410042> Tj ET
"""
TEXT_FONTS = {b"F1": HELVETICA, b"F2": TYPE3, b"F3": PRIVATE_USE, b"F4": VERTICAL}
TYPE3_GLYPH = [b"<< /Length 40 >>\nstream\n600 0 0 0 500 700 d1 50 0 400 700 re f\nendstream"]


def test_playa_fast_glyphs_are_its_glyph_objects_to_the_bit(tmp_path):
    """The reader's inlined glyph loop gives, for every text object (text state, TJ shifts,
    turned and skewed matrices, zero size, a Type3 font), exactly the glyphs playa's own glyph
    objects give: the same floats to the last bit, and the same start for the next object."""
    import playa

    from renjana.extract import read_playa as rp

    assert rp._FAST_GLYPHS, "playa's TextObject lost the fields the fast glyph loop reads"
    path = tmp_path / "states.pdf"
    _raw_pdf(path, TEXT_STATES, TEXT_FONTS, TYPE3_GLYPH)
    with playa.open(path, space="default") as pdf:
        page = pdf.pages[0]
        device, frame, _, _ = rp._frames(page)
        fonts = rp._Fonts()
        horizontal = 0
        for obj in page.flatten():
            if not isinstance(obj, rp.TextObject) or obj.gstate.font.vertical:
                continue
            info = fonts.get(obj.gstate.font)
            fast: list[dict] = []
            bad = rp._glyphs(obj, info, frame, device, fast)
            offset, obj._next_glyph_offset = obj._next_glyph_offset, None
            slow: list[dict] = []
            assert rp._glyphs_generic(obj, info, frame, device, slow) == bad
            for glyph in slow:  # the generic path also names the glyph codes of unmapped fonts
                glyph.pop("font_key", None), glyph.pop("code", None)
            assert repr(fast) == repr(slow) and fast  # repr: -0.0 and 0.0 differ too
            assert repr(obj._next_glyph_offset) == repr(offset)
            horizontal += 1
    assert horizontal == 8


@pytest.mark.parametrize("name", READERS)
def test_unmapped_glyphs_are_counted_and_vertical_text_read(tmp_path, name):
    """Private-use glyphs make a page suspect for the text-layer check with either reader; the
    playa reader counts them as it reads (pdfplumber's pages leave the count to the check).
    A vertical (Identity-V) font is read too."""
    from renjana.extract.textlayer import _unmapped_pdfplumber, suspect

    path = tmp_path / "states.pdf"
    _raw_pdf(path, TEXT_STATES, TEXT_FONTS, TYPE3_GLYPH)
    with open_reader(path, name) as reader:
        (page,) = list(reader.pages())
    assert _unmapped_pdfplumber(page.glyphs) >= 2
    assert page.unmapped_glyphs == (None if name == "pdfplumber" else _unmapped_pdfplumber(page.glyphs))
    assert suspect(page)
    assert "Hello World 12" in "".join(g["text"] for g in page.glyphs)
    assert any(g["fontname"] == "ArialMT" for g in page.glyphs)


def test_playa_reads_the_hand_made_page_as_pdfplumber_does(tmp_path):
    """On the hand-made page's Helvetica lines (text state, TJ shifts, turned and skewed
    text), the playa reader gives pdfplumber's glyphs. (Text at size 0 and a Type3 font's
    space are read differently by the two libraries: left out.)"""
    path = tmp_path / "states.pdf"
    helvetica = b"\n".join(line for line in TEXT_STATES.split(b"\n") if b"/F1" in line and b" 0 Tf" not in line)
    _raw_pdf(path, helvetica, {b"F1": HELVETICA})
    (ref,), (got,) = _one(path, "pdfplumber"), _one(path, "playa")
    assert [g["text"] for g in got.glyphs] == [g["text"] for g in ref.glyphs]
    for a, b in zip(ref.glyphs, got.glyphs):
        assert [b[k] for k in GLYPH_KEYS] == pytest.approx([a[k] for k in GLYPH_KEYS], abs=1e-6)
        assert (b["upright"], b["fontname"]) == (bool(a["upright"]), a["fontname"])
        assert b["matrix"] == pytest.approx(a["matrix"], abs=1e-6)


def _one(path, name):
    with open_reader(path, name) as reader:
        return list(reader.pages())


def test_playa_pages_without_the_fast_loop_are_the_same(tmp_path, monkeypatch):
    """Without the fast glyph loop (a playa whose TextObject lacks its fields), every page is
    read through playa's glyph objects, with the very same result."""
    from renjana.extract import read_playa as rp

    marks, states = tmp_path / "marks.pdf", tmp_path / "states.pdf"
    _draw(marks, 90)
    _raw_pdf(states, TEXT_STATES, TEXT_FONTS, TYPE3_GLYPH)
    for path in (marks, states):
        fast = _one(path, "playa")
        monkeypatch.setattr(rp, "_FAST_GLYPHS", False)
        slow = _one(path, "playa")
        monkeypatch.setattr(rp, "_FAST_GLYPHS", True)
        assert repr([vars(p) for p in fast]) == repr([vars(p) for p in slow])


def test_reading_a_document_leaves_python_s_mapping_check_intact(tmp_path):
    # playa's ContentStream shares collections.abc.Mapping's ABC caches: an isinstance test of a
    # parsed dict against it once made isinstance({}, Mapping) False for the rest of the process,
    # and every later document's empty pages looked like text pages (no OCR of a scan read next).
    import collections.abc
    from collections import Counter

    path = tmp_path / "table.pdf"
    b = g.PdfBuilder(path)
    b.cover(g.COVER)
    b.table(g.evaluasi_spec(borders="grid"))
    b.save()
    collections.abc.Mapping._abc_caches_clear()
    with open_reader(path, "playa") as reader:
        assert [page.number for page in reader.pages()]
    assert isinstance({}, collections.abc.Mapping)
    assert Counter({0: 0})[0] == 0


def test_playa_state_copies_are_copy_s_own(tmp_path, monkeypatch):
    """The fast ``__copy__`` given to playa's graphics and text state (extract/playa_copies.py)
    makes what ``copy.copy``'s generic path makes: a new object holding the very same values;
    a page read with it is the page read without it."""
    import copy

    import playa
    from playa.content import GraphicState
    from playa.interp import TextState

    from renjana.extract import playa_copies

    assert sorted(playa_copies.install()) == ["GraphicState", "TextState"]
    path = tmp_path / "marks.pdf"
    _draw(path, 90)
    states = []
    with playa.open(path, space="default") as pdf:
        for obj in pdf.pages[0].flatten():
            states.append(obj.gstate)
    text = TextState()
    text.line_matrix, text.glyph_offset = (2.0, 0.0, 0.0, 2.0, 40.0, 320.0), (12.5, 0.0)
    states.append(text)
    assert any(s.font is not None for s in states[:-1])
    for state in states:
        fast = copy.copy(state)
        reduce, args, values = state.__reduce_ex__(4)[:3]
        generic = copy._reconstruct(state, None, reduce, args, values)
        assert type(fast) is type(generic) and fast is not state
        got, want = fast.__getstate__(), generic.__getstate__()
        # the same objects (the compiled TextState boxes its tuples anew on each read: equal)
        assert repr(got) == repr(want)
        assert all(got[k] is want[k] for k in want if not isinstance(want[k], tuple))
    fast_pages = _one(path, "playa")
    monkeypatch.delattr(GraphicState, "__copy__")
    monkeypatch.delattr(TextState, "__copy__")
    assert repr([vars(p) for p in fast_pages]) == repr([vars(p) for p in _one(path, "playa")])
