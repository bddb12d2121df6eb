"""validate: registry, row arithmetic (ratios, cumulative, quarters, selisih, jumlah), severity."""

from __future__ import annotations

import copy

import pytest

from renjana.models import BBox, CellSource
from renjana.validate import RULES, describe_rules, rules_markdown, validate_document
from renjana.validate.numbers import format_id, matches_printed, round_half_up
from renjana.validate.registry import TableView

try:
    from test_validate_helpers import cells, errors, make_doc, make_table, parse
except ImportError:  # tests/ made a package
    from tests.test_validate_helpers import cells, errors, make_doc, make_table, parse

PROGRAM = "PROGRAM PEMBERDAYAAN USAHA MENENGAH, USAHA KECIL, DAN USAHA MIKRO (UMKM)"
KEGIATAN = ("Pemberdayaan Usaha Mikro yang Dilakukan Melalui Pendataan, Kemitraan, Kemudahan "
            "Perijinan, Penguatan Kelembagaan dan Koordinasi dengan Para Pemangku Kepentingan")
SUB1 = "Pendataan Potensi dan Pengembangan Usaha Mikro"
SUB2 = "Pemberdayaan Melalui Kemitraan Usaha Mikro"

KEYS = ["kode", "uraian", "indikator", "target_renstra_k", "target_renstra_rp",
        "realisasi_lalu_k", "realisasi_lalu_rp", "target_k", "target_rp", "realisasi_k",
        "realisasi_rp", "capaian_k", "capaian_rp", "realisasi_renstra_k", "realisasi_renstra_rp",
        "capaian_renstra_k", "capaian_renstra_rp"]


def clean_evaluasi() -> list[dict]:
    """A consistent evaluasi table: every relation holds (incl. half-up ties and a zero target)."""
    money = dict(target_renstra_rp="12.000.000,00", realisasi_lalu_rp="3.000.000,00",
                 target_rp="4.500.000,00", realisasi_rp="1.250.000,00", capaian_rp="27,78",
                 realisasi_renstra_rp="4.250.000,00", capaian_renstra_rp="35,42")
    zero_k = dict(target_renstra_k="0 -", realisasi_lalu_k="0 -", target_k="0 -",
                  realisasi_k="0 -", capaian_k="0,00", realisasi_renstra_k="0 -",
                  capaian_renstra_k="0,00")
    return [
        dict(level="total", **money),
        dict(level="program", kode="2.17.07", uraian=PROGRAM, indikator="Persentase UMKM",
             target_renstra_k="100 %", realisasi_lalu_k="50 %", target_k="100 %",
             realisasi_k="40 %", capaian_k="40,00", realisasi_renstra_k="90 %",
             capaian_renstra_k="90,00", **money),
        dict(level="kegiatan", kode="2.17.07.2.01", uraian=KEGIATAN, indikator="-",
             **zero_k, **money),
        dict(level="sub_kegiatan", kode="2.17.07.2.01.01", uraian=SUB1, indikator="Jumlah UMKM",
             target_renstra_k="200 Orang", target_renstra_rp="5.000.000,00",
             realisasi_lalu_k="100 Orang", realisasi_lalu_rp="2.000.000,00",
             target_k="80 Orang", target_rp="1.000.000,00", realisasi_k="42,5 Orang",
             realisasi_rp="250.000,00", capaian_k="53,13", capaian_rp="25,00",
             realisasi_renstra_k="142,5 Orang", realisasi_renstra_rp="2.250.000,00",
             capaian_renstra_k="71,25", capaian_renstra_rp="45,00"),
        dict(level="sub_kegiatan", kode="2.17.07.2.01.02", uraian=SUB2, indikator="Jumlah dokumen",
             target_renstra_k="100 Dokumen", target_renstra_rp="6.000.000,00",
             realisasi_lalu_k="10 Dokumen", realisasi_lalu_rp="1.000.000,00",
             target_k="80 Dokumen", target_rp="3.000.000,00", realisasi_k="0,5 Dokumen",
             realisasi_rp="1.000.000,00", capaian_k="0,63", capaian_rp="33,33",
             realisasi_renstra_k="10,5 Dokumen", realisasi_renstra_rp="2.000.000,00",
             capaian_renstra_k="10,50", capaian_renstra_rp="33,33"),
        dict(level="indicator", indikator="Jumlah pameran", target_renstra_k="2 Kali",
             target_renstra_rp="1.000.000,00", realisasi_lalu_k="0 Kali",
             realisasi_lalu_rp="0,00", target_k="0 Kali", target_rp="500.000,00",
             realisasi_k="0 Kali", realisasi_rp="0,00", capaian_k="0,00", capaian_rp="0,00",
             realisasi_renstra_k="0 Kali", realisasi_renstra_rp="0,00",
             capaian_renstra_k="0,00", capaian_renstra_rp="0,00"),
        dict(level="average", kode="Rata-rata capaian kinerja (%)", capaian_k="26,88",
             capaian_rp="19,44", capaian_renstra_k="40,88", capaian_renstra_rp="26,11"),
        dict(level="predikat", kode="Predikat kinerja", capaian_k="SR", capaian_rp="SR",
             capaian_renstra_k="SR", capaian_renstra_rp="SR"),
    ]


