"""Cell text repair on PDFs the tests draw: what the repair decides, and how sure it says it is.

Two producer habits are drawn for every case: one keeps the space glyph at a word-gap line end
(LibreOffice), one never does (ReportLab). The repair must read both the same way, keep the
printed lines beside the repaired text, and lower its confidence where the evidence is thin.
"""

from __future__ import annotations

import re

import pytest

from renjana.extract import extract_document
from renjana.models import BBox, TextLine
from renjana.normalize import normalize_document
from renjana.normalize.cell_text import JoinContext, Lexicon, builtin_words, is_reduplication, join_lines

import pdfgen as g
from pdfgen import H

WIDTHS = [70, 14, 60, 90, 34]
HEADER = [[H("Kode"), H("No"), H("Satuan"), H("Uraian"), H("Target")], "1 2 3 4 5".split()]
ROWS = [
    # A narrow 'No' column stacks the words of a label a few letters at a time.
    ["2.17.03", "Rata-Rata Capaian", "Orang", "Penguatan Kelembagaan Koperasi", "44.889.784.840"],
    # Invented words that no lexicon knows, cut by a full line: the reading is a guess.
    ["2.17.03.2.01", "", "Qwzxvbnmkjhgfdsapoiuy", "Zyxwvutsrqponmlk Tralalopqrs", "1.500,00"],
    # Two known words at a wrapped line: kept apart whatever the geometry says.
    ["2.17.03.2.01.06", "", "Unit Usaha", "Pendampingan Tata Kelola Koperasi", "250.000.000,00"],
]


