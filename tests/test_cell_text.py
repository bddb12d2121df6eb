"""Cell text repair on PDFs the tests draw: what the repair decides, and how sure it says it is.

Two producer habits are drawn for every case: one keeps the space glyph at a word-gap line end
(LibreOffice), one never does (ReportLab). The repair must read both the same way, keep the
printed lines beside the repaired text, and lower its confidence where the evidence is thin.
"""

from __future__ import annotations

import pytest

from renjana.extract import extract_document
from renjana.normalize import normalize_document

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


def test_every_repaired_cell_keeps_its_printed_lines(table):
    for row in table.rows:
        for text, source in zip(row.cells, row.sources):
            if text:
                assert source.lines, text
                assert "".join(text.split()) == "".join("".join(source.lines).split())