def run(rows, kind="evaluasi_renja", keys=KEYS, **kw):
    return validate_document(make_doc(make_table(rows, kind=kind, keys=keys, **kw)))


def planted(row: int, key: str, text: str) -> list[dict]:
    rows = clean_evaluasi()
    rows[row][key] = text
    return rows


# --------------------------------------------------------------------------- no false alarms
def test_clean_table_has_no_findings():
    findings = run(clean_evaluasi())
    assert [f for f in findings if f.severity != "info"] == []


def test_clean_table_with_parents_given_has_no_findings():
    rows = clean_evaluasi()
    for i, parent in {2: 1, 3: 2, 4: 2, 5: 4}.items():
        rows[i]["parent"] = parent
    assert [f for f in run(rows) if f.severity != "info"] == []


def test_rules_never_change_values():
    doc = make_doc(make_table(planted(3, "capaian_k", "99,99"), keys=KEYS))
    before = copy.deepcopy(doc.model_dump())
    assert validate_document(doc)
    assert doc.model_dump() == before


# --------------------------------------------------------------------------- planted errors
@pytest.mark.parametrize("row,key,text,expected", [
    (3, "capaian_k", "53,14", {("capaian_k", 3, "capaian_k")}),
    (4, "capaian_rp", "33,34", {("capaian_rp", 4, "capaian_rp")}),
    (3, "capaian_renstra_rp", "45,10", {("capaian_renstra_rp", 3, "capaian_renstra_rp")}),
    (4, "capaian_renstra_k", "105,00", {("capaian_renstra_k", 4, "capaian_renstra_k")}),
    (3, "realisasi_renstra_k", "142 Orang", {("realisasi_renstra_k", 3, "realisasi_renstra_k"),
                                              ("capaian_renstra_k", 3, "capaian_renstra_k")}),
    (1, "capaian_renstra_k", "0,00", {("capaian_renstra_k", 1, "capaian_renstra_k")}),
    (0, "capaian_rp", "72,22", {("capaian_rp", 0, "capaian_rp")}),
    (6, "capaian_rp", "25,00", {("average", 6, "capaian_rp")}),
    (7, "capaian_k", "R", {("predikat", 7, "capaian_k")}),
])
def test_planted_error_found_on_its_cell(row, key, text, expected):
    findings = run(planted(row, key, text))
    assert cells(errors(findings)) == expected
    f = errors(findings)[0]
    assert f.table == "t1" and f.printed == text and f.expected and f.message


def test_ratio_finding_carries_printed_and_expected():
    f = errors(run(planted(3, "capaian_k", "50,00")))[0]
    assert (f.rule, f.row, f.column, f.printed, f.expected) == \
        ("capaian_k", 3, "capaian_k", "50,00", "53,13")
    assert "42,5 Orang / 80 Orang" in f.message


