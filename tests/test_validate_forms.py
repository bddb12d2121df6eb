"""validate: the declared relations of the column-number row and the rule families of the other
forms (rincian_belanja, realisasi_anggaran, Renstra kondisi akhir, less-is-better capaian)."""

from __future__ import annotations

from renjana.models import CellSource, Column, Relation, Row, Table
from renjana.normalize.numbers import parse_value
from renjana.validate import validate_document
from renjana.validate.rincian import koefisien

try:
    from test_validate_helpers import errors, make_doc, make_table
except ImportError:  # tests/ made a package
    from tests.test_validate_helpers import errors, make_doc, make_table

NUMERIC = ("int", "qty", "money", "percent")


def table(rows: list[dict], columns: list[tuple[str, str]], *, kind: str = "other",
          relations: list[Relation] | None = None, low: dict | None = None) -> Table:
    """A table from printed strings; ``columns``: (key, type); ``low``: {(row, key): conf}."""
    out = []
    for i, spec in enumerate(rows):
        cells = [spec.get(k) or "" for k, _ in columns]
        values = {k: parse_value(spec.get(k) or "", t) for k, t in columns if t in NUMERIC}
        sources = [CellSource(page=1, confidence=(low or {}).get((i, k), 1.0))
                   for k, _ in columns]
        out.append(Row(cells=cells, level=spec.get("level", "other"), kode=spec.get("kode"),
                       page=1, values=values, sources=sources))
    return Table(id="t1", kind=kind, pages=[1], columns=[Column(key=k, label=k, type=t)
                                                         for k, t in columns],
                 rows=out, relations=relations or [])


def run(*tables: Table):
    return validate_document(make_doc(*tables))


def where(findings, rule):
    return {(f.row, f.column) for f in findings if f.rule == rule and f.severity == "error"}


# --------------------------------------------------------------------------- declared relations
SUM = Relation(column="c", kind="sum", plus=["a", "b"], printed="3 = 1 + 2")
RATIO = Relation(column="p", kind="ratio", numerator="a", denominator="c", scale=100,
                 printed="4 = 1/3 x 100")
COLS = [("uraian", "text"), ("a", "money"), ("b", "money"), ("c", "money"), ("p", "percent")]


def test_declared_sum_and_ratio_checked_on_every_row_with_numbers():
    rows = [dict(uraian="ok", a="1.000", b="500", c="1.500", p="66,67"),
            dict(uraian="sum off", a="1.000", b="500", c="1.600", p="62,50"),
            dict(uraian="ratio off", a="1.000", b="1.000", c="2.000", p="55,00"),
            dict(uraian="blank is no zero", a="1.000", b="", c="1.200", p="")]
    found = run(table(rows, COLS, relations=[SUM, RATIO]))
    assert where(found, "declared_relation") == {(1, "c"), (2, "p")}
    assert "3 = 1 + 2" in next(f.message for f in found if f.row == 1)


def test_declared_ratio_truncation_is_the_printed_precision_too():
    rows = [dict(a="2", b="0", c="3", p="66,66")]  # 66,666… truncated
    assert errors(run(table(rows, COLS, relations=[RATIO]))) == []


def test_declared_relation_low_confidence_cell_is_a_warning():
    rows = [dict(a="1.000", b="500", c="1.600")]
    found = run(table(rows, COLS, relations=[SUM], low={(0, "b"): 0.5}))
    assert errors(found) == []
    assert any(f.rule == "declared_relation" and f.severity == "warning" for f in found)


def test_declared_relation_checked_by_a_specific_rule_is_reported_once():
    rows = [dict(level="sub_kegiatan", kode="1.01.01.2.01.01", uraian="x", target_k="10",
                 realisasi_k="5", capaian_k="60,00")]
    t = make_table(rows)
    t.relations = [Relation(column="capaian_k", kind="ratio", numerator="realisasi_k",
                            denominator="target_k", scale=100, printed="6 = 5/4 x 100")]
    found = errors(run(t))
    assert [(f.rule, f.row) for f in found] == [("capaian_k", 0)]


