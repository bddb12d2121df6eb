"""Row levels from all the evidence: code grammars inferred from a table's own codes, level words,
the account kinds' conventions, totals and agency blocks, a kode printed across several cells.
Tables are built here row by row (the level decision reads only cell texts and column keys)."""

from __future__ import annotations

import pytest

from renjana.models import Row
from renjana.normalize.codes import infer_grammar, join_kode_cells, leading_kode, parse_kode, scheme_of
from renjana.normalize.hierarchy import assign_levels
from renjana.normalize.level_words import opening_word


def table(keys: list[str], body: list[list[str]], kind: str = "rencana_program") -> list[Row]:
    rows = [Row(cells=list(cells), page=1) for cells in body]
    assign_levels(rows, keys, kind)
    return rows


def levels(rows: list[Row]) -> list[str]:
    return [r.level for r in rows]


# --------------------------------------------------------------------------- reading a kode
@pytest.mark.parametrize("text, segments", [
    ("4.02.03", ("4", "02", "03")),
    ("4.02.03.", ("4", "02", "03")),          # trailing dot
    ("412,05", ("412", "05")),                 # a stray comma for a dot
    ("X.XX.02.1.07", ("X", "XX", "02", "1", "07")),  # placeholder urusan/bidang
    ("6.2.01 .03", ("6", "2", "01", "03")),    # broken over two lines
])
def test_parse_kode(text, segments):
    assert parse_kode(text).segments == segments


@pytest.mark.parametrize("text", ["", "X", "12 Paket", "Rp 5.000", "abc", "4..1"])
def test_not_a_kode(text):
    assert parse_kode(text) is None


def test_kode_across_cells_is_one_kode():
    kode = join_kode_cells(["3", "05", "02"])
    assert kode.printed == "3.05.02" and kode.depth == 3
    assert join_kode_cells(["3", "05", ""]).printed == "3.05"
    assert join_kode_cells(["", "", ""]) is None
    assert join_kode_cells(["3", "Kegiatan", ""]) is None


def test_kode_opening_a_merged_label():
    kode, name = leading_kode("4.09 URUSAN PEMERINTAHAN BIDANG CONTOH")
    assert kode.printed == "4.09" and name == "URUSAN PEMERINTAHAN BIDANG CONTOH"
    assert leading_kode("12 Paket bantuan") is None  # a lone number is not a kode


# --------------------------------------------------------------------------- grammars
def kodes(*texts):
    return [parse_kode(t) for t in texts]


def test_scheme_permendagri90_inferred():
    g = infer_grammar(kodes("4", "4.09", "4.09.03", "4.09.03.2.05", "4.09.03.2.05.0011"), [])
    assert g.scheme == "permendagri90"
    assert [g.level(k) for k in kodes("4", "4.09", "4.09.03", "4.09.03.2.05", "4.09.03.2.05.0011")] == \
        ["urusan", "bidang", "program", "kegiatan", "sub_kegiatan"]


def test_scheme_local_fused_urusan_inferred():
    g = infer_grammar(kodes("412", "412.07", "412.07.031", "412.07.032", "509.02"), [])
    assert g.scheme == "local"
    assert [g.level(k) for k in kodes("509", "509.02", "509.02.004")] == ["urusan", "program", "kegiatan"]


def test_scheme_2006_inferred():
    g = infer_grammar(kodes("1", "1.12", "1.12.05", "1.12.05.07", "1.12.05.08"), [])
    assert g.scheme == "permendagri13"
    assert g.level(parse_kode("1.12.05.07")) == "kegiatan"


def test_scheme_accounts_inferred():
    assert scheme_of(infer_grammar(kodes("6", "6.2", "6.2.01", "6.2.01.03.02.0007"), []).widths) == "account"


def test_level_words_override_the_scheme_for_a_depth():
    # An unknown scheme: the names say depth 2 holds programs and depth 3 kegiatan.
    g = infer_grammar(kodes("7.1", "7.1.4", "7.2", "7.2.1"),
                      [(2, "program"), (2, "program"), (3, "kegiatan"), (3, "kegiatan")])
    assert g.level(parse_kode("7.3")) == "program"
    assert g.level(parse_kode("7.3.9")) == "kegiatan"
    assert g.evidence[2] == "code+words"


# --------------------------------------------------------------------------- whole tables
KEYS = ["kode", "uraian", "target", "pagu"]


def test_local_scheme_table():
    rows = table(KEYS, [
        ["412", "URUSAN WAJIB CONTOH SATU", "", "900"],
        ["412.07", "Program Penataan Contoh", "90 %", "600"],
        ["412.07.031", "Penyediaan barang contoh", "12 Bulan", "400"],
        ["412.07.032", "Pemeliharaan alat contoh", "2 Unit", "200"],
        ["", "JUMLAH URUSAN WAJIB CONTOH SATU", "", "900"],
    ])
    assert levels(rows) == ["urusan", "program", "kegiatan", "kegiatan", "total"]
    assert [r.parent for r in rows] == [None, 0, 1, 1, None]
    assert rows[1].level_source == "code:local+words" and rows[1].level_confidence == 1.0


def test_permendagri90_table_with_placeholder_and_agency_blocks():
    keys = ["kode", "uraian", "indikator", "target_k", "pagu"]
    rows = table(keys, [
        ["", "DINAS CONTOH PERTAMA", "", "", ""],
        ["X.XX.01", "PROGRAM PENUNJANG CONTOH", "Persentase contoh", "80 %", "500"],
        ["X.XX.01.2.03", "Kegiatan Contoh Administrasi", "Jumlah contoh", "3 Laporan", "500"],
        ["", "JUMLAH DINAS CONTOH PERTAMA", "", "", "500"],
        ["", "TOTAL", "", "", "500"],
    ])
    assert levels(rows) == ["section", "program", "kegiatan", "total", "total"]
    assert rows[0].level_source == "words:agency"