def test_realisasi_renstra_rp_wrong_on_a_leaf():
    findings = run(planted(3, "realisasi_renstra_rp", "2.350.000,00"))
    # the cumulative relation and the capaian on that row break; the kegiatan above still adds
    # up to the printed leaves only if it is changed too: here it is not, so it is flagged.
    assert ("realisasi_renstra_rp", 3, "realisasi_renstra_rp") in cells(errors(findings))
    assert ("capaian_renstra_rp", 3, "capaian_renstra_rp") in cells(errors(findings))
    assert ("parent_sum", 2, "realisasi_renstra_rp") in cells(errors(findings))


# --------------------------------------------------------------------------- rounding
@pytest.mark.parametrize("num,den,printed,ok", [
    ("42,5", "80", "53,13", True),   # 53,125 → half up
    ("42,5", "80", "53,12", True),   # truncation accepted
    ("0,5", "80", "0,63", True),     # 0,625 → half up (banker's rounding would say 0,62)
    ("0,5", "80", "0,62", True),     # truncation
    ("43", "85", "50,00", False),    # 50,5882
    ("43", "85", "50,59", True),
    ("43", "85", "50,6", True),      # one printed decimal
    ("1", "3", "33", True),          # no decimals printed
    ("2", "3", "66,67", True),
    ("2", "3", "66,66", True),
    ("2", "3", "66,65", False),
])
def test_half_up_and_truncation(num, den, printed, ok):
    rows = [dict(level="sub_kegiatan", target_k=den, realisasi_k=num, capaian_k=printed)]
    found = errors(run(rows, keys=["target_k", "realisasi_k", "capaian_k"]))
    assert (found == []) == ok


def test_decimal_helpers():
    from decimal import Decimal
    assert round_half_up(Decimal("53.125"), 2) == Decimal("53.13")
    assert round_half_up(Decimal("0.625"), 2) == Decimal("0.63")
    assert round_half_up(Decimal("-0.625"), 2) == Decimal("-0.63")
    assert matches_printed(Decimal("53.125"), parse("53,13", "percent"))
    assert format_id(Decimal("-2699296400"), 2) == "-2.699.296.400,00"
    assert format_id(Decimal("11"), 0, "Buku") == "11 Buku"
    assert format_id(Decimal("63.28"), 2, "%") == "63,28 %"


def test_percent_values_parse_and_divide():
    rows = [dict(level="program", target_k="100 %", realisasi_k="63,28 %", capaian_k="63,28"),
            dict(level="program", target_k="100%", realisasi_k="48.88 %", capaian_k="48,88")]
    assert errors(run(rows, keys=["target_k", "realisasi_k", "capaian_k"])) == []


# --------------------------------------------------------------------------- conventions
def test_zero_target_printed_zero_is_consistent():
    rows = [dict(level="sub_kegiatan", target_rp="0,00", realisasi_rp="2.086.230.185,00",
                 capaian_rp="0,00"),
            dict(level="kegiatan", target_k="0 -", realisasi_k="44,78 %", capaian_k="0,00"),
            dict(level="sub_kegiatan", target_rp="-", realisasi_rp="-", capaian_rp="0,00")]
    findings = run(rows, keys=["target_k", "realisasi_k", "capaian_k", "target_rp",
                               "realisasi_rp", "capaian_rp"])
    assert findings == []


def test_zero_target_with_a_value_is_a_warning_not_an_error():
    rows = [dict(level="sub_kegiatan", target_rp="0,00", realisasi_rp="10,00",
                 capaian_rp="100,00")]
    findings = run(rows, keys=["target_rp", "realisasi_rp", "capaian_rp"])
    assert [(f.rule, f.severity) for f in findings] == [("capaian_rp", "warning")]


def test_k_units_must_agree():
    keys = ["target_k", "realisasi_k", "capaian_k"]
    # different units: not comparable, skipped even though 5/10 is not 99
    assert run([dict(level="sub_kegiatan", target_k="10 Laporan", realisasi_k="5 Dokumen",
                     capaian_k="99,00")], keys=keys) == []
    # a % against a unit-less or united value is compared
    assert cells(errors(run([dict(level="sub_kegiatan", target_k="10 %", realisasi_k="5",
                                  capaian_k="99,00")], keys=keys))) == \
        {("capaian_k", 0, "capaian_k")}
    # unit case and spelling of percent do not matter
    assert run([dict(level="sub_kegiatan", target_k="10 orang", realisasi_k="5 Orang",
                     capaian_k="50,00")], keys=keys) == []
    assert run([dict(level="sub_kegiatan", target_k="100 persen", realisasi_k="50 %",
                     capaian_k="50,00")], keys=keys) == []


