"""Document metadata from cover, caption and body strings the tests write themselves."""

from __future__ import annotations

import pytest

from renjana.normalize.metadata import complete_enumeration, extract_metadata
from renjana.normalize.regions import known_prefix, province_of


def meta(cover, captions=(), body=()):
    return extract_metadata(list(cover), list(captions), list(body))


# --------------------------------------------------------------------------- region and province
@pytest.mark.parametrize("cover, region, province", [
    (["PEMERINTAH KABUPATEN SLEMAN", "RENCANA KERJA TAHUN 2024"], "Kabupaten Sleman", "DI Yogyakarta"),
    (["PEMERINTAH KOTA MEDAN", "RENJA 2024"], "Kota Medan", "Sumatera Utara"),
    (["KABUPATEN ACEH BARAT DAYA TAHUN ANGGARAN 2023"], "Kabupaten Aceh Barat Daya", "Aceh"),
    (["PEMERINTAH KOTA TANJUNGPINANG"], "Kota Tanjungpinang", "Kepulauan Riau"),
    (["PEMERINTAH KAB. MAMUJU UTARA"], "Kabupaten Mamuju Utara", "Sulawesi Barat"),  # a former name
])
def test_province_from_a_region_that_does_not_print_it(cover, region, province):
    m = meta(cover)
    assert (m.region, m.province) == (region, province)


def test_kabupaten_and_kota_of_one_name_are_told_apart():
    assert province_of("kota", "Bogor") == province_of("kabupaten", "Bogor") == "Jawa Barat"
    assert known_prefix("kota", ["Batu", "Tahun"]) == 1
    assert known_prefix("kabupaten", ["Batu"]) == 0


def test_an_ordinary_phrase_is_no_region():
    body = ["Kegiatan di kota dalam rangka pembinaan; Kota Dalam Angka disusun BPS.",
            "Rencana Kerja Dinas Pertanian Kabupaten Sleman Tahun 2023"]
    m = meta(["RENCANA KERJA DINAS PERTANIAN", "TAHUN 2023"], body=body)
    assert m.region == "Kabupaten Sleman"


def test_the_cover_region_outweighs_others_named_in_the_text():
    body = ["kerja sama dengan Kota Yogyakarta dan Kabupaten Bantul serta Kabupaten Bantul"]
    m = meta(["PEMERINTAH KABUPATEN SLEMAN", "RENCANA KERJA TAHUN 2023"], body=body)
    assert m.region == "Kabupaten Sleman"


def test_an_unknown_region_alone_on_the_cover_is_still_taken():
    m = meta(["PEMERINTAH KABUPATEN CONTOH RAYA", "PROVINSI JAWA TENGAH", "RENJA TAHUN 2023"])
    assert (m.region, m.province) == ("Kabupaten Contoh Raya", "Jawa Tengah")


def test_an_unknown_cover_region_outweighs_a_known_one_named_once_in_the_text():
    m = meta(["PEMERINTAH KOTA CONTOH RAYA", "RENJA TAHUN 2023"], body=["studi banding ke Kota Medan"])
    assert m.region == "Kota Contoh Raya"


def test_a_provinsi_agency():
    m = meta(["PEMERINTAH PROVINSI NUSA TENGGARA BARAT", "DINAS PERTANIAN", "RENCANA KERJA TAHUN 2023"])
    assert (m.region, m.province) == ("Provinsi Nusa Tenggara Barat", "Nusa Tenggara Barat")


# --------------------------------------------------------------------------- dinas
@pytest.mark.parametrize("cover, dinas", [
    (["DINAS PERTANIAN DAN", "KETAHANAN PANGAN", "KOTA MEDAN"], "Dinas Pertanian dan Ketahanan Pangan"),
    (["BADAN PERENCANAAN PEMBANGUNAN", "DAERAH", "KABUPATEN SLEMAN", "TAHUN 2023"],
     "Badan Perencanaan Pembangunan Daerah"),
    (["RENCANA KERJA DINAS PERHUBUNGAN", "RENCANA KERJA TAHUN 2023"], "Dinas Perhubungan"),
    (["DINAS PERHUBUNGAN", "KOTA MEDAN"], "Dinas Perhubungan"),
    (["TENTANG RENJA DINAS SOSIAL DAN", "PEMBERDAYAAN MASYARAKAT TAHUN 2023"],
     "Dinas Sosial dan Pemberdayaan Masyarakat"),
    (["CAPAIAN KINERJA DINAS KESEHATAN s/d TAHUN 2023"], "Dinas Kesehatan"),
])
def test_a_dinas_name_ends_where_the_name_ends(cover, dinas):
    assert meta(cover).dinas == dinas


def test_the_generic_word_for_an_agency_is_no_name():
    m = meta(["RENCANA KERJA DAN ANGGARAN", "SATUAN KERJA PERANGKAT DAERAH", "KOTA MEDAN TAHUN ANGGARAN 2023"])
    assert m.dinas is None


def test_satuan_polisi_is_a_name():
    assert meta(["SATUAN POLISI PAMONG PRAJA", "KOTA MEDAN"]).dinas == "Satuan Polisi Pamong Praja"


def test_a_dropped_list_comma_is_put_back():
    cover = ["DINAS PERTANIAN, PANGAN KEHUTANAN DAN PERKEBUNAN", "KOTA MEDAN"]
    assert meta(cover).dinas == "Dinas Pertanian, Pangan, Kehutanan dan Perkebunan"


@pytest.mark.parametrize("name", [
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",  # no list commas: left as printed
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Koperasi, Usaha Kecil dan Menengah",
    "Dinas Pendidikan, Kepemudaan dan Olahraga",
])
def test_names_needing_no_comma_are_left_alone(name):
    assert complete_enumeration(name) == name


def test_comma_spellings_are_one_name_and_the_listed_one_wins():
    captions = ["Tabel 2.1 Evaluasi Dinas Pemuda Olahraga dan Pariwisata Kota Medan"]
    m = meta(["DINAS PEMUDA, OLAHRAGA DAN PARIWISATA", "KOTA MEDAN"], captions)
    assert m.dinas == "Dinas Pemuda, Olahraga dan Pariwisata"


# --------------------------------------------------------------------------- year
@pytest.mark.parametrize("cover, year", [
    (["RENCANA KERJA PERANGKAT DAERAH TAHUN 2023"], 2023),
    (["LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN", "2022"], 2022),
    (["RENCANA STRATEGIS", "TAHUN 2021-2026"], 2021),
    (["PERATURAN WALI KOTA MEDAN NOMOR 12 TAHUN 2020", "TENTANG RENCANA KERJA", "DINAS SOSIAL TAHUN 2021"], 2021),
    (["RENCANA KERJA DAN ANGGARAN", "KOTA MEDAN TAHUN ANGGARAN 2025"], 2025),
])
def test_year_is_the_plans_year(cover, year):
    assert meta(cover).year == year


def test_a_cited_regulation_year_never_counts():
    body = ["Penyusunan berpedoman pada Peraturan Menteri Dalam Negeri Nomor 90 Tahun 2019 dan "
            "Permendagri No. 86 Tahun 2017; Rencana Kerja ini untuk Tahun 2024."]
    m = meta(["PEMERINTAH KOTA MEDAN"], body=body)
    assert m.year == 2024