@pytest.fixture(scope="module", params=[True, False], ids=["keeps-space", "no-space"])
def table(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("celltext") / "cells.pdf"
    spec = g.TableSpec(widths=list(WIDTHS), header=HEADER, rows=[list(r) for r in ROWS],
                       caption="Tabel 9.9 Uji Teks Sel", keeps_trailing_space=request.param,
                       align=["left", "left", "left", "left", "right"])
    builder = g.PdfBuilder(path)
    builder.table(spec)
    builder.save()
    doc = normalize_document(extract_document(path))
    assert len(doc.tables) == 1
    doc.tables[0].caption += f" keeps={request.param}"  # the producer habit, for the tests below
    return doc.tables[0]


def cell(table, row: int, key: str):
    col = next(i for i, c in enumerate(table.columns) if c.key == key or c.label == key)
    return table.rows[row].cells[col], table.rows[row].sources[col]


def test_stacked_letters_become_words(table):
    text, source = cell(table, 0, "No")
    assert text == "Rata-Rata Capaian"
    assert len(source.lines) >= 4  # it was printed a few letters per line
    assert source.confidence < 1 and "stacked" in source.repair


def test_number_cut_in_a_narrow_cell_is_one_number(table):
    text, source = cell(table, 0, "target_k")
    assert text == "44.889.784.840"
    assert len(source.lines) >= 2


def test_known_words_are_kept_apart(table):
    text, _ = cell(table, 2, "satuan")
    assert text == "Unit Usaha"


def test_unknown_word_cut_by_a_full_line(table):
    """No lexicon knows 'Qwzxvbnmkjhgfdsapoiuy'. Where the producer keeps a space glyph at word
    gaps, its absence decides: one word. Where it never does, nothing decides: the likeliest
    reading (one word, the line was full) is kept, and the cell says it is unsure, and why."""
    text, source = cell(table, 1, "satuan")
    assert len(source.lines) >= 2  # really cut
    assert text == "Qwzxvbnmkjhgfdsapoiuy"
    if table.caption.endswith("keeps=True"):
        assert source.confidence >= 0.9
    else:
        assert source.confidence < 0.9
        assert source.repair and "joined" in source.repair and "unknown" in source.repair


def printed_as(text: str, lines: list[str]) -> bool:
    """``text`` is the printed ``lines`` with only spaces moved and line-end hyphens dropped."""
    pattern = "".join(re.escape("".join(line.split())[:-1]) + "-?" if line.rstrip().endswith("-")
                      else re.escape("".join(line.split())) for line in lines)
    return re.fullmatch(pattern, "".join(text.split())) is not None


def test_every_repaired_cell_keeps_its_printed_lines(table):
    for row in table.rows:
        for text, source in zip(row.cells, row.sources):
            if text:
                assert source.lines, text
                assert printed_as(text, source.lines)


# --------------------------------------------------------------------------- joins on line lists
CELL = BBox(x0=100.0, top=100.0, x1=160.0, bottom=160.0)
LINE_HEIGHT = 8.0


def lines_of(*texts: str) -> list[TextLine]:
    """Printed lines, left aligned and filled to the cell's inner edge (a full line says nothing)."""
    return [TextLine(text=t, bbox=BBox(x0=CELL.x0 + 2, top=CELL.top + 2 + i * LINE_HEIGHT,
                                       x1=CELL.x1 - 2, bottom=CELL.top + 2 + (i + 1) * LINE_HEIGHT),
                     font_size=7.0) for i, t in enumerate(texts)]


def join(*texts: str, extra: str = ""):
    lexicon = Lexicon(set(builtin_words()) | {"pengelolaan", "bangunan", "pelaksanaan", "penanganan", "pantai"})
    lexicon.add_text(extra)
    ctx = JoinContext(lexicon=lexicon, keeps_trailing_space=False, padding=2.0)
    return join_lines(lines_of(*texts), CELL, ctx)


@pytest.mark.parametrize("lines, expected", [
    (["Pengelo-", "laan SDA dan Bangun-", "an Pengaman Pantai"], "Pengelolaan SDA dan Bangunan Pengaman Pantai"),
    (["Pelaksana-", "an"], "Pelaksanaan"),
    (["Penan-", "ganan"], "Penanganan"),  # 'nan' ends one piece and sits in the other: no reduplication
    (["PENGELO-", "LAAN"], "PENGELOLAAN"),  # upper-case text hyphenates in upper case
])
def test_producer_hyphenation_joins_a_known_word(lines, expected):
    joined = join(*lines)
    assert joined.text == expected
    assert joined.confidence >= 0.9 and not joined.notes


@pytest.mark.parametrize("lines, expected", [
    (["Anak-", "anak"], "Anak-anak"),
    (["kupu-", "kupu"], "kupu-kupu"),
    (["sehari-", "hari"], "sehari-hari"),
    (["Peraturan Perundang-", "undangan"], "Peraturan Perundang-undangan"),
    (["sebanyak-", "banyaknya"], "sebanyak-banyaknya"),
    (["gotong royong tolong-", "menolong"], "gotong royong tolong-menolong"),
    (["surat-", "menyurat"], "surat-menyurat"),
    (["sayur-", "mayur"], "sayur-mayur"),
    (["warna-", "warni"], "warna-warni"),
    (["kerja bakti gotong-", "royong"], "kerja bakti gotong-royong"),  # listed in the vocabulary
    (["RATA-", "RATA"], "RATA-RATA"),
    (["Rata-", "Rata Capaian"], "Rata-Rata Capaian"),
])
def test_reduplication_and_listed_hyphenated_words_keep_the_hyphen(lines, expected):
    assert join(*lines).text == expected


@pytest.mark.parametrize("lines, expected", [
    (["Pegawai Non-", "ASN"], "Pegawai Non-ASN"),  # a capital after the hyphen starts a word
    (["Belanja e-", "katalog"], "Belanja e-katalog"),  # no producer leaves one letter before a cut
    (["Covid-", "19"], "Covid-19"),
    (["Tahun 2019-", "2023"], "Tahun 2019-2023"),
])
def test_authors_hyphen_is_kept(lines, expected):
    assert join(*lines).text == expected


def test_the_documents_own_hyphenated_word_keeps_its_hyphen():
    assert join("Belanja non-", "fisik", extra="dan kegiatan non-fisik lainnya").text == "Belanja non-fisik"
    # Not printed whole anywhere: both pieces are words and the joined one is not, so the
    # hyphen stays, and the cell says it is unsure.
    unsure = join("Belanja non-", "fisik")
    assert unsure.text == "Belanja non-fisik"
    assert unsure.confidence < 0.9 and "hyphen kept" in unsure.notes[0]


def test_upper_case_pieces_keep_the_hyphen_unless_the_joined_word_is_known():
    """In upper case the case of the next line tells nothing: an acronym pair keeps its hyphen."""
    unsure = join("Laporan (QWZ-", "XV/Profil)")
    assert unsure.text == "Laporan (QWZ-XV/Profil)"
    assert unsure.confidence < 0.9 and "hyphen kept" in unsure.notes[0]
    assert join("PENGELO-", "LAAN").text == "PENGELOLAAN"


def test_unknown_joined_word_is_a_noted_repair():
    joined = join("Zorblat-", "quixen Pengaman")
    assert joined.text == "Zorblatquixen Pengaman"
    assert joined.confidence < 1
    assert len(joined.notes) == 1 and "hyphen dropped" in joined.notes[0] and "unknown" in joined.notes[0]


@pytest.mark.parametrize("lines, expected", [
    (["1.03.02.2.01.", "01"], "1.03.02.2.01.01"),
    (["1.03.", "02.2.01"], "1.03.02.2.01"),
    (["1.03.02.2.01.", "01 Penyusunan"], "1.03.02.2.01.01 Penyusunan"),
])
def test_kode_cut_after_a_dot_joins_its_digits(lines, expected):
    joined = join(*lines)
    assert joined.text == expected
    assert joined.confidence == 1.0


@pytest.mark.parametrize("first, second, expected", [
    ("anak", "anak", True), ("Anak", "anak", True), ("sehari", "hari", True), ("kemerah", "merahan", True),
    ("perundang", "undangan", True), ("bermain", "main", True), ("obat", "obatan", True),
    ("tolong", "menolong", True), ("pukul", "memukul", True), ("bahu", "membahu", True),
    ("lauk", "pauk", True), ("bolak", "balik", True),
    ("pengelo", "laan", False), ("bangun", "an", False), ("penan", "ganan", False), ("pelaksana", "an", False),
    ("pemerin", "tahan", False), ("kegiat", "an", False), ("ke", "kerasan", False),
])
def test_is_reduplication(first, second, expected):
    assert is_reduplication(first, second) is expected


# --------------------------------------------------------------------------- hyphenation in a drawn PDF
HYPHEN_ROWS = [
    # The producer hyphenates inside words; the kode wraps after a dot in its narrow column.
    ["1.03.02.2.01.\n01", "", "Dokumen", "Pengelo-\nlaan SDA dan Bangun-\nan Pengaman Pantai", "4"],
    ["1.03.02.2.01.\n02", "", "Anak-\nanak", "Peraturan Perundang-\nundangan", "1"],
    ["1.03.02.2.01.\n03", "", "Unit", "Zorblat-\nquixen Pantai", "2"],
]


@pytest.fixture(scope="module", params=[True, False], ids=["keeps-space", "no-space"])
def hyphen_table(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("hyphen") / "hyphen.pdf"
    spec = g.TableSpec(widths=[46, 14, 60, 90, 34], header=HEADER, rows=[list(r) for r in HYPHEN_ROWS],
                       caption="Tabel 9.8 Uji Pemenggalan", keeps_trailing_space=request.param,
                       align=["left", "left", "left", "left", "right"])
    builder = g.PdfBuilder(path)
    builder.table(spec)
    builder.save()
    doc = normalize_document(extract_document(path))
    assert len(doc.tables) == 1
    return doc.tables[0]


def test_drawn_hyphenation_is_repaired(hyphen_table):
    text, source = cell(hyphen_table, 0, "Uraian")
    assert source.lines[0] == "Pengelo-"  # really printed hyphenated
    assert text == "Pengelolaan SDA dan Bangunan Pengaman Pantai"
    assert cell(hyphen_table, 1, "Uraian")[0] == "Peraturan Perundang-undangan"
    assert cell(hyphen_table, 1, "Satuan")[0] == "Anak-anak"
    text, source = cell(hyphen_table, 2, "Uraian")
    assert text == "Zorblatquixen Pantai"
    assert source.confidence < 1 and "hyphen dropped" in source.repair


def test_drawn_kode_cut_after_a_dot(hyphen_table):
    for row, last in enumerate(["01", "02", "03"]):
        text, source = cell(hyphen_table, row, "Kode")
        assert len(source.lines) == 2
        assert text == f"1.03.02.2.01.{last}"
