"""validate: code format, level, prefix, uniqueness; names and codes against the nomenclature."""

from __future__ import annotations

import pytest

from renjana.validate import validate_document
from renjana.validate.codes import parse_code
from renjana.validate.nomenclature import lookup, normalize_name

try:
    from test_validate_helpers import cells, errors, make_doc, make_table
except ImportError:  # tests/ made a package
    from tests.test_validate_helpers import cells, errors, make_doc, make_table

KEYS = ["kode", "uraian", "pagu"]
CODE_RULES = ("code_level", "code_prefix", "code_unique", "code_format", "code_trailing_dot")


def code_findings(rows, kind="rencana_program"):
    findings = validate_document(make_doc(make_table(rows, kind=kind, keys=KEYS)))
    return [f for f in findings if f.rule in CODE_RULES]


def row(level, kode, uraian=""):
    return dict(level=level, kode=kode, uraian=uraian)


def koperasi(kegiatan_code="2.17.01.2.01", sub_codes=("2.17.01.2.01.01", "2.17.01.2.01.06")):
    return [row("urusan", "2"), row("bidang", "2.17"), row("program", "2.17.01"),
            row("kegiatan", kegiatan_code), *(row("sub_kegiatan", c) for c in sub_codes)]


@pytest.mark.parametrize("text,normal,problems,trailing", [
    ("2.17.01.2.01.06", "2.17.01.2.01.06", 0, False),
    ("2.17.1.2.02.", "2.17.01.2.02", 1, True),
    ("3.30.5", "3.30.05", 1, False),
    ("2.17.01.2.01.", "2.17.01.2.01", 0, True),
    ("X.XX.01.2.01.06", "X.XX.01.2.01.06", 0, False),
    ("2.17.01.2.01.0006", "2.17.01.2.01.06", 0, False),  # SIPD's 4-digit sub kegiatan: style
    ("2.211", "2.211", 1, False),
    (" 2.17.01 .2.01 ", "2.17.01.2.01", 0, False),
])
def test_parse_code(text, normal, problems, trailing):
    code = parse_code(text)
    assert (code.normal, len(code.problems), code.trailing_dot) == (normal, problems, trailing)


def test_not_a_code():
    assert parse_code("") is None
    assert parse_code("Rata-rata") is None


def test_consistent_codes_give_no_errors():
    assert errors(code_findings(koperasi())) == []


def test_trailing_dot_is_style_only():
    found = code_findings(koperasi(kegiatan_code="2.17.01.2.01."))
    assert errors(found) == []
    assert [(f.rule, f.severity, f.row) for f in found] == [("code_trailing_dot", "info", None)]


def test_not_zero_padded():
    found = errors(code_findings(koperasi(kegiatan_code="2.17.1.2.01.")))
    assert [(f.rule, f.row, f.column, f.printed, f.expected) for f in found] == \
        [("code_format", 3, "kode", "2.17.1.2.01.", "2.17.01.2.01.")]


def test_kegiatan_with_program_code():
    rows = koperasi(kegiatan_code="2.17.01", sub_codes=("2.17.01.2.07.01", "2.17.01.2.07.10"))
    found = errors(code_findings(rows))
    assert [(f.rule, f.row, f.printed, f.expected) for f in found] == \
        [("code_level", 3, "2.17.01", "2.17.01.2.07")]


def test_kegiatan_with_its_first_sub_kegiatan_code():
    rows = koperasi(kegiatan_code="2.17.07.2.01.01",
                    sub_codes=("2.17.07.2.01.01", "2.17.07.2.01.02", "2.17.07.2.01.03"))
    rows[2] = row("program", "2.17.07")
    found = errors(code_findings(rows))
    # one error on the kegiatan (its level explains the duplicate and the failed prefixes)
    assert [(f.rule, f.row, f.expected) for f in found] == [("code_level", 3, "2.17.07.2.01")]
    assert "code_unique" not in {f.rule for f in found}


def test_child_under_the_wrong_parent():
    rows = koperasi(kegiatan_code="2.17.01.2.07.",
                    sub_codes=("2.17.01.2.07.06", "2.17.01.2.08.02", "2.17.01.2.08.01"))
    found = errors(code_findings(rows))
    assert [(f.rule, f.row, f.printed, f.expected) for f in found] == [
        ("code_prefix", 5, "2.17.01.2.08.02", "2.17.01.2.07.*"),
        ("code_prefix", 6, "2.17.01.2.08.01", "2.17.01.2.07.*"),
    ]


def test_parent_with_a_wrong_code_is_named_once():
    rows = [row("urusan", "2"), row("bidang", "2.211"), row("section", "2.211.16"),
            row("program", "2.17.01"), row("kegiatan", "2.17.01.2.01"),
            row("program", "2.17.03"), row("kegiatan", "2.17.03.2.01")]
    found = errors(code_findings(rows))
    assert [(f.rule, f.row, f.column, f.expected) for f in found] == \
        [("code_prefix", 1, "kode", "2.17")]
    assert "code_format" in found[0].message  # the 3-digit segment, folded into one finding


