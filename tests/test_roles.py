"""Column roles, keys, number-row relations and table kinds, on header stacks built here."""

from __future__ import annotations

import pytest

from renjana.normalize.columns import assign_columns, label_key, render_doc
from renjana.normalize.header import header_tail, is_formula_tail, is_unit_row
from renjana.normalize.kinds import table_kind
from renjana.normalize.relations import numbers_from_labels, parse_items, relations, split_fused
from renjana.normalize.roles import label_measure, label_period, label_phase, label_unit, path_roles


def keys(stacks, samples=None, numbers=None):
    samples = samples or [[] for _ in stacks]
    columns, collisions, _ = assign_columns(stacks, samples, numbers)
    return [c.key for c in columns], collisions


# -- measures -----------------------------------------------------------------------------

@pytest.mark.parametrize("label, measure", [
    ("Realisasi Capaian Kinerja dan Anggaran", "realisasi"),       # first term printed wins
    ("Tingkat Capaian Kinerja dan Realisasi Anggaran (%)", "capaian"),
    ("TINGKAT REALISASI", "capaian"),
    ("Target Capaian Kinerja", "target"),
    ("Kebutuhan Dana / Pagu Indikatif", "pagu"),
    ("Anggaran Tahun 2030 (Rp)", "pagu"),
    ("Alokasi", "pagu"),
    ("Kebutuhan Tambahan Anggaran", "tambahan"),
    ("Selisih (+/-)", "selisih"),
    ("Lebih/(Kurang)", "lebih_kurang"),
    ("Lebih (Kurang)", "lebih_kurang"),
    ("Jumlah", "jumlah"),
    ("Koefisien", "koefisien"),
    ("Harga", "harga"),
    ("PPN", "ppn"),
    ("Satuan", "satuan"),
    ("Lokasi", "lokasi"),
    ("Sumber Dana", "sumber_dana"),
    ("Perangkat Daerah Penanggung Jawab", "opd"),
    ("OPD", "opd"),
    ("Kondisi Kinerja pada Akhir Periode", "kondisi_akhir"),
    ("Kondisi Awal", "kondisi_awal"),
    ("Ket.", "keterangan"),
    ("Catatan Penting", "catatan"),
    ("Indikator Kinerja Program (outcome)", "indikator"),
    ("Urusan/Bidang Urusan/Program/Kegiatan", "uraian"),
    ("Kode Rekening", "kode"),
    ("No.", "no"),
    ("Warna Favorit", None),
])
def test_measure_of_a_label(label, measure):
    assert label_measure(label) == measure


@pytest.mark.parametrize("label, period", [
    ("Triwulan III", "tw3"), ("TW IV", "tw4"), ("Triwulan 2", "tw2"),
    ("Realisasi s/d Triwulan II", None),            # a running total, not a quarter
    ("Realisasi s/d Tahun Lalu (2030)", "lalu"),
    ("Prakiraan Maju Tahun 2031", "maju"),
    ("Target RPJMD (periode)", "renstra"),
    ("Target Renstra PD", "renstra"),
    ("Target Tahun Berjalan", None),
])
def test_period_of_a_label(label, period):
    assert label_period(label) == period


@pytest.mark.parametrize("label, phase", [
    ("Sebelum Perubahan", "sebelum"), ("Semula", "sebelum"), ("Murni", "sebelum"),
    ("Setelah Perubahan", "sesudah"), ("Sesudah", "sesudah"), ("Menjadi", "sesudah"),
    ("Perubahan", "sesudah"), ("P-APBD", "sesudah"), ("Target", None),
])
def test_phase_of_a_label(label, phase):
    assert label_phase(label) == phase


@pytest.mark.parametrize("label, unit", [
    ("K", "k"), ("Rp", "rp"), ("Rp.", "rp"), ("(Rp)", "rp"), ("%", "pct"),
    ("Pagu (Rp)", "rp"), ("K Rp", None), ("Target", None),
])
def test_unit_of_a_label(label, unit):
    assert label_unit(label) == unit


def test_deepest_label_naming_a_measure_wins_and_parents_give_unit():
    roles = path_roles(["PAGU (Rp)", "TARGET"])
    assert (roles.measure, roles.unit) == ("target", "rp")
    roles = path_roles(["Realisasi Kinerja Pada Triwulan", "Triwulan III", "Rp"])
    assert (roles.measure, roles.period, roles.unit) == ("realisasi", "tw3", "rp")