def test_cumulative_k_adds_percentages():
    keys = ["realisasi_lalu_k", "realisasi_k", "realisasi_renstra_k"]
    assert run([dict(level="program", realisasi_lalu_k="97,99 %", realisasi_k="63,28 %",
                     realisasi_renstra_k="161,27 %")], keys=keys) == []
    assert run([dict(level="kegiatan", realisasi_lalu_k="0 -", realisasi_k="0 -",
                     realisasi_renstra_k="0 -")], keys=keys) == []
    f = errors(run([dict(level="sub_kegiatan", realisasi_lalu_k="8 Buku", realisasi_k="3 Buku",
                         realisasi_renstra_k="8 Buku")], keys=keys))
    assert [(x.rule, x.printed, x.expected) for x in f] == \
        [("realisasi_renstra_k", "8 Buku", "11 Buku")]


# --------------------------------------------------------------------------- unverifiable
def test_lost_value_is_a_warning_never_an_error():
    keys = ["target_rp", "realisasi_rp", "capaian_rp"]
    findings = run([dict(level="sub_kegiatan", target_rp="100,00", realisasi_rp="###",
                         capaian_rp="12,00"),
                    dict(level="sub_kegiatan", target_rp="100,00", realisasi_rp="50,00",
                         capaian_rp="###")], keys=keys)
    assert errors(findings) == []
    assert {(f.rule, f.row, f.severity) for f in findings} == \
        {("capaian_rp", 0, "warning"), ("capaian_rp", 1, "warning")}
    assert all("cannot be verified" in f.message for f in findings)


def test_low_confidence_cell_makes_a_mismatch_a_warning():
    keys = ["target_rp", "realisasi_rp", "capaian_rp"]
    rows = [dict(level="sub_kegiatan", target_rp="100,00", realisasi_rp="60,00",
                 capaian_rp="50,00")]
    assert [f.severity for f in run(rows, keys=keys)] == ["error"]
    unsure = run(rows, keys=keys, low_confidence={(0, "realisasi_rp"): 0.6})
    assert [(f.rule, f.severity) for f in unsure] == [("capaian_rp", "warning")]
    assert "low confidence" in unsure[0].message


def test_finding_points_at_page_and_bbox():
    table = make_table([dict(level="sub_kegiatan", target_rp="100,00", realisasi_rp="60,00",
                             capaian_rp="50,00", page=4)],
                       keys=["target_rp", "realisasi_rp", "capaian_rp"])
    box = BBox(x0=10, top=20, x1=60, bottom=30)
    table.rows[0].sources[2] = CellSource(page=5, bbox=box)
    f = validate_document(make_doc(table))[0]
    assert (f.page, f.bbox) == (5, box)
    table.rows[0].sources = []
    f = validate_document(make_doc(table))[0]
    assert (f.page, f.bbox) == (4, None)


# --------------------------------------------------------------------------- other row sums
def test_selisih_and_nil():
    keys = ["kode", "pagu_sebelum", "pagu_sesudah", "selisih"]
    rows = [dict(level="sub_kegiatan", pagu_sebelum="-", pagu_sesudah="1.000.000,00",
                 selisih="1.000.000,00"),
            dict(level="sub_kegiatan", pagu_sebelum="420.000.018,00",
                 pagu_sesudah="420.000.000,00", selisih="(18,00)"),
            dict(level="sub_kegiatan", pagu_sebelum="7.429.000,00", pagu_sesudah="4.206.000,00",
                 selisih="-3.223.000,00"),
            dict(level="sub_kegiatan", pagu_sebelum="0,00", pagu_sesudah="0,00", selisih="-"),
            dict(level="sub_kegiatan", pagu_sebelum="7.429.000,00", pagu_sesudah="4.206.000,00",
                 selisih="3.223.000,00")]
    findings = run(rows, kind="pemetaan_perubahan", keys=keys)
    assert [(f.rule, f.row, f.column, f.expected) for f in findings] == \
        [("selisih", 4, "selisih", "-3.223.000,00")]


