"""Fonts without a reading (extract/textlayer.py, extract/read_playa.py): one garbled font among
healthy ones is judged on its own, so its glyphs are never read as data, however small a share
of the page they are; sound fonts with a few stray symbols (a symbol font's bullets, a tab) are
left alone. The PDFs are written here: a page of healthy Helvetica rows under a heading drawn in
a second font whose codes read as no text (a font whose encoding names none of its codes, as a
subset font without /ToUnicode or /Encoding gives; or a font dictionary that is damaged, so the
codes come out as control characters).
"""

from __future__ import annotations

import pytest

import pdfgen as g
from renjana.extract import extract_document
from renjana.extract.reader import open_reader
from renjana.extract.settings import DEFAULT_SETTINGS
from renjana.extract.textlayer import UNREADABLE_REASON, font_unreadable, no_reading, unmapped_text

ROWS = 40


def _page(tmp_path, heading_font: bytes, heading: bytes, extra: bytes = b"", extra_objects: list[bytes] = ()):
    """One page: ``ROWS`` lines of healthy Helvetica text and a heading line in font /F2
    (``heading_font``: its dictionary, or a reference), the heading's string ``heading``."""
    rows = b"".join(b"BT /F1 9 Tf 50 %d Td (%d. Program Penunjang Urusan Pemerintahan Daerah 1.250.000) Tj ET\n"
                    % (760 - 14 * i, i + 1) for i in range(ROWS))
    content = b"BT /F2 12 Tf 50 800 Td (" + heading + b") Tj ET\n" + rows + extra
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        heading_font,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >>",
        *extra_objects,
    ]
    return g.write_raw_pdf(tmp_path / "page.pdf", objects)


# The heading's codes: a subset font numbers its glyphs from 1 in the order they are first used.
CODES = bytes(range(1, 14)) + b"\x05\x06\x07\x01\x02"
# A font whose encoding names none of those codes (no /Encoding, no /ToUnicode).
NO_MAP_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /AAAAAA+Subset >>"
# A font "dictionary" damaged into something else: the library reads the codes as characters.
DAMAGED_FONT = b"8 0 R"


def _damaged(tmp_path):
    return _page(tmp_path, DAMAGED_FONT, CODES, extra_objects=[b"[/Type /Font /QPDFFake1 12]"])


@pytest.mark.parametrize("make, by_shape", [(lambda p: _page(p, NO_MAP_FONT, CODES), True), (_damaged, False)],
                         ids=["no-map", "damaged"])
def test_one_font_without_a_reading_makes_the_page_unreadable(tmp_path, make, by_shape):
    """The glyphs read ``(cid:N)``; they carry their codes for the glyph maps unless the font's
    /Widths are lost with its dictionary (their boxes are guesses: the page is read as a scan)."""
    path = make(tmp_path)
    with open_reader(path, None, DEFAULT_SETTINGS) as reader:
        page = next(reader.pages())
    heading = [gl for gl in page.glyphs if gl["size"] > 10]
    # Under the page's share (≥ 20 and > 5 %): the old page test alone let it through.
    assert len(heading) < 0.05 * len(page.glyphs)
    assert page.unreadable_fonts and all(gl["text"].startswith("(cid:") for gl in heading)
    assert all(("code" in gl) is by_shape for gl in heading)
    doc = extract_document(path, ocr=False)
    assert [(u.page, u.status) for u in doc.unread_pages] == [(1, "text-unreadable")]
    assert any(UNREADABLE_REASON in n for n in doc.notes)
    assert not any(line.text for t in doc.text for line in t.lines)