# -- keys ---------------------------------------------------------------------------------

def test_evaluation_form_with_quarters():
    stacks = [["Kode"], ["Program/Kegiatan"], ["Indikator"]]
    stacks += [["Target Renstra pada Tahun 2030", u] for u in ("K", "Rp")]
    stacks += [["Realisasi Renstra sampai dengan Tahun 2027", u] for u in ("K", "Rp")]
    stacks += [["Target Kinerja dan Anggaran Tahun Berjalan 2028", u] for u in ("K", "Rp")]
    for q in ("I", "II", "III", "IV"):
        stacks += [["Realisasi Pada Triwulan", f"Triwulan {q}", u] for u in ("K", "Rp")]
    stacks += [["Realisasi Kinerja dan Anggaran yang Dievaluasi", u] for u in ("K", "Rp")]
    stacks += [["Tingkat Capaian Kinerja dan Realisasi Anggaran (%)", u] for u in ("K", "Rp")]
    stacks += [["Realisasi Kinerja dan Anggaran Renstra s/d Tahun 2028", u] for u in ("K", "Rp")]
    stacks += [["Tingkat Capaian Renstra s/d Tahun 2028 (%)", u] for u in ("K", "Rp")]
    stacks += [["Unit Penanggung Jawab"]]
    got, collisions = keys(stacks)
    assert got == ["kode", "uraian", "indikator", "target_renstra_k", "target_renstra_rp",
                   "realisasi_lalu_k", "realisasi_lalu_rp", "target_k", "target_rp",
                   "realisasi_tw1_k", "realisasi_tw1_rp", "realisasi_tw2_k", "realisasi_tw2_rp",
                   "realisasi_tw3_k", "realisasi_tw3_rp", "realisasi_tw4_k", "realisasi_tw4_rp",
                   "realisasi_k", "realisasi_rp", "capaian_k", "capaian_rp",
                   "realisasi_renstra_k", "realisasi_renstra_rp", "capaian_renstra_k",
                   "capaian_renstra_rp", "opd"]
    assert collisions == []


def test_before_after_with_semula_menjadi():
    stacks = [["Semula", "Target"], ["Semula", "Pagu"], ["Menjadi", "Target"], ["Menjadi", "Pagu"],
              ["Selisih"]]
    assert keys(stacks)[0] == ["target_sebelum_k", "pagu_sebelum", "target_sesudah_k", "pagu_sesudah",
                               "selisih"]


def test_unmarked_column_beside_an_after_column_is_before():
    stacks = [["Target Kinerja", "Renja 2030"], ["Target Kinerja", "Renja P-APBD 2030"]]
    assert keys(stacks)[0] == ["target_sebelum_k", "target_sesudah_k"]


def test_years_tell_apart_otherwise_equal_columns():
    stacks = [["Data Capaian pada Tahun Awal"]]
    for year in (2031, 2032):
        stacks += [["Target Kinerja dan Kerangka Pendanaan", f"Tahun {year}", u] for u in ("K", "Rp")]
    stacks += [["Kondisi Kinerja pada Akhir Periode", u] for u in ("K", "Rp")]
    assert keys(stacks)[0] == ["kondisi_awal_k", "target_2031_k", "target_2031_rp", "target_2032_k",
                               "target_2032_rp", "kondisi_akhir_k", "kondisi_akhir_rp"]


def test_plan_form_with_prakiraan_maju():
    stacks = [["Rencana Tahun 2030", "Lokasi"], ["Rencana Tahun 2030", "Target Capaian Kinerja"],
              ["Rencana Tahun 2030", "Kebutuhan Dana/Pagu Indikatif"],
              ["Rencana Tahun 2030", "Kebutuhan Tambahan Anggaran"], ["Jumlah"], ["Sumber Dana"],
              ["Prakiraan Maju Tahun 2031", "Target Capaian Kinerja"],
              ["Prakiraan Maju Tahun 2031", "Kebutuhan Dana/Pagu Indikatif"]]
    assert keys(stacks)[0] == ["lokasi", "target_k", "pagu", "tambahan", "jumlah", "sumber_dana",
                               "target_maju_k", "pagu_maju"]


