"""validate: rules in their scope (the document's own code scheme, one agency's block, the
nomenclature edition in force) and severity from proof (uncertain levels, blank children,
uncertain scopes make warnings, never errors). Tables are built by the tests."""

from __future__ import annotations

from renjana.validate import validate_document

try:
    from test_validate_helpers import errors, make_doc, make_table
except ImportError:  # tests/ made a package
    from tests.test_validate_helpers import errors, make_doc, make_table

KEYS = ["kode", "uraian", "pagu"]
CODE_RULES = ("code_level", "code_prefix", "code_unique", "code_format")


def run(rows, keys=KEYS, kind="rencana_program", year=None):
    return validate_document(make_doc(make_table(rows, kind=kind, keys=keys), year=year))


def row(level, kode, uraian="", pagu="", **extra):
    return dict(level=level, kode=kode, uraian=uraian, pagu=pagu, **extra)


# --------------------------------------------------------------------------- code schemes
def local_scheme(kegiatan="307.16.012", second="307.16.015"):
    """A 2019 RKPD in a local scheme: urusan 307 › program 307.16 › kegiatan 307.16.012."""
    return [row("urusan", "307", "URUSAN PILIHAN PERDAGANGAN", "300"),
            row("program", "307.16", "Program Peningkatan Efisiensi", "300"),
            row("kegiatan", kegiatan, "Pemantauan harga", "100"),
            row("kegiatan", second, "Operasi pasar murah", "200"),
            row("program", "307.17", "Program Pembinaan Pedagang", "0"),
            row("kegiatan", "307.17.001", "Pembinaan organisasi", "0")]


def test_a_local_scheme_is_not_an_error():
    found = run(local_scheme(), year=2019)
    assert [f for f in found if f.rule in CODE_RULES] == []


def test_a_code_inconsistent_with_the_documents_own_scheme_is_an_error():
    found = run(local_scheme(kegiatan="307.99.012"), year=2019)
    assert [(f.rule, f.row) for f in errors(found) if f.rule in CODE_RULES] == \
        [("code_prefix", 2)]
    found = run(local_scheme(second="307.16.15"), year=2019)
    fmt = [f for f in errors(found) if f.rule == "code_format"]
    assert [(f.row, f.expected) for f in fmt] == [(3, "307.16.015")]


def test_nomenclature_only_for_the_edition_in_force():
    rows = [row("program", "2.17.01", "PROGRAM TIDAK ADA DI NOMENKLATUR", "1"),
            row("kegiatan", "2.17.01.2.01", "Kegiatan yang lain sama sekali", "1")]
    before = [f for f in run(rows, year=2020) if f.rule == "nomenclature"]
    assert [f.severity for f in before] == ["info"]
    assert "in force from 2021" in before[0].message
    after = [f for f in run(rows, year=2022) if f.rule == "nomenclature"]
    assert after and {f.severity for f in after} == {"warning"}
    other_scheme = [f for f in run(local_scheme(), year=2022) if f.rule == "nomenclature"]
    assert [f.severity for f in other_scheme] == ["info"]


# --------------------------------------------------------------------------- agency blocks
def renstra(second_agency_code="X.XX.01.2.01", opd=False):
    def agency(name):
        return [] if opd else [dict(level="section", uraian=name.upper())]

    def r(level, kode, name, who):
        out = row(level, kode, name, "1")
        if opd:
            out["opd"] = who
        return out

    return [*agency("Dinas Koperasi"),
            r("program", "X.XX.01", "PROGRAM PENUNJANG", "Dinas Koperasi"),
            r("kegiatan", "X.XX.01.2.01", "Perencanaan", "Dinas Koperasi"),
            *agency("Dinas Perdagangan"),
            r("program", "X.XX.01", "PROGRAM PENUNJANG", "Dinas Perdagangan"),
            r("kegiatan", second_agency_code, "Perencanaan", "Dinas Perdagangan")]


def test_a_program_repeated_under_each_agency_is_not_a_duplicate():
    assert errors(run(renstra()), "code_unique") == []
    keys = KEYS + ["opd"]
    assert errors(run(renstra(opd=True), keys=keys), "code_unique") == []


def test_a_duplicate_within_one_agency_is_still_an_error():
    rows = renstra()
    rows.append(row("kegiatan", "X.XX.01.2.01", "Perencanaan lagi", "1"))
    assert [f.row for f in errors(run(rows), "code_unique")] == [len(rows) - 1]


def test_a_misplaced_code_is_a_prefix_error_not_a_duplicate():
    rows = [row("program", "2.17.01", "P1", "3"),
            row("kegiatan", "2.17.02.2.02", "K", "3"),  # wrong: belongs to 2.17.01
            row("program", "2.17.02", "P2", "1"),
            row("kegiatan", "2.17.02.2.02", "K2", "1")]
    found = errors(run(rows))
    assert [(f.rule, f.row) for f in found] == [("code_prefix", 1)]