def test_jumlah():
    keys = ["pagu", "tambahan", "jumlah"]
    rows = [dict(level="sub_kegiatan", pagu="48.622.104", tambahan="(5.155.000)",
                 jumlah="43.467.104"),
            dict(level="sub_kegiatan", pagu="147.310.000", tambahan="-",
                 jumlah="147.310.000"),
            dict(level="sub_kegiatan", pagu="147.310.000", tambahan="1.000",
                 jumlah="147.310.000")]
    findings = run(rows, kind="rencana_program", keys=keys)
    assert [(f.rule, f.row, f.expected) for f in findings] == [("jumlah", 2, "147.311.000")]


def test_sum_of_quarters():
    keys = ["realisasi_tw1_rp", "realisasi_tw2_rp", "realisasi_tw3_rp", "realisasi_tw4_rp",
            "realisasi_rp"]
    rows = [dict(level="sub_kegiatan", realisasi_tw1_rp="100,00", realisasi_tw2_rp="50,00",
                 realisasi_rp="150,00"),
            dict(level="sub_kegiatan", realisasi_tw1_rp="100,00", realisasi_tw2_rp="50,00",
                 realisasi_tw3_rp="-", realisasi_tw4_rp="10,00", realisasi_rp="150,00")]
    findings = run(rows, keys=keys)
    assert [(f.rule, f.row, f.column, f.expected) for f in findings] == \
        [("realisasi_quarters_rp", 1, "realisasi_rp", "160,00")]


def test_quarters_k_skip_percentages():
    keys = ["realisasi_tw1_k", "realisasi_tw2_k", "realisasi_k"]
    rows = [dict(level="sub_kegiatan", realisasi_tw1_k="25 %", realisasi_tw2_k="50 %",
                 realisasi_k="50 %"),
            dict(level="sub_kegiatan", realisasi_tw1_k="2 Dokumen", realisasi_tw2_k="1 Dokumen",
                 realisasi_k="2 Dokumen")]
    assert cells(run(rows, keys=keys)) == {("realisasi_quarters_k", 1, "realisasi_k")}


def test_single_quarter_column_stands_for_realisasi():
    keys = ["target_k", "realisasi_tw2_k", "capaian_k"]
    rows = [dict(level="sub_kegiatan", target_k="28", realisasi_tw2_k="14", capaian_k="53,30")]
    assert cells(errors(run(rows, keys=keys))) == {("capaian_k", 0, "capaian_k")}


# --------------------------------------------------------------------------- registry
def test_registry_describes_every_rule():
    described = describe_rules()
    ids = [d["id"] for d in described]
    assert len(ids) == len(set(ids)) == len(RULES)
    for expected in ("capaian_k", "capaian_rp", "capaian_renstra_k", "capaian_renstra_rp",
                     "realisasi_renstra_k", "realisasi_renstra_rp", "realisasi_quarters_k",
                     "realisasi_quarters_rp", "selisih", "jumlah", "parent_sum", "average",
                     "predikat", "code_level", "code_prefix", "code_unique", "code_format",
                     "code_trailing_dot", "nomenclature", "xtab_pagu", "xtab_target_k"):
        assert expected in ids
    by_id = {d["id"]: d for d in described}
    assert by_id["capaian_k"]["reads"] == ["capaian_k", "realisasi_k", "target_k"]
    assert by_id["selisih"]["category"] == "arithmetic"
    assert by_id["code_prefix"]["category"] == "structure"
    assert by_id["nomenclature"]["category"] == "nomenclature"
    assert by_id["xtab_pagu"]["scope"] == "document"
    assert all(d["doc"] for d in described)
    assert "| `parent_sum` |" in rules_markdown()


