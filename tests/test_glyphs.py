"""Glyph-level reading of text lines, on PDFs the tests draw with ReportLab's canvas:
super- and subscripts, letter-spaced text, fake-bold overprint, numbers whose glyphs touch.

Coordinates here are ReportLab's (origin bottom left); the page is A4 portrait.
"""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from renjana.extract import extract_document
from renjana.extract.glyphs import dedupe_overprint

FONT, BOLD = "Helvetica", "Helvetica-Bold"
SIZE = 7.0
SCRIPT = 4.5  # a superscript's size, as word processors set it (about 64 % of the body)
RAISE = 2.8  # points a superscript's baseline sits above the line's
# A little raised (its top near the line's: grouped with the line at once) and well raised (a
# line of its own until it is attached).
RAISES = [RAISE, 4.5]


def _draw(c: canvas.Canvas, x: float, y: float, text: str, font: str = FONT, size: float = SIZE,
          char_space: float = 0.0) -> float:
    """Draw ``text`` as one text object; return the x where it ends (char spacing included)."""
    t = c.beginText(x, y)
    t.setFont(font, size)
    if char_space:
        t.setCharSpace(char_space)
    t.textOut(text)
    c.drawText(t)
    return x + stringWidth(text, font, size) + char_space * len(text)


def _page_lines(tmp_path, draw) -> list[str]:
    path = tmp_path / "glyphs.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    draw(c)
    c.showPage()
    c.save()
    doc = extract_document(path)
    return [line.text for page in doc.text for line in page.lines]


# --------------------------------------------------------------------------- scripts
@pytest.mark.parametrize("raise_by", RAISES)
def test_raised_unit_power_joins_its_line(tmp_path, raise_by):
    def draw(c):
        x = _draw(c, 100, 700, "Luas 2.500 m")
        _draw(c, x, 700 + raise_by, "2", size=SCRIPT)
        x = _draw(c, 100, 680, "Volume 12 m")
        _draw(c, x, 680 + raise_by, "3", size=SCRIPT)

    lines = _page_lines(tmp_path, draw)
    assert lines == ["Luas 2.500 m\u00b2", "Volume 12 m\u00b3"]


@pytest.mark.parametrize("raise_by", RAISES)
def test_raised_footnote_marker_stays_at_the_end_of_its_line(tmp_path, raise_by):
    def draw(c):
        x = _draw(c, 100, 700, "1.350.000.000,00")
        _draw(c, x, 700 + raise_by, "*)", size=SCRIPT)
        _draw(c, 100, 660, "*) dana alokasi khusus", size=SCRIPT)  # the footnote itself

    lines = _page_lines(tmp_path, draw)
    assert lines == ["1.350.000.000,00*)", "*) dana alokasi khusus"]


def test_lowered_subscript_joins_its_line_as_printed(tmp_path):
    def draw(c):
        x = _draw(c, 100, 700, "Kadar H")
        x = _draw(c, x, 700 - 1.5, "2", size=SCRIPT)
        _draw(c, x, 700, "O air")

    assert _page_lines(tmp_path, draw) == ["Kadar H2O air"]


def test_small_line_under_a_line_is_not_a_script(tmp_path):
    def draw(c):
        x = _draw(c, 100, 700, "Luas 2.500 m")
        _draw(c, x, 700 - SIZE, "2", size=SCRIPT)  # right of the line, but wholly below it
        _draw(c, 100, 700 - SIZE - 1, "catatan kaki", size=SCRIPT)

    lines = _page_lines(tmp_path, draw)
    assert lines[0] == "Luas 2.500 m"
    assert len(lines) == 2 and "catatan kaki" in lines[1]


def test_superscript_in_a_ruled_cell(tmp_path):
    path = tmp_path / "cell.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    xs, ys = [100, 160, 260, 360], [700, 680, 660, 640]
    c.grid(xs, ys)
    for row, y in enumerate(ys[1:]):
        _draw(c, xs[0] + 2, y + 6, f"{row + 1}")
        x = _draw(c, xs[1] + 2, y + 6, f"{row + 1}.500 m")
        _draw(c, x, y + 6 + RAISE, "2", size=SCRIPT)
        _draw(c, xs[2] + 2, y + 6, "Dokumen")
    c.showPage()
    c.save()
    (table,) = extract_document(path).tables
    texts = [cell.text for cell in table.cells if cell.col == 1]
    assert texts == ["1.500 m\u00b2", "2.500 m\u00b2", "3.500 m\u00b2"]