# --------------------------------------------------------------------------- severity from proof
def program(pagu_program="300", level_confidence=1.0, second="200"):
    return [row("program", "2.17.01", "PROGRAM PENUNJANG", pagu_program),
            row("kegiatan", "2.17.01.2.01", "Perencanaan", "100",
                level_confidence=level_confidence, level_source="words"),
            row("kegiatan", "2.17.01.2.02", "Keuangan", second)]


def test_a_proved_sum_is_an_error():
    assert [f.row for f in errors(run(program(pagu_program="350")), "parent_sum")] == [0]


def test_an_uncertain_level_makes_a_warning_that_says_why():
    found = [f for f in run(program(pagu_program="350", level_confidence=0.5))
             if f.rule == "parent_sum"]
    assert [f.severity for f in found] == ["warning"]
    assert "cannot be proved" in found[0].message and "row 1" in found[0].message


def test_a_blank_child_is_not_a_zero():
    found = [f for f in run(program(pagu_program="150", second="")) if f.rule == "parent_sum"]
    assert [f.severity for f in found] == ["warning"]
    assert "blank" in found[0].message


def test_a_run_of_totals_is_mapped_to_its_urusan_blocks():
    rows = [row("urusan", "2", "URUSAN WAJIB", "300"),
            row("bidang", "2.17", "BIDANG KOPERASI", "300"),
            row("program", "2.17.01", "PROGRAM A", "300"),
            row("kegiatan", "2.17.01.2.01", "K", "300"),
            row("urusan", "3", "URUSAN PILIHAN", "50"),
            row("bidang", "3.30", "BIDANG PERDAGANGAN", "50"),
            row("program", "3.30.01", "PROGRAM B", "50"),
            row("kegiatan", "3.30.01.2.01", "K", "50"),
            dict(level="total", uraian="JUMLAH URUSAN WAJIB", pagu="300"),
            dict(level="total", uraian="JUMLAH URUSAN PILIHAN", pagu="50"),
            dict(level="total", uraian="JUMLAH TOTAL", pagu="350")]
    assert errors(run(rows)) == []
    rows[2]["pagu"] = "310"  # the program disagrees with its kegiatan
    assert [(f.rule, f.row) for f in errors(run(rows))] == [("parent_sum", 1), ("parent_sum", 2)]


def test_a_single_closing_average_may_be_the_tables():
    keys = ["kode", "uraian", "target_k", "realisasi_k", "capaian_k"]
    rows = [dict(level="program", kode="2.17.01", uraian="P1"),
            dict(level="sub_kegiatan", kode="2.17.01.2.01.01", uraian="S", target_k="10",
                 realisasi_k="10", capaian_k="100,00"),
            dict(level="program", kode="2.17.02", uraian="P2"),
            dict(level="sub_kegiatan", kode="2.17.02.2.01.01", uraian="S", target_k="10",
                 realisasi_k="5", capaian_k="50,00"),
            dict(level="average", uraian="Rata-rata capaian", capaian_k="75,00")]
    found = run(rows, keys=keys, kind="evaluasi_renja")
    assert [f for f in found if f.rule == "average"] == []


def test_account_lines_keep_their_level():
    rows = [dict(level="section", kode="5.1.02", uraian="Belanja Barang", pagu="10",
                 level_source="account:has children"),
            dict(level="other", kode="5.1.02.01.01.0024", uraian="Alat tulis", pagu="10",
                 level_source="account:leaf")]
    assert [f for f in run(rows, kind="other") if f.rule in CODE_RULES] == []


def test_a_repeated_header_line_with_a_misread_number_is_not_body():
    keys = ["kode", "uraian", "indikator", "pagu", "keterangan"]
    table = make_table([row("program", "2.17.01", "PROGRAM A", "10"),
                        row("kegiatan", "2.17.01.2.01", "K", "10"),
                        dict(level="urusan", kode="1", uraian="2", indikator="3", pagu="TAH4UN",
                             keterangan="5")],
                       kind="rencana_program", keys=keys)
    table.column_numbers = ["1", "2", "3", "4", "5"]
    found = validate_document(make_doc(table))
    assert [f for f in found if f.row == 2] == []


def test_the_halves_of_a_row_cut_by_a_page_break_prove_nothing():
    keys = ["kode", "uraian", "indikator", "pagu"]
    rows = [dict(level="urusan", kode="2", uraian="URUSAN WAJIB", pagu="10"),
            dict(level="program", kode="2.17.01", uraian="PROGRAM A", pagu="10"),
            dict(level="kegiatan", kode="2.17.01.2.01", uraian="K", pagu="10"),
            dict(level="sub_kegiatan", kode="2.17.01.2.01.0", uraian="S", indikator="Jumlah",
                 pagu="10"),
            # the rest of the row above, after the page break: its code's last digit and the
            # end of its indicator
            dict(level="urusan", kode="2", indikator="dokumen", page=2)]
    found = run(rows, keys=keys)
    assert errors(found) == []
    fmt = [f for f in found if f.rule == "code_format"]
    assert [(f.row, f.severity) for f in fmt] == [(3, "warning")]
    assert "page break" in fmt[0].message