def test_rules_md_is_up_to_date():
    from pathlib import Path

    import renjana.validate as package
    from renjana.validate.__main__ import HEADER
    path = Path(package.__file__).with_name("RULES.md")
    assert path.read_text("utf-8").strip() == (HEADER + rules_markdown()).strip(), \
        "regenerate with: python -m renjana.validate > validate/RULES.md"


def test_rule_skipped_for_table_without_its_columns_or_kind():
    by_id = {r.id: r for r in RULES}
    view = TableView(make_table([dict(level="sub_kegiatan", target_rp="1", realisasi_rp="1")],
                                keys=["target_rp", "realisasi_rp"]))
    assert not by_id["capaian_rp"].applies_to(view)
    assert by_id["parent_sum"].applies_to(view)
    tujuan = TableView(make_table([dict(level="other", satuan="%", target_sebelum_k="6,1",
                                        target_sesudah_k="6,1")], kind="tujuan_sasaran"))
    assert not by_id["parent_sum"].applies_to(tujuan)


def test_rule_decorator_rejects_duplicates_and_unknown_categories():
    from renjana.validate.registry import rule
    with pytest.raises(ValueError):
        rule("capaian_k")(lambda view: [])
    with pytest.raises(ValueError):
        rule("new_rule", category="nonsense")


@pytest.mark.parametrize("confidence, alternatives, repair", [
    (0.987, ["-3.223.000,00"], "RapidOCR read '-3.223.000,00' where Tesseract read '3.223.000,00'"),
    (0.6, None, "1 mark(s) in the cell not read by OCR, at (606, 488) pt: the reading may lack a character"),
    (0.8, None, "OCR read '3.223.000.00', not a valid number; one edit by the number grammar gives '3.223.000,00'"),
])
def test_failed_relation_on_a_doubtful_ocr_cell_is_a_possible_misread(confidence, alternatives, repair):
    keys = ["kode", "pagu_sebelum", "pagu_sesudah", "selisih"]
    rows = [dict(level="sub_kegiatan", pagu_sebelum="7.429.000,00", pagu_sesudah="4.206.000,00",
                 selisih="3.223.000,00")]
    table = make_table(rows, kind="pemetaan_perubahan", keys=keys)
    assert [f.severity for f in validate_document(make_doc(table))] == ["error"]
    box = BBox(x0=10, top=20, x1=60, bottom=30)
    # Read surely by OCR: still proof.
    table.rows[0].sources[3] = CellSource(page=1, bbox=box, source="ocr", confidence=0.99)
    assert [f.severity for f in validate_document(make_doc(table))] == ["error"]
    table.rows[0].sources[3] = CellSource(page=1, bbox=box, source="ocr", confidence=confidence,
                                          alternatives=alternatives, repair=repair)
    findings = validate_document(make_doc(table))
    assert [(f.rule, f.severity) for f in findings] == [("selisih", "warning")]
    message = findings[0].message
    assert "possible misread" in message and "'3.223.000,00'" in message and repair in message
    for alternative in alternatives or []:
        assert f"'{alternative}'" in message


def test_an_error_on_a_damaged_page_is_a_warning_saying_why():
    """``error`` means every cell was read with confidence: on a page the reader lists as damaged
    (partly read, fonts or content damaged) an error becomes a warning naming the damage; errors
    on the file's sound pages stand."""
    from types import SimpleNamespace

    from renjana.models import Finding, UnreadPage
    from renjana.validate import _unproved_on_damaged_pages

    doc = SimpleNamespace(source=SimpleNamespace(unread_pages=[
        UnreadPage(page=2, status="unreadable", reason="partly read: its content is damaged"),
        UnreadPage(page=3, status="ocr", reason="no text layer: read by OCR")]))
    findings = [Finding(rule="capaian", severity="error", table="t1", row=r, message="wrong", page=page)
                for r, page in enumerate((1, 2, 3))]
    out = _unproved_on_damaged_pages(findings, doc)
    assert [f.severity for f in out] == ["error", "warning", "error"]
    assert out[1].message == "wrong (not proved: page 2 is damaged: partly read: its content is damaged)"