def test_collided_keys_are_not_read_by_declared_relations():
    rows = [dict(a="1", b="1", c="5")]
    t = table(rows, COLS, relations=[SUM])
    t.key_collisions = ["b"]
    assert errors(run(t)) == []


# --------------------------------------------------------------------------- less-is-better capaian
def _capaian(uraian, target, realisasi, capaian):
    return make_table([dict(level="sub_kegiatan", kode="1.01.01.2.01.01", uraian=uraian,
                            target_k=target, realisasi_k=realisasi, capaian_k=capaian)])


def test_inverse_capaian_accepted_when_polarity_not_stated():
    # a poverty rate: target 8 %, realised 10 % → 8 / 10 × 100 = 80
    assert errors(run(_capaian("Angka kemiskinan", "8 %", "10 %", "80,00"))) == []


def test_inverse_capaian_is_an_error_when_more_is_better_is_stated():
    found = errors(run(_capaian("Cakupan (semakin besar semakin baik)", "8 %", "10 %", "80,00")))
    assert [(f.rule, f.row) for f in found] == [("capaian_k", 0)]


def test_less_is_better_stated_requires_the_inverse():
    assert errors(run(_capaian("Kemiskinan, semakin kecil semakin baik", "8 %", "10 %",
                               "80,00"))) == []
    found = errors(run(_capaian("Kemiskinan, semakin kecil semakin baik", "8 %", "10 %",
                                "125,00")))
    assert [(f.rule, f.row) for f in found] == [("capaian_k", 0)]


# --------------------------------------------------------------------------- Renstra
RENSTRA = [("kode", "code"), ("uraian", "text"), ("target_2021_rp", "money"),
           ("target_2022_rp", "money"), ("target_2023_rp", "money"), ("kondisi_akhir_rp", "money")]


def test_kondisi_akhir_rp_is_the_sum_of_the_years():
    rows = [dict(level="program", kode="1.01.01", uraian="P", target_2021_rp="100",
                 target_2022_rp="200", target_2023_rp="300", kondisi_akhir_rp="600"),
            dict(level="program", kode="1.01.02", uraian="Q", target_2021_rp="100",
                 target_2022_rp="200", target_2023_rp="300", kondisi_akhir_rp="650"),
            dict(level="program", kode="1.01.03", uraian="R", target_2021_rp="100",
                 target_2022_rp="", target_2023_rp="300", kondisi_akhir_rp="650")]
    rel = Relation(column="kondisi_akhir_rp", kind="sum",
                   plus=["target_2021_rp", "target_2022_rp", "target_2023_rp"], printed="6=3+4+5")
    found = run(table(rows, RENSTRA, kind="rencana_program", relations=[rel]))
    assert where(found, "kondisi_akhir_rp") == {(1, "kondisi_akhir_rp")}
    assert where(found, "declared_relation") == set()  # the same relation, reported once


# --------------------------------------------------------------------------- LRA
LRA = [("kode", "code"), ("uraian", "text"), ("pagu_sesudah", "money"),
       ("realisasi_rp", "money"), ("realisasi_pct", "percent"), ("lebih_kurang", "money")]


def lra_rows():
    def row(kode, uraian, a, r, pct, lebih, level="other"):
        return dict(kode=kode, uraian=uraian, pagu_sesudah=a, realisasi_rp=r,
                    realisasi_pct=pct, lebih_kurang=lebih, level=level)
    return [row("4", "PENDAPATAN", "1.000,00", "900,00", "90,00", "100,00", "section"),
            row("4.1", "PAD", "1.000,00", "900,00", "90,00", "100,00", "section"),
            row("4.1.01", "Pajak", "600,00", "500,00", "83,33", "100,00"),
            row("4.1.02", "Retribusi", "400,00", "400,00", "100,00", "0,00"),
            row(None, "JUMLAH PENDAPATAN", "1.000,00", "900,00", "90,00", "100,00", "total"),
            row("5", "BELANJA", "800,00", "700,00", "87,50", "100,00", "section"),
            row("5.1", "Belanja Operasi", "800,00", "700,00", "87,50", "100,00", "section"),
            row("5.1.01", "Pegawai", "500,00", "450,00", "90,00", "50,00"),
            row("5.1.02", "Barang", "300,00", "250,00", "83,33", "50,00"),
            row(None, "JUMLAH BELANJA", "800,00", "700,00", "87,50", "100,00", "total"),
            row(None, "SURPLUS/(DEFISIT)", "200,00", "200,00", "", "0,00", "total")]