def test_codeless_bidang_under_the_wrong_urusan():
    rows = [row("urusan", "2"), row("bidang", "", "URUSAN PEMERINTAHAN BIDANG KOPERASI"),
            row("program", "2.17.01"), row("kegiatan", "2.17.01.2.01"),
            row("bidang", "", "URUSAN PEMERINTAHAN BIDANG PERDAGANGAN"),
            row("program", "3.30.03"), row("kegiatan", "3.30.03.2.01"),
            row("program", "3.30.04"), row("kegiatan", "3.30.04.2.01")]
    found = errors(code_findings(rows))
    assert [(f.rule, f.row, f.printed, f.expected) for f in found] == \
        [("code_prefix", 4, "", "3.30")]


def test_duplicate_codes():
    rows = koperasi(sub_codes=("2.17.01.2.01.01", "2.17.01.2.01.06", "2.17.01.2.1.06"))
    found = errors(code_findings(rows))
    assert ("code_unique", 6, "kode") in cells(found)
    assert ("code_format", 6, "kode") not in cells(found)  # one error per cell
    assert len([f for f in found if f.row == 6]) == 1


# --------------------------------------------------------------------------- nomenclature
def nomen(rows):
    findings = validate_document(make_doc(make_table(rows, kind="rencana_program", keys=KEYS)))
    return [f for f in findings if f.rule == "nomenclature"]


def test_nomenclature_lookup_and_penunjang_substitution():
    assert lookup("2.17.03.2.01.01")[0] == "2.17.03.2.01.01"
    assert lookup("2.17.01.2.01.06")[0] == "X.XX.01.2.01.06"
    assert lookup("2.17.99.2.01.01") is None


def test_official_names_pass_with_case_spacing_punctuation_and_footnotes():
    assert normalize_name("Peraturan Perundang-Undangan ****)") == \
        normalize_name("peraturan  perundang undangan")
    rows = [row("program", "2.17.01",
                "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"),
            row("kegiatan", "2.17.01.2.01",
                "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah"),
            row("sub_kegiatan", "2.17.01.2.01.06", "Koordinasi dan Penyusunan Laporan Capaian "
                "Kinerja dan Ikhtisar Realisasi Kinerja SKPD"),
            row("sub_kegiatan", "2.17.07.2.01.02", "Pemberdayaan melalui Kemitraan Usaha Mikro")]
    rows.insert(3, row("program", "2.17.07", "PROGRAM PEMBERDAYAAN USAHA MENENGAH, USAHA KECIL, "
                                             "DAN USAHA MIKRO (UMKM)"))
    rows.insert(4, row("kegiatan", "2.17.07.2.01", "Pemberdayaan Usaha Mikro yang Dilakukan "
                       "Melalui Pendataan, Kemitraan, Kemudahan Perijinan, Penguatan "
                       "Kelembagaan dan Koordinasi dengan Para Pemangku Kepentingan"))
    assert [f for f in nomen(rows) if f.severity != "info"] == []


def test_name_differing_in_letter_case_only_is_info():
    official = lookup("2.17.03.2.01.01")[1][0].nama
    changed = " ".join(w.lower() if i == len(official.split()) - 1 else w
                       for i, w in enumerate(official.split()))
    assert changed != official
    rows = [row("sub_kegiatan", "2.17.03.2.01.01", changed),
            row("sub_kegiatan", "2.17.03.2.01.02", lookup("2.17.03.2.01.02")[1][0].nama.upper())]
    found = nomen(rows)
    assert [(f.row, f.column, f.severity) for f in found] == [(0, "uraian", "info")]
    assert found[0].printed == changed and found[0].expected == official
    assert "letter case only" in found[0].message


def test_other_name_is_a_warning():
    rows = [row("program", "3.31.02", "PROGRAM PERENCANAAN DAN PEMBANGUNAN INDUSTRI"),
            row("kegiatan", "3.31.02.2.01", "Penyusunan dan Evaluasi Rencana Pembangunan "
                "Industri Kabupaten/Kota"),
            row("sub_kegiatan", "3.31.02.2.01.05", "Koordinasi, Sinkronisasi, dan Pelaksanaan "
                "Pemberdayaan Industri dan Peran Serta Masyarakat")]
    found = nomen(rows)
    assert [(f.row, f.column, f.severity) for f in found] == [(2, "uraian", "warning")]
    assert found[0].expected.startswith("Koordinasi dan Sinkronisasi Pelaksanaan Rencana")


def test_unknown_code_is_a_warning():
    found = nomen([row("program", "2.17.99", "PROGRAM KOPERASI")])
    assert [(f.row, f.column, f.severity) for f in found] == [(0, "kode", "warning")]
