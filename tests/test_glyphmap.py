"""Glyph maps (extract/ocr/glyphmap.py): a font without a Unicode map read from its glyphs'
shapes, on a PDF the tests write themselves (numbers in a Type3 font whose codes are letters and
whose glyph names mean nothing), and the decision rule on votes given directly.

The page tests use Tesseract alone (the second engine, when installed, is left out) so they
give the same result on every machine that has Tesseract; they are skipped with a message
where it is not installed.
"""

from __future__ import annotations

from collections import Counter

import pytest

import pdfgen as g
from renjana.extract import extract_document
from renjana.extract.ocr import glyphmap, ocr_missing
from renjana.extract.ocr.glyphmap import UNSURE, decide
from renjana.extract.textlayer import UNREADABLE_REASON

needs_ocr = pytest.mark.skipif(ocr_missing() is not None, reason=f"{ocr_missing()}")

HEADER = ["No", "Kode", "Program / Kegiatan", "Pagu Indikatif (Rp)", "Realisasi (Rp)", "Capaian (%)"]
ROWS = [
    ["1", "1.03.01", "Program Penunjang Urusan", "2.384.750.000", "1.554.833.409", "65,20"],
    ["2", "1.03.01.2.01", "Penyusunan Dokumen Perencanaan", "1.998.250.000", "1.108.145.060", "55,46"],
    ["3", "1.03.01.2.02", "Penyediaan Jasa Kebersihan", "4.982.500.000", "2.790.109.251", "56,00"],
    ["4", "1.03.01.2.03", "Pemeliharaan Rutin Jembatan", "1.311.000.000", "995.216.860", "75,91"],
    ["5", "1.03.01.2.04", "Penyediaan Gaji dan Tunjangan", "2.587.500.000", "1.723.807.434", "66,62"],
    ["6", "1.03.02", "Program Penyelenggaraan Jalan", "410.500.000", "405.675.791", "98,82"],
]
NUMERIC = {3, 4, 5}


def _pdf(tmp_path):
    return g.unmapped_numbers_pdf(tmp_path / "type3.pdf", HEADER, ROWS, [30, 80, 220, 120, 120, 80], NUMERIC)


@pytest.fixture
def tesseract_only(monkeypatch):
    """The glyph maps read with Tesseract alone; ``change`` (a function on each reading) lets
    a test make the engine misread."""
    real = glyphmap.installed_engines
    state = {"change": lambda text: text}

    def engines(settings=glyphmap.DEFAULT_OCR_SETTINGS):
        name, read = real(settings)[0]
        return [(name, lambda images: [state["change"](t) for t in read(images)])]

    monkeypatch.setattr(glyphmap, "installed_engines", engines)
    return state


def _number_cells(doc):
    table = doc.tables[0]
    return {(c.row, c.col): c for c in table.cells if c.row >= 1 and c.col in NUMERIC}


# --------------------------------------------------------------------------- the decision rule
def _votes(**by_engine):
    """code → engine → Counter, from engine=[{code: "chars read"}]."""
    out: dict = {}
    for engine, codes in by_engine.items():
        for code, chars in codes.items():
            out.setdefault(code, {})[engine] = Counter(chars)
    return out


def _different(a, b) -> bool:
    return False


def test_engines_that_agree_give_a_sure_character():
    votes = _votes(one={"A": "0000", "B": "1111"}, two={"A": "00", "B": "11"})
    readings = decide(votes, _different)
    assert (readings["A"].char, readings["A"].confidence) == ("0", 1.0)
    assert readings["B"].char == "1"


def test_an_engine_that_reads_two_shapes_alike_is_void_for_both():
    # A seven-segment '3' and '4' both read '4' by the first engine: it cannot tell them apart,
    # so the second engine, which reads them apart consistently, decides both.
    votes = _votes(one={"D": "4444", "E": "4444"}, two={"D": "3333", "E": "4444"})
    readings = decide(votes, _different)
    assert readings["D"].char == "3" and readings["E"].char == "4"
    assert "also for another shape" in readings["D"].why


def test_one_engine_reading_two_shapes_alike_leaves_both_unsure():
    readings = decide(_votes(one={"D": "4444", "E": "4444", "A": "0000"}), _different)
    assert readings["D"].char is None and readings["E"].char is None
    assert readings["A"].char == "0"