def lra(rows, relations=None):
    return run(table(rows, LRA, kind="realisasi_anggaran", relations=relations))


def test_consistent_lra_has_no_errors():
    assert errors(lra(lra_rows())) == []


def test_lra_percentage_group_and_total_errors():
    rows = lra_rows()
    rows[2]["realisasi_pct"] = "85,00"  # 500 / 600 = 83,33
    rows[8]["realisasi_rp"] = "260,00"  # breaks 5.1 = Σ, % and lebih of the row
    found = lra(rows)
    assert (2, "realisasi_pct") in where(found, "lra_persen")
    assert (6, "realisasi_rp") in where(found, "lra_group_sum")
    rows = lra_rows()
    rows[9]["pagu_sesudah"] = "850,00"  # JUMLAH BELANJA ≠ its top account; surplus knock-on
    found = lra(rows)
    assert {(9, "pagu_sesudah"), (10, "pagu_sesudah")} <= where(found, "lra_group_sum")


def test_lra_flipped_sign_with_the_direction_stated_by_the_number_row():
    rows = lra_rows()
    rows[7]["lebih_kurang"] = "(50,00)"
    rel = Relation(column="lebih_kurang", kind="sum", plus=["pagu_sesudah"],
                   minus=["realisasi_rp"], printed="6 = 3 - 4")
    found = lra(rows, [rel])
    flagged = [f for f in found if f.rule == "lra_lebih_kurang" and f.row == 7]
    assert flagged and flagged[0].severity == "error" and "flipped" in flagged[0].message
    assert not [f for f in found if f.rule == "declared_relation"]


def test_lra_direction_inferred_when_not_stated():
    rows = lra_rows()
    rows[7]["lebih_kurang"] = "(50,00)"
    found = lra(rows)
    assert [f.severity for f in found if f.rule == "lra_lebih_kurang" and f.row == 7] == ["error"]
    # the opposite convention, consistently: nothing to report
    rows = lra_rows()
    for r in rows:
        if r["lebih_kurang"] not in ("0,00",):
            r["lebih_kurang"] = f"({r['lebih_kurang']})"
    assert [f for f in lra(rows) if f.rule == "lra_lebih_kurang"] == []


# --------------------------------------------------------------------------- rincian belanja
RINCIAN = [("kode", "code"), ("uraian", "text"), ("koefisien", "text"), ("satuan", "unit"),
           ("harga", "money"), ("ppn", "percent"), ("jumlah", "money")]


def rincian_rows():
    def acc(kode, name, jumlah):
        return dict(kode=kode, uraian=name, jumlah=jumlah, level="section")

    def grp(name, jumlah):
        return dict(uraian=name, jumlah=jumlah, level="section")

    def item(name, koef, harga, ppn, jumlah):
        return dict(uraian=name, koefisien=koef, harga=harga, ppn=ppn, jumlah=jumlah)
    return [acc("5", "BELANJA DAERAH", "1.555.000"),
            acc("5.1", "BELANJA OPERASI", "1.555.000"),
            acc("5.1.02.01.01.0024", "Alat Tulis Kantor", "1.055.000"),
            grp("[#] Alat Tulis Kantor", "1.055.000"),
            grp("[-] Rapat", "555.000"),
            item("Kertas", "5 Rim x 2 Kegiatan", "50.000", "11%", "555.000"),
            grp("[-] Monitoring", "500.000"),
            item("Spidol", "100 Buah", "5.000", "0%", "500.000"),
            acc("5.1.02.01.01.0026", "Bahan Cetak", "500.000"),
            grp("[#] Bahan Cetak", "500.000"),
            grp("[-] Sosialisasi", "500.000"),
            item("Spanduk", "2 Lembar x 1 Kegiatan", "250.000", "-", "500.000")]