# --------------------------------------------------------------------------- letter spacing
def test_letter_spaced_text_with_space_glyphs_reads_as_words(tmp_path):
    def draw(c):
        _draw(c, 100, 700, "Penyusunan Pola SDA", char_space=1.6)
        _draw(c, 100, 680, "JUMLAH", font=BOLD, char_space=3.5)

    assert _page_lines(tmp_path, draw) == ["Penyusunan Pola SDA", "JUMLAH"]


def test_letter_spaced_glyphs_drawn_one_by_one(tmp_path):
    """Each letter its own text object, letters 1.6 pt apart and words a space further."""
    def draw(c):
        x = 100.0
        for word in ["Pola", "SDA", "di", "Hulu"]:
            for ch in word:
                x = _draw(c, x, 700, ch) + 1.6
            x += stringWidth(" ", FONT, SIZE) + 1.6

    assert _page_lines(tmp_path, draw) == ["Pola SDA di Hulu"]


def test_words_without_space_glyphs_stay_apart(tmp_path):
    """Justified text drawn word by word (no space glyph): the gap is a word space."""
    def draw(c):
        x = 100.0
        for word in ["Jumlah", "dokumen", "pola", "a", "b"]:
            x = _draw(c, x, 700, word) + 2.0

    assert _page_lines(tmp_path, draw) == ["Jumlah dokumen pola a b"]


def test_letter_spaced_label_next_to_numbers_on_one_line(tmp_path):
    def draw(c):
        _draw(c, 100, 700, "JUMLAH", font=BOLD, char_space=3.5)
        _draw(c, 300, 700, "1.500.000.000,00", font=BOLD)

    assert _page_lines(tmp_path, draw) == ["JUMLAH 1.500.000.000,00"]


# --------------------------------------------------------------------------- overprint
def test_fake_bold_overprint_is_read_once(tmp_path):
    def draw(c):
        for dx in (0.0, 0.3):
            _draw(c, 100 + dx, 700, "Jawa Timur 2024")
        for dx, dy in ((0.0, 0.0), (0.25, 0.0), (0.0, 0.25), (0.25, 0.25)):
            _draw(c, 100 + dx, 680 + dy, "Dinas 1.500")

    assert _page_lines(tmp_path, draw) == ["Jawa Timur 2024", "Dinas 1.500"]


def test_repeated_letters_are_not_overprint():
    def glyph(text, x0, width=3.9):
        return {"text": text, "x0": x0, "x1": x0 + width, "top": 100.0, "bottom": 107.0, "size": 7.0}

    chars = [glyph("l", 10.0, 1.56), glyph("l", 11.56, 1.56), glyph("0", 20.0), glyph("0", 23.9),
             glyph("0", 23.95)]
    kept = dedupe_overprint(chars)
    assert [c["x0"] for c in kept] == [10.0, 11.56, 20.0, 23.9]


# --------------------------------------------------------------------------- touching digits
def test_number_in_touching_pieces_is_one_number(tmp_path):
    def draw(c):
        x = _draw(c, 100, 700, "1.500")
        _draw(c, x, 700, ".000.000,00")
        # A producer that writes a space glyph and then the rest of the number over it.
        x = _draw(c, 100, 680, "2.750")
        _draw(c, x, 680, " ")
        _draw(c, x, 680, ".000,00")

    assert _page_lines(tmp_path, draw) == ["1.500.000.000,00", "2.750.000,00"]


def test_space_between_apart_numbers_is_kept(tmp_path):
    def draw(c):
        _draw(c, 100, 700, "4 2.500")

    assert _page_lines(tmp_path, draw) == ["4 2.500"]


def test_overprint_sort_is_numpy_s_lexsort():
    """dedupe_overprint's one-key sort orders glyphs as np.lexsort((x, line, code)) does (ties
    in stream order), also with equal x, a NaN and band numbers too far apart for one key."""
    import numpy as np

    from renjana.extract.glyphs import _lexsort

    rng = np.random.default_rng(7)
    for trial in range(300):
        n = int(rng.integers(2, 60))
        x = rng.choice([1.0, 2.0, 2.5, 10.0], n) + (rng.random(n) if trial % 2 else 0.0)
        line = np.floor(rng.choice([0.0, 1.0, 5.0, -3.0], n))
        if trial % 7 == 0:
            line[n // 2] = 1e18  # bands too far apart to fold into one 63-bit key
        code = rng.integers(0, 4, n)
        if trial % 5 == 0:
            x[0] = np.nan
        if trial % 11 == 0:
            line[-1] = np.nan
        want = np.lexsort((x, line, code))
        assert (_lexsort(x, line, code, np.argsort(x, kind="stable")) == want).all()