def test_engines_that_disagree_or_waver_leave_the_code_unsure():
    readings = decide(_votes(one={"H": "1111"}, two={"H": "7777"}), _different)
    assert readings["H"].char is None and readings["H"].confidence == 0.0
    wavering = decide(_votes(one={"J": "99944"}), _different)  # 60 % agree: under glyph_min_share
    assert wavering["J"].char is None


def test_codes_of_one_shape_may_share_a_character():
    # A font may give one glyph two codes: both print the same character.
    readings = decide(_votes(one={"A": "000", "Z": "000"}), lambda a, b: True)
    assert readings["A"].char == readings["Z"].char == "0"


# --------------------------------------------------------------------------- a page
@needs_ocr
@pytest.mark.parametrize("reader", ["playa", "pdfplumber"])
def test_numbers_in_a_font_without_a_unicode_map_are_read_from_their_shapes(tmp_path, tesseract_only, reader):
    from renjana.normalize import normalize_document

    doc = extract_document(_pdf(tmp_path), reader=reader)
    # The page is read from its text layer and rules (not as a scan), its numbers mapped: it is
    # not listed as unread, nor called unreadable, and with every code read surely no note is
    # made (each mapped cell says how it was read).
    assert doc.unread_pages == []
    assert not any(UNREADABLE_REASON in n or "not read surely" in n for n in doc.notes), doc.notes
    cells = _number_cells(doc)
    assert {key: cell.text for key, cell in cells.items()} == {
        (r, c): ROWS[r - 1][c] for r in range(1, len(ROWS) + 1) for c in NUMERIC}
    line = cells[(1, 3)].lines[0]
    assert line.source == "ocr" and line.confidence >= 0.9 and "glyph shapes" in line.repair
    # The names and codes, in a font with a Unicode map, are the text layer's own.
    assert all(line.source == "pdf" for c in doc.tables[0].cells if c.col not in NUMERIC for line in c.lines)
    table = normalize_document(doc).tables[0]
    pagu = next(i for i, col in enumerate(table.columns) if col.key == "pagu")
    assert table.rows[0].values["pagu"].number is not None and str(table.rows[0].values["pagu"].number) == "2384750000"
    assert table.rows[0].sources[pagu].source == "ocr"


@needs_ocr
def test_glyphs_not_read_surely_are_flagged_never_guessed(tmp_path, tesseract_only):
    """An engine that reads the '3' as '8': two shapes read alike, so neither code is sure.
    Their glyphs print '�', their cells are unreadable (confidence 0, no number), and no
    `error` finding is made of them."""
    from renjana.pipeline import process_file

    tesseract_only["change"] = lambda text: text.replace("3", "8")
    doc = extract_document(_pdf(tmp_path))
    cells = _number_cells(doc)
    for (r, c), cell in cells.items():
        printed = ROWS[r - 1][c]
        if "3" in printed or "8" in printed:
            assert UNSURE in cell.text and cell.lines[0].confidence == 0.0
            assert "not read surely" in cell.lines[0].repair
        else:
            assert cell.text == printed
    # Only the codes left unsure make a note, with how many cells print them; the page was
    # read all the same: not listed as unread, not called unreadable.
    unsure_cells = sum(UNSURE in cell.text for cell in doc.tables[0].cells)
    assert unsure_cells > 0
    [note] = [n for n in doc.notes if "not read surely" in n]
    assert note.startswith("page 1: ") and note.endswith(f"; {unsure_cells} table cells unreadable"), note
    assert doc.unread_pages == [] and not any(UNREADABLE_REASON in n for n in doc.notes)

    result = process_file(_pdf(tmp_path))
    table = result.tables[0]
    pagu = next(i for i, col in enumerate(table.columns) if col.key == "pagu")
    first = table.rows[0]
    assert UNSURE in first.cells[pagu] and first.values["pagu"].number is None
    assert first.sources[pagu].confidence == 0.0
    assert not [f for f in result.findings if f.severity == "error" and f.column in ("pagu", "realisasi_rp")]


def test_a_font_without_a_unicode_map_stays_unread_when_ocr_is_off(tmp_path):
    doc = extract_document(_pdf(tmp_path), ocr=False)
    assert [(u.page, u.status) for u in doc.unread_pages] == [(1, "text-unreadable")]
    assert not doc.tables