def test_a_k_rp_pair_whose_labels_merged_is_told_apart():
    label = ["Tingkat Capaian (%) K Rp"]
    got, collisions = keys([label, label], [["50,00 %"], ["75,00"]])
    assert got == ["capaian_k", "capaian_rp"] and collisions == []


def test_value_column_beside_its_unit_column():
    label = ["Target RPJMD Periode"]
    got, _ = keys([label, label], [["12", "4"], ["Dokumen", "Laporan"]])
    assert got == ["target_renstra_k", "target_renstra_satuan"]


def test_money_and_ratio_columns_under_one_label():
    label = ["Realisasi 2030 % (Rp)"]
    got, _ = keys([label, label], [["1.234.567,00"], ["95,00"]], ["4", "5 = 4/3 x 100"])
    assert got == ["realisasi_rp", "realisasi_pct"]


def test_unknown_label_is_keyed_from_its_words_and_collisions_are_listed():
    got, collisions = keys([["Warna Favorit Kepala"], ["Warna Favorit Kepala"], []])
    assert got == ["warna_favorit_kepala", "warna_favorit_kepala_2", "tanpa_label"]
    assert collisions == ["warna_favorit_kepala", "warna_favorit_kepala_2"]
    assert not any(k.startswith("col") for k in got)
    assert label_key(["Nilai Ékspor (USD)"]) == "nilai_ekspor_usd"


def test_column_types_follow_roles():
    columns, _, _ = assign_columns([["Pagu"], ["Target", "K"], ["Target", "Rp"], ["Capaian", "Rp"]],
                                   [[], [], [], []])
    assert [c.type for c in columns] == ["money", "qty", "money", "percent"]


def test_column_keys_doc_is_generated_from_the_vocabulary():
    from pathlib import Path

    import renjana.normalize as package
    doc = Path(package.__file__).resolve().parents[1] / "docs" / "COLUMN_KEYS.md"
    assert doc.read_text("utf-8") == render_doc(), \
        "regenerate with: python -m renjana.normalize.columns"


# -- the column-number row ----------------------------------------------------------------

def test_number_items():
    assert parse_items("4 5 = 4/3 x 100") == [(4, None), (5, "4/3 x 100")]
    assert parse_items("(8) = (6) - (4)") == [(8, "(6) - (4)")]
    assert parse_items("1.") == [(1, None)]
    assert parse_items("Target") is None


def test_sum_of_quarters_over_k_rp_pairs():
    ks = ["target_k", "target_rp"] + [f"realisasi_tw{q}_{u}" for q in range(1, 5) for u in ("k", "rp")]
    ks += ["realisasi_k", "realisasi_rp", "capaian_k", "capaian_rp"]
    numbers = ["7", "7", "8", "8", "9", "9", "10", "10", "11", "11",
               "12 = 8+9+10+11", "12 = 8+9+10+11", "13 = 12/7 x 100%", "13 = 12/7 x 100%"]
    rel = relations(numbers, ks)
    assert [(r.column, r.kind) for r in rel] == [("realisasi_k", "sum"), ("realisasi_rp", "sum"),
                                                ("capaian_k", "ratio"), ("capaian_rp", "ratio")]
    assert rel[1].plus == ["realisasi_tw1_rp", "realisasi_tw2_rp", "realisasi_tw3_rp", "realisasi_tw4_rp"]
    assert (rel[2].numerator, rel[2].denominator, rel[2].scale) == ("realisasi_k", "target_k", 100)


def test_difference_in_parentheses():
    rel = relations(["(4)", "(5)", "(6)", "(8) = (6) - (4)"], ["pagu_sebelum", "x", "pagu_sesudah", "selisih"])
    assert rel[0].plus == ["pagu_sesudah"] and rel[0].minus == ["pagu_sebelum"]


def test_formula_naming_a_missing_column_is_skipped():
    assert relations(["1", "2", "3 = 1 + 9"], ["a", "b", "c"]) == []


def test_fused_numbers_split_back():
    assert split_fused(["1", "2", "3 4", "", "5"]) == ["1", "2", "3", "4", "5"]
    assert split_fused(["1", "2 3", "4"]) == ["1", "2 3", "4"]  # no empty neighbour: left alone


