"""validate: the same sub kegiatan carries the same pagu and target in every table."""

from __future__ import annotations

from renjana.validate import validate_document

try:
    from test_validate_helpers import errors, make_doc, make_table
except ImportError:  # tests/ made a package
    from tests.test_validate_helpers import errors, make_doc, make_table

CODES = ["2.17.01.2.01.01", "2.17.01.2.01.06", "2.17.03.2.01.01", "2.17.04.2.01.01",
         "2.17.05.2.01.01"]
PAGU = ("100,00", "200,00", "300,00", "400,00", "500,00")


def evaluasi(pagu=PAGU, target=("5 Orang",) * 5):
    rows = [dict(level="sub_kegiatan", kode=c, target_rp=p, target_k=t)
            for c, p, t in zip(CODES, pagu, target)]
    return make_table(rows, kind="evaluasi_renja", keys=["kode", "target_k", "target_rp"],
                      table_id="t21")


def pemetaan(pagu=PAGU, target=("5 Orang",) * 5, **kw):
    rows = [dict(level="sub_kegiatan", kode=c, pagu_sesudah=p, target_sesudah_k=t)
            for c, p, t in zip(CODES, pagu, target)]
    return make_table(rows, kind="pemetaan_perubahan",
                      keys=["kode", "target_sesudah_k", "pagu_sesudah"], table_id="t31", **kw)


def xtab(*tables):
    return [f for f in validate_document(make_doc(*tables)) if f.rule.startswith("xtab")]


def test_agreeing_tables():
    assert xtab(evaluasi(), pemetaan()) == []


def test_one_disagreeing_sub_kegiatan_is_reported_on_both_copies():
    found = xtab(evaluasi(), pemetaan(pagu=("100,00", "200,00", "0,00", "400,00", "500,00"),
                                      target=("5 Orang", "5 Orang", "0", "5 Orang", "5 Orang")))
    assert sorted((f.rule, f.table, f.row, f.column, f.severity, f.printed, f.expected)
                  for f in found) == [
        ("xtab_pagu", "t21", 2, "target_rp", "error", "300,00", "0,00"),
        ("xtab_pagu", "t31", 2, "pagu_sesudah", "error", "0,00", "300,00"),
        ("xtab_target_k", "t21", 2, "target_k", "error", "5 Orang", "0"),
        ("xtab_target_k", "t31", 2, "target_sesudah_k", "error", "0", "5 Orang"),
    ]
    assert all(("t21 row 2" in f.message) == (f.table == "t31") for f in found)


def test_unsure_cell_gives_a_warning():
    found = xtab(evaluasi(), pemetaan(pagu=("100,00", "200,00", "0,00", "400,00", "500,00"),
                                      low_confidence={(2, "pagu_sesudah"): 0.5}))
    assert [(f.rule, f.severity) for f in found] == [("xtab_pagu", "warning")] * 2


def test_tables_of_different_years_are_not_compared():
    found = xtab(evaluasi(), pemetaan(pagu=("1,00", "2,00", "3,00", "400,00", "500,00")))
    assert errors(found) == [] and found == []


def test_rencana_program_uses_jumlah():
    rows = [dict(level="sub_kegiatan", kode=c, pagu="1,00", tambahan=t, jumlah=j)
            for c, t, j in zip(CODES, ["99,00", "199,00", "299,00", "-", "499,00"],
                               ["100,00", "200,00", "300,00", "1,00", "500,00"])]
    rencana = make_table(rows, kind="rencana_program",
                         keys=["kode", "pagu", "tambahan", "jumlah"], table_id="tc33")
    found = xtab(evaluasi(), rencana)
    assert sorted((f.table, f.row, f.column) for f in errors(found)) == [("t21", 3, "target_rp"),
                                                                         ("tc33", 3, "jumlah")]


NAMES = ["Penyusunan Dokumen Perencanaan", "Koordinasi Laporan Capaian", "Penilaian Kesehatan KSP",
         "Pendampingan Usaha Mikro", "Pelatihan Kewirausahaan"]


def test_rows_without_a_code_pair_by_name():
    """A table that prints no codes is compared by the sub kegiatan's name."""
    rows = [dict(level="sub_kegiatan", kode="", uraian=n.upper(), pagu_sesudah=p,
                 target_sesudah_k="5 Orang") for n, p in zip(NAMES, ("100,00", "200,00", "0,00",
                                                                     "400,00", "500,00"))]
    bare = make_table(rows, kind="pemetaan_perubahan",
                      keys=["kode", "uraian", "target_sesudah_k", "pagu_sesudah"], table_id="t31")
    coded = [dict(level="sub_kegiatan", kode=c, uraian=n, target_rp=p, target_k="5 Orang")
             for c, n, p in zip(CODES, NAMES, PAGU)]
    evaluasi_ = make_table(coded, kind="evaluasi_renja",
                           keys=["kode", "uraian", "target_k", "target_rp"], table_id="t21")
    found = xtab(evaluasi_, bare)
    assert sorted((f.rule, f.table, f.row, f.column) for f in errors(found)) == [
        ("xtab_pagu", "t21", 2, "target_rp"), ("xtab_pagu", "t31", 2, "pagu_sesudah")]
    assert "2.17.03.2.01.01" in next(f.message for f in found if f.table == "t31")


def test_values_before_the_change_are_compared():
    def form(kind, table_id, before):
        rows = [dict(level="sub_kegiatan", kode=c, pagu_sebelum=b, pagu_sesudah=p)
                for c, b, p in zip(CODES, before, PAGU)]
        return make_table(rows, kind=kind, keys=["kode", "pagu_sebelum", "pagu_sesudah"],
                          table_id=table_id)

    found = xtab(form("pemetaan_perubahan", "t31", ("10,00", "20,00", "30,00", "40,00", "50,00")),
                 form("analisa_kebutuhan", "t32", ("10,00", "20,00", "33,00", "40,00", "50,00")))
    assert sorted((f.rule, f.table, f.row, f.column) for f in errors(found)) == [
        ("xtab_pagu_sebelum", "t31", 2, "pagu_sebelum"),
        ("xtab_pagu_sebelum", "t32", 2, "pagu_sebelum")]


def test_a_cell_is_reported_once_however_many_tables_disagree():
    """Three tables: the evaluasi cell that the other two contradict is reported once."""
    wrong = ("100,00", "200,00", "999,00", "400,00", "500,00")
    rows = [dict(level="sub_kegiatan", kode=c, pagu_sesudah=p) for c, p in zip(CODES, PAGU)]
    analisa = make_table(rows, kind="analisa_kebutuhan", keys=["kode", "pagu_sesudah"],
                         table_id="t32")
    found = xtab(evaluasi(pagu=wrong), pemetaan(), analisa)
    cells = [(f.table, f.row, f.column) for f in found if f.rule == "xtab_pagu"]
    assert len(cells) == len(set(cells))
    assert cells.count(("t21", 2, "target_rp")) == 1