def test_stray_symbols_of_sound_fonts_are_no_alarm(tmp_path):
    """Bullets of a symbol font (ZapfDingbats), a few private-use bullets of a font mapped there
    by its producer, and tab glyphs leave a healthy page alone."""
    bullets = b"".join(b"BT /F3 9 Tf 40 %d Td (l) Tj ET\n" % (760 - 14 * i) for i in range(ROWS))
    tabs = b"BT /F1 9 Tf 300 790 Td (Tahun\t2021\tKode) Tj ET\n"
    private = b"BT /F2 9 Tf 30 %d Td (\x01) Tj ET\n"
    extra = bullets + tabs + b"".join(private % (760 - 14 * i) for i in range(12))
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Bullets def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <01> <F0B7> endbfchar "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Symbol /ToUnicode 8 0 R >>"
    stream = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
    path = _page(tmp_path, font, b"\x01", extra=extra, extra_objects=[stream])
    with open_reader(path, None, DEFAULT_SETTINGS) as reader:
        page = next(reader.pages())
    assert page.unreadable_fonts == []
    assert sum(unmapped_text(gl["text"]) for gl in page.glyphs) == 13  # the private-use bullets
    doc = extract_document(path, ocr=False)
    assert doc.unread_pages == [] and not any(UNREADABLE_REASON in n for n in doc.notes)


@pytest.mark.parametrize("text, expected", [
    ("a", False), (" ", False), ("\t", False), ("\n", False), ("\uf0b7", False), ("é", False),
    ("", True), ("\x01", True), ("\x1c", True), ("\x85", True), ("\ufffd", True), ("(cid:12)", True),
])
def test_what_reads_as_no_text(text, expected):
    assert no_reading(text) is expected


def test_a_font_is_judged_by_its_distinct_codes():
    assert not font_unreadable(40, 2)  # a symbol font's glyph or two without a name
    assert not font_unreadable(2, 2)  # too few codes to tell a font from a symbol
    assert font_unreadable(60, 31)  # a subset font's first 31 codes: control characters
    assert not font_unreadable(60, 10)


def test_glyph_maps_leave_a_page_with_unreadable_glyphs_they_cannot_read_to_ocr():
    """A page whose unmapped Type3 glyphs the maps could read, but which also prints glyphs
    without a reading and without a code (a damaged font's): the whole page goes to OCR."""
    from renjana.extract.ocr.glyphmap import GlyphMaps
    from renjana.extract.reader import PageContent

    glyph = {"x0": 10.0, "x1": 15.0, "top": 10.0, "bottom": 20.0, "size": 10.0, "fontname": "F", "upright": True}
    mapped = dict(glyph, text="(cid:1)", font_key="T3#1", code=1)
    page = PageContent(number=1, width=100.0, height=100.0, glyphs=[mapped, dict(glyph, text="(cid:7)", x0=20.0)])
    maps = GlyphMaps(engines=[])
    assert maps.read_page("unused.pdf", page) is None  # decided before the page is rendered


def _cmap(pairs: bytes) -> bytes:
    """A /ToUnicode CMap stream object mapping single-byte codes (``<2E> <0001>`` lines)."""
    data = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Test def /CMapType 2 def\n1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"%d beginbfchar\n" % pairs.count(b"\n") + pairs + b"endbfchar\nendcmap\n"
            b"CMapName currentdict /CMap defineresource pop end end\n")
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"endstream"


@pytest.mark.parametrize("target", [b"0001", b"FFFD", b"0011"], ids=["C0", "replacement", "DC1"])
def test_one_code_read_as_a_control_character_makes_the_font_unreadable(tmp_path, target):
    """A /ToUnicode that maps one code (the dot) to a control character or U+FFFD: below the
    font thresholds (three codes, a quarter), but a printed document holds no control character,
    so the font's map is broken and none of its glyphs is read as data ('406\\x01594')."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 8 0 R >>"
    path = _page(tmp_path, font, b"Rp 406.594.465,00 Jumlah Anggaran Belanja",
                 extra_objects=[_cmap(b"<2E> <" + target + b">\n")])
    with open_reader(path, None, DEFAULT_SETTINGS) as reader:
        page = next(reader.pages())
    assert page.unreadable_fonts
    assert not any(no_reading(gl["text"]) and not gl["text"].startswith("(cid:") for gl in page.glyphs)
    doc = extract_document(path, ocr=False)
    assert [(u.page, u.status) for u in doc.unread_pages] == [(1, "text-unreadable")]


def test_one_broken_code_is_enough_but_empty_text_keeps_its_thresholds():
    assert font_unreadable(60, 1, broken_codes=1)
    assert not font_unreadable(60, 2)  # two codes reading as nothing: a symbol font's glyphs
