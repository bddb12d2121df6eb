"""Damage outside streams that qpdf repairs while reading (renjana/stream_damage.py,
``_object_damage``): a few bytes garbled in a page or font dictionary lose a page's content or
turn its text wrong while every library opens the file. Each page using a damaged object gets a
note naming it and the file is ``partial``; damage no page uses leaves the file ``ok``.

The files are written here: three pages of text, pages 1 and 2 in font /F1, page 3 in /F2; a
damaged copy changes a few bytes in place (same length, so the cross-reference table holds)."""

from __future__ import annotations

from pathlib import Path

import pdfgen as g
from renjana.pipeline import process_file
from renjana.runner import _file_status
from renjana.stream_damage import page_damage


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _text(font: bytes, line: bytes) -> bytes:
    return b"BT /%s 12 Tf 50 700 Td (%s) Tj ET" % (font, line)


def _page(contents: int, font: bytes, font_object: int) -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /%s %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (font, font_object, contents))


def _objects() -> list[bytes]:
    """Objects 1 catalog, 2 pages, 3-5 pages, 6-8 contents, 9 font /F1, 10 font /F2, 11 /Info."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>",
        _page(6, b"F1", 9), _page(7, b"F1", 9), _page(8, b"F2", 10),
        _stream(_text(b"F1", b"Program 1.234.567")),
        _stream(_text(b"F1", b"Kegiatan 2.345.678")),
        _stream(_text(b"F2", b"Sub kegiatan 3.456.789")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Renja 2024) /Producer (test) >>",
    ]


def _pdf(path: Path, old: bytes = b"", new: bytes = b"") -> Path:
    """The three-page file, with the one occurrence of ``old`` replaced by ``new`` (same length)."""
    sound = g.write_raw_pdf(path, _objects()).read_bytes()
    sound = sound.replace(b"trailer\n<< /Size 12", b"trailer\n<< /Info 11 0 R /Size 12")
    if old:
        assert len(old) == len(new) and sound.count(old) == 1
        sound = sound.replace(old, new)
    path.write_bytes(sound)
    return path


def test_sound_file_has_no_object_damage(tmp_path: Path):
    path = _pdf(tmp_path / "sound.pdf")
    assert page_damage(path) == {}
    result = process_file(path)
    assert _file_status(result)[0] == "ok" and not any("damaged" in note for note in result.notes)


def test_garbled_contents_key_loses_the_page_and_says_so(tmp_path: Path):
    # The key /Contents of page 2 garbled: qpdf keeps its value under a key it invents, every
    # engine sees page 2 without content, and no library raises.
    path = _pdf(tmp_path / "lost.pdf", b"/Contents 7 0 R", b"/CI<\x9d\\nts 7 0 R")
    found = page_damage(path)
    assert list(found) == [2]
    assert "the page dictionary (object 4) is damaged" in found[2][0].what and "is lost" in found[2][0].what
    result = process_file(path)
    status, reason, in_file, read = _file_status(result)
    assert status == "partial" and (in_file, read) == (3, 2)
    assert any(n.startswith("page 2: damaged: the page dictionary (object 4)") for n in result.notes)
    assert [u.page for u in result.source.unread_pages] == [2]


def test_damaged_font_is_noted_on_the_pages_that_use_it(tmp_path: Path):
    # A few bytes garbled in font /F1's dictionary: qpdf repairs it by inventing keys; the pages
    # using /F1 (1 and 2) are noted, page 3 (font /F2) is not.
    path = _pdf(tmp_path / "font.pdf", b"/BaseFont /Helvetica /Encoding", b"/BaseFont /Helvetica \x9d<\xcacoding")
    found = page_damage(path)
    assert sorted(found) == [1, 2]
    assert all("font /F1 (object 9) is damaged" in found[n][0].what and "text in that font may be wrong"
               in found[n][0].what for n in found)
    result = process_file(path)
    assert _file_status(result)[0] == "partial"
    assert any(n.startswith("pages 1-2: damaged: font /F1 (object 9)") for n in result.notes)
    assert 3 not in {u.page for u in result.source.unread_pages}


def test_missing_content_object_loses_its_page(tmp_path: Path):
    # The header of page 3's content stream ("8 0 obj") garbled: qpdf rebuilds the cross-reference
    # table, cannot find object 8 and drops the page's /Contents; the page is taken as lost.
    path = _pdf(tmp_path / "header.pdf", b"\n8 0 obj", b"\n8 \x9d\xcaobj")
    found = page_damage(path)
    assert list(found) == [3] and "names no content stream" in found[3][0].what
    assert _file_status(process_file(path))[0] == "partial"


def test_damage_no_page_uses_leaves_the_file_ok(tmp_path: Path):
    # The /Info dictionary garbled: qpdf repairs it, no page's content depends on it.
    path = _pdf(tmp_path / "info.pdf", b"/Title (Renja 2024)", b"/Title <Re\x9dja 2024)")
    assert page_damage(path) == {}
    result = process_file(path)
    assert _file_status(result)[0] == "ok" and not any("damaged" in note for note in result.notes)


def test_font_whose_object_cannot_be_read_is_noted(tmp_path: Path):
    # A parenthesis garbled into font /F2's dictionary opens a string that runs to the end of the
    # file: qpdf reads the object as null, page 3's font list names a font that is not there.
    path = _pdf(tmp_path / "null.pdf", b"/BaseFont /Times-Roman", b"/BaseFont (Times-Roman")
    found = page_damage(path)
    assert list(found) == [3] and found[3][0].what.startswith("font /F2 cannot be read")
    assert _file_status(process_file(path))[0] == "partial"


def test_page_dictionary_qpdf_cannot_read_makes_the_file_damaged(tmp_path: Path):
    # Page 2's dictionary loses its closing ">>": qpdf reads on, gives up and drops the page from
    # its page tree (it counts two pages); the file is damaged and the page, empty for every
    # engine, is taken as lost.
    path = _pdf(tmp_path / "dropped.pdf", b"/Contents 7 0 R >>", b"/Contents 7 0 R\x7f\\|")
    result = process_file(path)
    status, reason, in_file, read = _file_status(result)
    assert status == "partial" and (in_file, read) == (3, 2)
    assert any(n.startswith("damaged: a page dictionary (object 4) cannot be read") for n in result.notes)
    assert [u.page for u in result.source.unread_pages] == [2]


def test_font_list_object_that_parses_as_a_number_is_noted(tmp_path: Path):
    # Page 3's font list is an object of its own; its "<<" garbled into "7<" makes the object the
    # number 7 ("expected endobj"): pikepdf hands over the number, not the object, so the page's
    # font list is taken as unreadable by its type, and the page noted.
    objects = _objects()
    objects[4] = objects[4].replace(b"/Resources << /Font << /F2 10 0 R >> >>", b"/Resources << /Font 12 0 R >>")
    objects.append(b"<< /F2 10 0 R >>")
    path = g.write_raw_pdf(tmp_path / "list.pdf", objects)
    data = path.read_bytes()
    assert data.count(b"12 0 obj\n<< /F2") == 1
    path.write_bytes(data.replace(b"12 0 obj\n<< /F2", b"12 0 obj\n7< /F2"))
    found = page_damage(path)
    assert list(found) == [3] and found[3][0].what.startswith("a font list cannot be read")
    assert _file_status(process_file(path))[0] == "partial"


def test_renamed_contents_key_is_noted_though_no_library_warns(tmp_path: Path):
    # One byte changes /Contents into /CoAtents: valid syntax, qpdf warns of nothing, every
    # reader sees page 2 empty. Its content stream under a key the standard does not define says
    # what happened.
    path = _pdf(tmp_path / "renamed.pdf", b"/Contents 7 0 R", b"/CoAtents 7 0 R")
    found = page_damage(path)
    assert list(found) == [2] and "content streams under /CoAtents, not /Contents" in found[2][0].what
    status, _reason, in_file, read = _file_status(process_file(path))
    assert status == "partial" and (in_file, read) == (3, 2)


def test_renamed_resources_and_font_keys_are_noted(tmp_path: Path):
    resources = _pdf(tmp_path / "resources.pdf", b"/Resources << /Font << /F2", b"/Resourxes << /Font << /F2")
    found = page_damage(resources)
    # qpdf warns of the missing /Resources too (its own note); the garbled key is named besides.
    assert list(found) == [3] and any("resources under /Resourxes, not /Resources" in d.what for d in found[3])
    fonts = _pdf(tmp_path / "fonts.pdf", b"/Resources << /Font << /F2", b"/Resources << /Fonx << /F2")
    found = page_damage(fonts)
    assert list(found) == [3] and "fonts under /Fonx, not /Font" in found[3][0].what
    assert _file_status(process_file(fonts))[0] == "partial"


def test_a_blank_page_without_contents_is_not_damage(tmp_path: Path):
    objects = _objects()
    objects[3] = objects[3].replace(b"/Contents 7 0 R", b"/Rotate 0 /PieceInfo << >>")
    path = g.write_raw_pdf(tmp_path / "blank.pdf", objects)
    assert page_damage(path) == {}


def test_font_whose_subtype_is_no_font_type_is_noted(tmp_path: Path):
    # "/Type1" garbled into "/Tyqe1": valid syntax, no warning; readers take a bare font whose
    # text comes out as codes. Page 3 (font /F2) is noted, pages 1-2 are not.
    path = _pdf(tmp_path / "subtype.pdf", b"/Subtype /Type1 /BaseFont /Times", b"/Subtype /Tyqe1 /BaseFont /Times")
    found = page_damage(path)
    assert list(found) == [3] and "its /Subtype /Tyqe1 is not a font type" in found[3][0].what
    assert _file_status(process_file(path))[0] == "partial"


def test_stream_whose_filter_name_is_garbled_is_noted(tmp_path: Path):
    # "/FlateDecode" garbled into "/FlateDecodX": no reader can decode page 3's content; the
    # libraries skip it without a word (the page reads empty).
    import zlib

    objects = _objects()
    data = zlib.compress(_text(b"F2", b"Sub kegiatan 3.456.789"))
    objects[7] = b"<< /Filter /FlateDecodX /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    path = g.write_raw_pdf(tmp_path / "filter.pdf", objects)
    found = page_damage(path)
    assert list(found) == [3] and "names /FlateDecodX as its filter, which is no PDF filter" in found[3][0].what
    assert _file_status(process_file(path))[0] == "partial"


def test_page_tree_counting_more_pages_than_it_holds_is_noted(tmp_path: Path):
    # Page 3's reference blanked out of /Kids (the count left at 3): every reader sees 2 pages.
    from renjana.stream_damage import damage_report

    path = _pdf(tmp_path / "kids.pdf", b"4 0 R 5 0 R]", b"4 0 R      ]")
    assert damage_report(path).file == ("the page tree counts 3 pages but holds 2: 1 page(s) lost from it",)
    result = process_file(path)
    assert _file_status(result)[0] == "partial"
    assert any("the page tree counts 3 pages but holds 2" in n for n in result.notes)
    assert damage_report(_pdf(tmp_path / "sound.pdf")).file == ()


def test_garbled_operator_in_a_small_content_stream_is_noted(tmp_path: Path):
    # "Td" garbled into "T\xc5" on page 3: valid syntax, every library skips the operator; an
    # unknown operator inside BX … EX (compatibility section) is allowed and not noted.
    path = _pdf(tmp_path / "op.pdf", b"50 700 Td (Sub", b"50 700 T\xc5 (Sub")
    found = page_damage(path)
    assert list(found) == [3] and "1 operator(s) the PDF standard does not define" in found[3][0].what
    assert _file_status(process_file(path))[0] == "partial"
    objects = _objects()
    objects[7] = _stream(b"BX 1 0 0 1 0 0 xyz EX " + _text(b"F2", b"Sub kegiatan 3.456.789"))
    assert page_damage(g.write_raw_pdf(tmp_path / "bx.pdf", objects)) == {}


# A TrueType font that is not one of the standard 14: its dictionary must hold /Widths.
_DESCRIBED = (b"<< /Type /Font /Subtype /TrueType /BaseFont /ArialMT /FirstChar 32 /LastChar 126 "
              b"/Widths [" + b" ".join([b"556"] * 95) + b"] /Encoding /WinAnsiEncoding /FontDescriptor "
              b"<< /Type /FontDescriptor /FontName /ArialMT /Flags 32 /FontBBox [-665 -325 2000 1040] "
              b"/ItalicAngle 0 /Ascent 905 /Descent -212 /CapHeight 716 /StemV 80 >> >>")


def _described(path: Path, font: bytes = _DESCRIBED) -> Path:
    """The three-page file with font /F2 (page 3) a described TrueType font ``font``."""
    objects = _objects()
    objects[9] = font
    return g.write_raw_pdf(path, objects)


def test_simple_font_without_its_widths_is_noted(tmp_path: Path):
    # "/Widths" garbled into "/Widthz": valid syntax, no warning; readers guess each glyph's advance.
    sound = _described(tmp_path / "sound.pdf")
    assert page_damage(sound) == {}
    path = _described(tmp_path / "widths.pdf", _DESCRIBED.replace(b"/Widths", b"/Widthz"))
    found = page_damage(path)
    assert list(found) == [3] and "its /Widths are missing" in found[3][0].what
    result = process_file(path)
    assert _file_status(result)[0] == "partial" and any("/Widths are missing" in n for n in result.notes)


def test_standard_font_with_a_descriptor_needs_no_widths(tmp_path: Path):
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FontDescriptor "
            b"<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox [-166 -225 1000 931] "
            b"/ItalicAngle 0 /Ascent 718 /Descent -207 /CapHeight 718 /StemV 88 >> >>")
    assert page_damage(_described(tmp_path / "std.pdf", font)) == {}


def test_text_in_a_font_the_page_does_not_define_is_lost_and_said(tmp_path: Path):
    # Page 3's resources name its font /F9 ("/F2" renamed): its text has no font to be read with.
    path = _pdf(tmp_path / "fontkey.pdf", b"/F2 10 0 R", b"/F9 10 0 R")
    result = process_file(path)
    assert _file_status(result)[0] == "partial"
    assert any("text drawn in a font the page does not define (/F2): that text is lost" in n for n in result.notes)
    sound = process_file(_pdf(tmp_path / "sound.pdf"))
    assert not any("does not define" in n for n in sound.notes)


def test_widths_not_matching_first_and_last_char_are_noted(tmp_path: Path):
    # /LastChar 34 garbled into 36: the three widths no longer cover its codes, every width
    # from there on belongs to another glyph (cells merge or split); the sound font is clean.
    objects = _objects()
    objects[9] = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding "
                  b"/FirstChar 32 /LastChar 34 /Widths [250 333 408] >>")
    sound = g.write_raw_pdf(tmp_path / "sound.pdf", objects)
    assert page_damage(sound) == {}
    damaged = tmp_path / "widths.pdf"
    damaged.write_bytes(sound.read_bytes().replace(b"/LastChar 34", b"/LastChar 36"))
    found = page_damage(damaged)
    assert list(found) == [3] and "its /Widths do not match its /FirstChar" in found[3][0].what
    assert _file_status(process_file(damaged))[0] == "partial"


def test_composite_font_without_its_descendant_is_noted(tmp_path: Path):
    objects = _objects()
    objects[9] = b"<< /Type /Font /Subtype /Type0 /BaseFont /Times-Roman /Encoding /Identity-H >>"
    found = page_damage(g.write_raw_pdf(tmp_path / "type0.pdf", objects))
    assert list(found) == [3] and "a composite font without its descendant font" in found[3][0].what


def test_font_part_pointing_at_an_object_of_another_kind_is_noted(tmp_path: Path):
    # Font /F2's /ToUnicode reference points at the /Info dictionary (a changed digit): a map
    # must be a stream. The same font with no such key is clean.
    objects = _objects()
    objects[9] = objects[9].replace(b" >>", b" /ToUnicode 11 0 R >>")
    found = page_damage(g.write_raw_pdf(tmp_path / "tounicode.pdf", objects))
    assert list(found) == [3] and "its /ToUnicode points at an object of another kind" in found[3][0].what