def rincian(rows, other=None):
    tables = [table(rows, RINCIAN, kind="rincian_belanja")]
    if other is not None:
        other.id = "t0"
        tables.insert(0, other)
    return run(*tables)


def test_koefisien_multiplies_out():
    assert koefisien("5 Rim x 2 Kegiatan") == 10
    assert koefisien("20 Orang x 12 Jam x 2 Kali") == 480
    assert koefisien("1,5 Paket") == 1.5
    assert koefisien("1.000 Lembar") == 1000
    assert koefisien("Paket") is None and koefisien("") is None


def test_consistent_rincian_has_no_errors():
    found = rincian(rincian_rows())
    assert errors(found) == []


def test_rincian_item_and_group_errors():
    rows = rincian_rows()
    rows[5]["jumlah"] = "500.000"  # 10 × 50.000 × 1,11 = 555.000; its [-] line keeps 555.000
    rows[9]["jumlah"] = "400.000"  # [#] ≠ Σ its [-] lines; the account above breaks too
    found = rincian(rows)
    assert where(found, "rincian_item") == {(5, "jumlah")}
    assert where(found, "rincian_sum") == {(4, "jumlah"), (8, "jumlah"), (9, "jumlah")}


def test_rincian_account_sum_error():
    rows = rincian_rows()
    rows[1]["jumlah"] = "1.655.000"
    assert where(rincian(rows), "rincian_sum") == {(0, "jumlah"), (1, "jumlah")}


def test_masukan_equals_the_grand_total():
    cols = [("indikator", "text"), ("tolok_ukur", "text"), ("target_k", "qty")]
    ok = table([dict(indikator="Masukan", tolok_ukur="Dana", target_k="Rp 1.555.000,00"),
                dict(indikator="Keluaran", tolok_ukur="Laporan", target_k="4 Laporan")], cols)
    assert errors(rincian(rincian_rows(), ok)) == []
    bad = table([dict(indikator="Masukan", tolok_ukur="Dana", target_k="Rp 1.565.000,00")], cols)
    found = rincian(rincian_rows(), bad)
    assert [(f.rule, f.table, f.row) for f in errors(found)] == [("rincian_masukan", "t0", 0)]


# --------------------------------------------------------------------------- T-C.29 rata-rata
def _tc29(average):
    def sub(kode, capaian):
        return dict(level="sub_kegiatan", kode=kode, uraian="s", target_k="10",
                    realisasi_k=str(int(capaian.split(",")[0]) // 10), capaian_k=capaian)
    rows = [dict(level="program", kode="1.01.01", uraian="P1"),
            dict(level="kegiatan", kode="1.01.01.2.01", uraian="K1"),
            sub("1.01.01.2.01.01", "100,00"), sub("1.01.01.2.01.02", "50,00"),
            dict(level="program", kode="1.01.02", uraian="P2"),
            dict(level="kegiatan", kode="1.01.02.2.01", uraian="K2"),
            sub("1.01.02.2.01.01", "90,00"), sub("1.01.02.2.01.02", "80,00"),
            dict(level="average", uraian="Rata-rata capaian kinerja", capaian_k=average)]
    return make_table(rows)


def test_a_lone_closing_average_may_be_the_mean_of_the_whole_table():
    assert errors(run(_tc29("80,00"))) == []  # (100 + 50 + 90 + 80) / 4
    assert errors(run(_tc29("85,00"))) == []  # the last program only: (90 + 80) / 2
    assert [(f.rule, f.row) for f in errors(run(_tc29("70,00")))] == [("average", 8)]
