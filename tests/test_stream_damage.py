"""Damage inside a stream the PDF libraries read past in silence (renjana/stream_damage.py): the
page gets a note naming the object and the file is ``partial``; a sound file gets neither."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import pdfgen as g
from renjana.pipeline import process_file
from renjana.runner import _file_status
from renjana.stream_damage import page_damage

WIDTH, HEIGHT = 160, 80


def _picture() -> np.ndarray:
    """A gray picture with structure (stripes and a gradient), so its JPEG has real entropy data."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    return ((x * 3 + (y // 4) * 40) % 256).astype(np.uint8)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(_picture()).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _stream(attrs: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (attrs, len(data)) + data + b"\nendstream"


CONTENT = (b"BT /F1 12 Tf 50 700 Td (Program 1.234.567) Tj ET\n"
           b"q 160 0 0 80 50 500 cm /Im1 Do Q q 160 0 0 80 250 500 cm /Im2 Do Q")


def image_pdf(path: Path, flate: bytes | None = None, jpeg: bytes | None = None,
              font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
              content: bytes | None = None) -> Path:
    """One page: a line of text in font /F1, a Flate gray image /Im1 and a JPEG /Im2."""
    flate = zlib.compress(_picture().tobytes()) if flate is None else flate
    jpeg = _jpeg() if jpeg is None else jpeg
    image = b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8" % (
        WIDTH, HEIGHT)
    content = zlib.compress(CONTENT) if content is None else content
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> "
        b"/XObject << /Im1 6 0 R /Im2 7 0 R >> >> /Contents 4 0 R >>",
        _stream(b"/Filter /FlateDecode", content),
        font,
        _stream(image + b" /Filter /FlateDecode", flate),
        _stream(image + b" /Filter /DCTDecode", jpeg),
    ]
    return g.write_raw_pdf(path, objects)


def _checksum_broken(data: bytes) -> bytes:
    """A zlib stream whose data inflates whole but whose Adler-32 checksum no longer matches, as
    one changed byte leaves it: the libraries keep what inflates and say nothing."""
    return data[:-1] + bytes([data[-1] ^ 0xFF])


def _jpeg_cut(data: bytes) -> bytes:
    """The JPEG's entropy-coded data cut in the middle and closed with its end marker: Pillow
    and pdfium draw it (the rest gray) without a word."""
    return data[: len(data) * 2 // 3] + b"\xff\xd9"


def test_sound_file_has_no_stream_damage(tmp_path: Path):
    path = image_pdf(tmp_path / "sound.pdf")
    assert page_damage(path) == {}
    result = process_file(path)
    assert not any("damaged" in note for note in result.notes)
    assert _file_status(result)[0] == "ok"


@pytest.mark.parametrize("damage, words, effect", [
    ({"flate": _checksum_broken(zlib.compress(_picture().tobytes()))}, "image /Im1 (object 6) does not decompress",
     "the image is drawn wrong or in part"),
    ({"jpeg": _jpeg_cut(_jpeg())}, "image /Im2 (object 7) (a JPEG) does not decode whole",
     "the image is drawn wrong or in part"),
    ({"content": _checksum_broken(zlib.compress(CONTENT))}, "content stream (object 4) does not decompress",
     "the page's drawing stops or goes wrong there"),
])
def test_damaged_stream_gives_a_note_and_partial(tmp_path: Path, damage: dict, words: str, effect: str):
    path = image_pdf(tmp_path / "damaged.pdf", **damage)
    found = page_damage(path)
    assert list(found) == [1] and words in found[1][0].what
    result = process_file(path)
    notes = [n for n in result.notes if n.startswith("page 1: damaged: ")]
    assert notes and words in notes[0] and effect in notes[0]
    status, reason, in_file, read = _file_status(result)
    # A content stream playa itself finds damaged is listed by extract first, in its words. The
    # page holds no table, so with its only page damaged the file gives nothing: failed.
    assert status == "failed" and (words in reason or "incorrect data check" in reason) and (in_file, read) == (1, 0)


def test_short_image_data(tmp_path: Path):
    """An image whose data inflates whole but holds fewer bytes than its pixels need."""
    path = image_pdf(tmp_path / "short.pdf", flate=zlib.compress(_picture().tobytes()[: WIDTH * HEIGHT // 2]))
    assert "holds 6400 of the 12800 bytes" in page_damage(path)[1][0].what


def test_composite_font_without_encoding(tmp_path: Path):
    """A Type0 font whose /Encoding key was damaged away: its codes cannot be split into glyphs."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Enc\xc8ding /Identity-H "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>")
    found = page_damage(image_pdf(tmp_path / "font.pdf", font=font))
    assert found[1][0].loses_content and "composite font without its /Encoding" in found[1][0].what


def test_damaged_form_is_noted_on_every_page_that_draws_it(tmp_path: Path):
    """A form XObject (a letterhead, a table drawn once) shared by two pages, its checksum broken."""
    form = _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 200 50] /Filter /FlateDecode",
                   _checksum_broken(zlib.compress(b"0 0 m 200 0 l S")))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm1 5 0 R >> >> "
            b"/Contents 6 0 R >>")
    path = g.write_raw_pdf(tmp_path / "form.pdf", [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>", page, page,
        form, _stream(b"", b"q /Fm1 Do Q")])
    found = page_damage(path)
    assert sorted(found) == [1, 2] and all("form /Fm1 (object 5) does not decompress" in found[n][0].what
                                           for n in found)


def test_a_page_whose_filter_raises_is_unread_and_the_others_are_read(tmp_path: Path):
    # ASCII85Decode raises on a character outside its alphabet (Flate only logs): that page is
    # listed as not read, with the reason, and the next page is read as usual.
    import base64

    good = b"BT /F1 12 Tf 50 700 Td (Program 1.234.567) Tj ET"
    bad = bytearray(base64.a85encode(good, adobe=True))
    bad[10] = 0x07  # a control character inside the ASCII85 data
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
    path = g.write_raw_pdf(tmp_path / "a85.pdf", [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        page % (7, 5),
        page % (7, 6),
        _stream(b"/Filter /ASCII85Decode", bytes(bad)),
        _stream(b"", good),
        font,
    ])
    result = process_file(path)
    unread = result.source.unread_pages
    assert [u.page for u in unread] == [1], unread
    assert unread[0].reason.startswith("not read: its content is damaged (ValueError"), unread[0].reason
    assert any(note.startswith("page 1: not read: its content could not be decoded") for note in result.notes), result.notes
    assert _file_status(result)[0] == "partial"
    # Page 2 holds text but no table: a table begun on page 1 may run on there, unread.
    assert any(note.startswith("page 2: no table found though text is printed there: a table begun on page 1")
               for note in result.notes), result.notes


def test_a_library_message_names_the_stream_object_instead_of_quoting_it():
    from extract.reader import damage_of

    message = ("Error -5 while decompressing data: incomplete or truncated stream: "
               "<ContentStream(21): raw=0, {'Length': 0, 'Filter': /'FlateDecode'}>")
    assert damage_of([message]) == "Error -5 while decompressing data: incomplete or truncated stream (object 21)"
