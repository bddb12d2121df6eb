"""validate: parent = Σ children (and the row it names), totals, averages, predikat bands."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renjana.validate import validate_document
from renjana.validate.hierarchy import band, predikat_letter
from renjana.validate.registry import Tree

try:
    from test_validate_helpers import cells, errors, make_doc, make_table
except ImportError:  # tests/ made a package
    from tests.test_validate_helpers import cells, errors, make_doc, make_table

KEYS = ["kode", "uraian", "pagu_sebelum", "pagu_sesudah", "selisih"]


def pemetaan(rows, **kw):
    return validate_document(make_doc(make_table(rows, kind="pemetaan_perubahan", keys=KEYS,
                                                 **kw)))


def r(level, kode, sebelum, sesudah, **extra):
    """A row whose selisih is right by construction (so only the sums are under test)."""
    a = Decimal(sebelum.replace(".", "")) if sebelum not in ("", "-") else Decimal(0)
    b = Decimal(sesudah.replace(".", "")) if sesudah not in ("", "-") else Decimal(0)
    diff = b - a
    selisih = f"{diff:,}".replace(",", ".") if diff >= 0 else f"({-diff:,})".replace(",", ".")
    return dict(level=level, kode=kode, pagu_sebelum=sebelum, pagu_sesudah=sesudah,
                selisih=selisih, **extra)


def tree_rows():
    """urusan > bidang > program > 2 kegiatan > sub kegiatan (+ an indicator line with money)."""
    return [
        r("urusan", "2", "1.000", "1.300"),
        r("bidang", "2.17", "1.000", "1.300"),
        r("program", "2.17.01", "1.000", "1.300"),
        r("kegiatan", "2.17.01.2.01", "600", "700"),
        r("sub_kegiatan", "2.17.01.2.01.01", "400", "500"),
        r("sub_kegiatan", "2.17.01.2.01.02", "150", "100"),
        dict(r("indicator", "", "50", "100"), uraian=""),
        r("kegiatan", "2.17.01.2.02", "400", "600"),
        r("sub_kegiatan", "2.17.01.2.02.01", "400", "600"),
    ]


def test_consistent_tree_has_no_findings():
    assert [f for f in pemetaan(tree_rows()) if f.rule == "parent_sum"] == []


def test_tree_rebuilt_from_levels_matches_given_parents():
    rows = tree_rows()
    table = make_table(rows, kind="pemetaan_perubahan", keys=KEYS)
    rebuilt = Tree.build(table.rows)
    assert rebuilt.parent == [None, 0, 1, 2, 3, 3, 5, 2, 7]
    assert rebuilt.money_children(3) == [4, 5, 6]
    assert rebuilt.leaves(2) == [4, 5, 6, 8]
    for i, p in enumerate(rebuilt.parent):
        table.rows[i].parent = p
    assert Tree.build(table.rows).parent == rebuilt.parent


def test_wrong_kegiatan_is_named_and_its_program_points_at_it():
    rows = tree_rows()
    rows[3] = r("kegiatan", "2.17.01.2.01", "600", "750")  # subs say 700
    findings = [f for f in pemetaan(rows) if f.rule == "parent_sum"]
    # The kegiatan's sum fails; the program's printed sum of its kegiatan fails too (as the
    # documents' auditors count it), and its message names the subtotal that causes it.
    assert cells(errors(findings)) == {("parent_sum", 3, "pagu_sesudah"), ("parent_sum", 3, "selisih"),
                                       ("parent_sum", 2, "pagu_sesudah"), ("parent_sum", 2, "selisih")}
    program = [f for f in findings if f.row == 2]
    assert all("rows 3, reported there" in f.message for f in program)
    f = next(f for f in errors(findings) if f.column == "pagu_sesudah" and f.row == 3)
    assert (f.printed, f.expected) == ("750", "700")


def test_wrong_program_is_named():
    rows = tree_rows()
    rows[2] = r("program", "2.17.01", "1.000", "1.350")
    findings = errors(pemetaan(rows))
    assert ("parent_sum", 2, "pagu_sesudah") in cells(findings)
    assert not any(f.row in (3, 7) for f in findings)
    # the bidang and urusan above sum programs: they disagree with the wrong program but agree
    # with their leaves, so their findings name the program as the cause
    assert all("a subtotal below is wrong" in f.message for f in findings if f.row in (0, 1))


def test_wrong_leaf_makes_its_kegiatan_wrong():
    rows = tree_rows()
    rows[8] = r("sub_kegiatan", "2.17.01.2.02.01", "400", "650")
    assert ("parent_sum", 7, "pagu_sesudah") in cells(errors(pemetaan(rows)))


def test_nil_counts_as_zero():
    rows = [r("kegiatan", "2.17.01.2.05", "-", "2.500"),
            r("sub_kegiatan", "2.17.01.2.05.10", "-", "1.000"),
            dict(r("indicator", "", "-", "1.500"), uraian="")]
    assert errors(pemetaan(rows)) == []


def test_indicator_lines_repeating_their_amount_are_not_added_twice():
    rows = [r("kegiatan", "2.17.01.2.05", "100", "300"),
            r("sub_kegiatan", "2.17.01.2.05.01", "100", "300"),
            dict(r("indicator", "", "100", "300"), uraian=""),
            dict(r("indicator", "", "100", "300"), uraian="")]
    assert errors(pemetaan(rows)) == []


def test_empty_parent_cell_with_children_amounts():
    keys = ["kode", "pagu", "pagu_maju"]
    rows = [dict(level="bidang", kode="2.17", pagu="300"),   # bidang: no maju at all
            dict(level="program", kode="2.17.01", pagu="100", pagu_maju="50"),
            dict(level="kegiatan", kode="2.17.01.2.01", pagu="100", pagu_maju="50"),
            dict(level="sub_kegiatan", kode="2.17.01.2.01.01", pagu="100",
                 pagu_maju="50"),
            dict(level="program", kode="2.17.03", pagu="200"),  # left empty: wrong
            dict(level="kegiatan", kode="2.17.03.2.01", pagu="200", pagu_maju="64"),
            dict(level="sub_kegiatan", kode="2.17.03.2.01.01", pagu="200",
                 pagu_maju="64")]
    findings = validate_document(make_doc(make_table(rows, kind="rencana_program", keys=keys)))
    assert cells(errors(findings)) == {("parent_sum", 4, "pagu_maju")}
    f = errors(findings)[0]
    assert (f.printed, f.expected) == ("", "64")


def test_total_rows_sum_programs_above_or_below():
    keys = ["kode", "target_rp"]
    body = [dict(level="program", kode="2.17.01", target_rp="100"),
            dict(level="kegiatan", kode="2.17.01.2.01", target_rp="100"),
            dict(level="program", kode="2.17.03", target_rp="50"),
            dict(level="kegiatan", kode="2.17.03.2.01", target_rp="50")]
    header_total = [dict(level="total", target_rp="150"), *body]
    footer_total = [*body, dict(level="total", target_rp="150")]
    for rows in (header_total, footer_total):
        assert errors(validate_document(make_doc(make_table(rows, keys=keys)))) == []
    wrong = [*body, dict(level="total", target_rp="160")]
    assert cells(errors(validate_document(make_doc(make_table(wrong, keys=keys))))) == \
        {("parent_sum", 4, "target_rp")}


def test_lost_child_makes_the_sum_unverifiable():
    rows = tree_rows()
    rows[4] = dict(rows[4], pagu_sesudah="###")
    findings = [f for f in pemetaan(rows) if f.rule == "parent_sum"]
    assert errors(findings) == []
    assert any(f.row == 3 and f.severity == "warning" for f in findings)


# --------------------------------------------------------------------------- averages
AVG_KEYS = ["kode", "uraian", "target_k", "realisasi_k", "capaian_k", "target_renstra_k",
            "realisasi_renstra_k", "capaian_renstra_k"]


def program_block(avg_k: str, avg_renstra: str = "", predikat: str = "") -> list[dict]:
    return [
        dict(level="program", kode="2.17.01", uraian="PROGRAM X"),
        dict(level="kegiatan", kode="2.17.01.2.01", uraian="Kegiatan"),
        dict(level="sub_kegiatan", kode="2.17.01.2.01.01", target_k="10", realisasi_k="5",
             capaian_k="50,00", target_renstra_k="100", realisasi_renstra_k="50",
             capaian_renstra_k="50,00"),
        dict(level="indicator", target_k="0", realisasi_k="0", capaian_k="0,00",
             target_renstra_k="100", realisasi_renstra_k="100", capaian_renstra_k="100,00"),
        dict(level="sub_kegiatan", kode="2.17.01.2.01.02", target_k="3", realisasi_k="2",
             capaian_k="66,67", target_renstra_k="10", realisasi_renstra_k="2",
             capaian_renstra_k="20,00"),
        dict(level="average", uraian="Rata-rata capaian kinerja", capaian_k=avg_k,
             capaian_renstra_k=avg_renstra),
        dict(level="predikat", uraian="Predikat", capaian_k=predikat),
    ]


def averages(rows):
    findings = validate_document(make_doc(make_table(rows, keys=AVG_KEYS)))
    return [f for f in findings if f.rule in ("average", "predikat")]


@pytest.mark.parametrize("printed,ok", [
    ("58,34", True),   # mean of printed over rows with target > 0: (50 + 66,67) / 2 = 58,335
    ("58,33", True),   # truncated; also the mean of the unrounded ratios 58,3333
    ("38,89", True),   # mean over all three rows (the documents sometimes do)
    ("60,00", False),
])
def test_average_conventions(printed, ok):
    assert (averages(program_block(printed)) == []) == ok


def test_average_mixed_row_sets_are_flagged():
    # capaian_renstra_k: rows with target_k > 0 → (50 + 20) / 2 = 35; all rows → 56,67;
    # the "sum over all rows / count of rows with target > 0" slip gives 170 / 2 = 85
    assert averages(program_block("58,34", "35,00")) == []
    assert averages(program_block("58,34", "56,67")) == []
    found = averages(program_block("58,34", "85,00"))
    assert [(f.rule, f.row, f.column, f.severity, f.expected) for f in found] == \
        [("average", 5, "capaian_renstra_k", "error", "35,00")]


def test_total_average_covers_every_program():
    rows = program_block("58,34") + [
        dict(level="program", kode="2.17.03", uraian="PROGRAM Y"),
        dict(level="kegiatan", kode="2.17.03.2.01", uraian="Kegiatan"),
        dict(level="sub_kegiatan", kode="2.17.03.2.01.01", target_k="4", realisasi_k="4",
             capaian_k="100,00"),
        # program Y has no average of its own; the total covers it
        dict(level="average", uraian="Rata-rata capaian kinerja total", capaian_k="72,22"),
    ]
    assert averages(rows) == []
    rows[-1]["capaian_k"] = "58,34"
    assert cells(averages(rows)) == {("average", len(rows) - 1, "capaian_k")}


def test_lost_capaian_makes_an_average_a_warning():
    rows = program_block("70,00")
    rows[4]["capaian_k"] = "###"
    found = averages(rows)
    assert [(f.rule, f.severity) for f in found] == [("average", "warning")]


@pytest.mark.parametrize("avg,letter", [
    ("91,00", "ST"), ("120,50", "ST"), ("90,99", "T"), ("76,00", "T"), ("75,99", "S"),
    ("66,00", "S"), ("65,73", "R"), ("51,00", "R"), ("50,99", "SR"), ("0,00", "SR"),
])
def test_predikat_bands(avg, letter):
    assert band(Decimal(avg.replace(",", "."))) == letter
    rows = program_block("58,34", predikat=letter)
    rows[5]["capaian_k"] = avg
    found = [f for f in averages(rows) if f.rule == "predikat"]
    assert found == []
    wrong = "SR" if letter != "SR" else "ST"
    rows[6]["capaian_k"] = wrong
    found = [f for f in averages(rows) if f.rule == "predikat"]
    assert [(f.row, f.column, f.printed, f.expected) for f in found] == \
        [(6, "capaian_k", wrong, letter)]


def test_predikat_needs_its_average_right_above():
    rows = program_block("58,34", predikat="ST")
    rows.insert(6, dict(level="total", uraian="Jumlah"))
    assert averages(rows) == []


def test_leaked_column_number_row_is_not_checked():
    keys = ["kode", "target_k", "realisasi_k", "capaian_k"]
    table = make_table([dict(level="total", kode="Rata", target_k="7", realisasi_k="8",
                             capaian_k="9")], keys=keys)
    table.column_numbers = ["", "7", "8", "9"]
    assert validate_document(make_doc(table)) == []
    table.column_numbers = []
    assert errors(validate_document(make_doc(table)))


def test_predikat_words():
    assert predikat_letter("Sangat Tinggi") == "ST"
    assert predikat_letter(" sr ") == "SR"
    assert predikat_letter("(R)") == "R"
    assert predikat_letter("-") is None