def test_numbers_read_into_the_labels():
    stacks = [["KODE 1"], ["URAIAN 2"], ["ANGGARAN (Rp) 3"], ["Realisasi % (Rp) 4 5 = 4/3 x 100"],
              ["Realisasi % (Rp) 4 5 = 4/3 x 100"], ["Lebih/(Kurang) 6 = 3 - 4"]]
    cleaned, numbers = numbers_from_labels(stacks)
    assert numbers == ["1", "2", "3", "4", "5 = 4/3 x 100", "6 = 3 - 4"]
    assert cleaned[0] == ["KODE"] and cleaned[3] == ["Realisasi % (Rp)"]
    assert numbers_from_labels([["Tahun 2030"], ["Tahun 2031"], ["Tahun 2032"]]) is None


def test_unit_row_and_wrapped_formula_under_the_number_row():
    stacks, numbers = [["Target"], ["Target"], ["Realisasi"], ["Realisasi"]], ["5", "5", "6 = 3", "6 ="]
    rows = [["K", "Rp", "K", "Rp"], ["", "", "+ 4", "3 + 4"], ["1,00", "2.000", "3", "4"]]
    assert is_unit_row(rows[0]) and is_formula_tail(rows[1]) and not is_formula_tail(rows[2])
    assert header_tail(rows, stacks, numbers) == 2
    assert stacks[1] == ["Target", "Rp"] and numbers[2:] == ["6 = 3 + 4", "6 = 3 + 4"]


# -- kinds --------------------------------------------------------------------------------

def _kind(caption, stacks, samples=None):
    ks, _ = keys(stacks, samples)
    return table_kind(caption, " ".join(t for s in stacks for t in s), ks)


def test_kind_rincian_belanja_from_roles_alone():
    stacks = [["Kode Rekening"], ["Uraian"], ["Rincian Perhitungan", "Koefisien"],
              ["Rincian Perhitungan", "Satuan"], ["Rincian Perhitungan", "Harga"],
              ["Rincian Perhitungan", "PPN"], ["Jumlah"]]
    assert _kind("", stacks) == "rincian_belanja"


def test_kind_realisasi_anggaran():
    stacks = [["Kode Rekening"], ["Uraian"], ["Anggaran (Rp)"], ["Realisasi (Rp)"], ["%"],
              ["Lebih/(Kurang)"]]
    assert _kind("Tabel 9 Laporan Realisasi Anggaran", stacks) == "realisasi_anggaran"
    assert _kind("", stacks) == "realisasi_anggaran"


def test_kind_evaluation_without_the_word_in_the_caption():
    stacks = [["Kode"], ["Target Renstra", "K"], ["Realisasi", "K"], ["Tingkat Capaian", "K"]]
    assert _kind("Tabel 2.1", stacks) == "evaluasi_renja"


def test_kind_pemetaan_and_tujuan_sasaran():
    assert _kind("", [["Sebelum", "Pagu"], ["Sesudah", "Pagu"], ["Selisih"]]) == "pemetaan_perubahan"
    assert _kind("Penyesuaian Target Perubahan Renja",
                 [["Tujuan"], ["Sasaran"], ["Target", "Renja"], ["Target", "P-APBD"]]) == "tujuan_sasaran"


def test_a_first_keyword_does_not_decide_the_kind():
    # A caption saying "evaluasi" over a spending-detail sheet: the roles outweigh it.
    stacks = [["Kode Rekening"], ["Uraian"], ["Koefisien"], ["Satuan"], ["Harga"], ["PPN"], ["Jumlah"]]
    assert _kind("Rincian Belanja untuk evaluasi", stacks) == "rincian_belanja"
    assert _kind("Tabel 1", [["Nama"], ["Alamat"]]) == "other"


def test_quarters_numbered_under_a_triwulan_group_label():
    """A group label names the quarters and each sub-column prints only its numeral."""
    from renjana.normalize.roles import path_roles
    for numeral, quarter in (("I", "tw1"), ("II", "tw2"), ("III", "tw3"), ("IV", "tw4"), ("(2)", "tw2")):
        roles = path_roles(["Realisasi Anggaran Triwulan (Rp)", numeral])
        assert (roles.measure, roles.period, roles.unit) == ("realisasi", quarter, "rp")
    # A bare numeral under a label that names no quarters is no quarter.
    assert path_roles(["Realisasi Anggaran (Rp)", "II"]).period is None