def test_level_words_without_kode_any_case():
    rows = table(KEYS, [
        ["", "PROGRAM CONTOH PERTAMA", "", "700"],
        ["", "Kegiatan contoh kedua", "", "700"],
        ["", "sub kegiatan contoh ketiga", "1 Paket", "700"],
        ["", "Urusan Pemerintahan Bidang Contoh", "", "700"],
    ])
    assert levels(rows) == ["program", "kegiatan", "sub_kegiatan", "bidang"]
    assert all(r.level_source == "words" for r in rows)


def test_kode_and_words_disagree_lowers_the_confidence():
    rows = table(KEYS, [
        ["4.09.03", "PROGRAM CONTOH", "", "5"],
        ["4.09.03.2.05", "Sub Kegiatan contoh yang salah kode", "", "5"],
        ["4.09.03.2.06", "Kegiatan contoh lain", "", "5"],
    ])
    assert rows[1].level == "kegiatan" and rows[1].level_confidence < 0.9
    assert "words say sub_kegiatan" in rows[1].level_source
    assert rows[2].level_confidence == 1.0


def test_multi_cell_kode_table():
    keys = ["kode", "kode_2", "kode_3", "uraian", "pagu"]
    rows = table(keys, [
        ["4", "", "", "URUSAN CONTOH", "9"],
        ["4", "09", "", "URUSAN PEMERINTAHAN BIDANG CONTOH", "9"],
        ["4", "09", "03", "PROGRAM CONTOH", "9"],
    ])
    assert levels(rows) == ["urusan", "bidang", "program"]
    assert [r.kode for r in rows] == ["4", "4.09", "4.09.03"]


def test_section_row_merged_over_kode_and_name():
    keys = ["no", "kode", "uraian", "indikator", "target_k"]
    rows = table(keys, [
        ["4.09 URUSAN PEMERINTAHAN BIDANG CONTOH", "", "", "", ""],
        ["1", "4.09.03", "PROGRAM CONTOH", "Persentase contoh", "80 %"],
        ["JUMLAH", "", "", "", ""],
    ], kind="evaluasi_renja")
    assert levels(rows) == ["bidang", "program", "total"]
    assert rows[1].parent == 0


# --------------------------------------------------------------------------- account tables
def test_rincian_belanja_conventions():
    keys = ["kode", "uraian", "koefisien", "satuan", "harga", "ppn", "jumlah"]
    rows = table(keys, [
        ["6", "BELANJA CONTOH", "", "", "", "", "300"],
        ["6.2", "BELANJA CONTOH OPERASI", "", "", "", "", "300"],
        ["6.2.01.03.02.0007", "Belanja Contoh Bahan", "", "", "", "", "300"],
        ["", "[#] Paket Contoh", "", "", "", "", "300"],
        ["", "[-] Rapat Contoh", "", "", "", "", "300"],
        ["", "Kertas Contoh", "3 Rim x 1 Kegiatan", "Rim", "100", "0%", "300"],
        ["", "JUMLAH", "", "", "", "", "300"],
    ], kind="rincian_belanja")
    assert levels(rows) == ["section", "section", "section", "section", "section", "other", "total"]


def test_lra_group_and_leaf_accounts_kind_from_codes_alone():
    keys = ["kode", "uraian", "anggaran", "realisasi", "persen", "lebih_kurang"]
    body = [
        ["6", "PENDAPATAN CONTOH", "10", "9", "90,00", "1"],
        ["6.1", "PENDAPATAN CONTOH ASLI", "10", "9", "90,00", "1"],
        ["6.1.03", "Retribusi Contoh", "6", "5", "83,33", "1"],
        ["6.1.04", "Lain-lain Contoh", "4", "4", "100,00", "0"],
        ["", "JUMLAH PENDAPATAN CONTOH", "10", "9", "90,00", "1"],
        ["", "SURPLUS/(DEFISIT)", "(1)", "(2)", "", ""],
    ]
    expected = ["section", "section", "other", "other", "total", "total"]
    assert levels(table(keys, body, kind="realisasi_anggaran")) == expected
    # The same table before its kind is known: the codes' grammar says accounts.
    assert levels(table(keys, body, kind="other")) == expected


def test_account_name_column_found_by_content():
    # Columns keyed by position only: the name column is the wordy one right of the kode.
    rows = table(["kode", "col2", "col3"], [
        ["6", "BELANJA CONTOH", "10"],
        ["6.2", "Belanja Contoh Rinci", "10"],
    ], kind="other")
    assert levels(rows) == ["section", "other"]


# --------------------------------------------------------------------------- words
@pytest.mark.parametrize("text, category", [
    ("JUMLAH URUSAN CONTOH", "total"),
    ("Grand Total", "total"),
    ("J U M L A H", "total"),
    ("Rata-rata capaian", "average"),
    ("[#] Paket", "group"),
    ("DINAS CONTOH", "agency"),
    ("Dinas contoh dalam kalimat", None),   # agency words count only in capitals
    ("Programmer contoh", None),           # a phrase ends at a word boundary
    ("URUSAN PEMERINTAHAN BIDANG CONTOH", "bidang"),
])
def test_opening_words(text, category):
    assert opening_word(text) == category
