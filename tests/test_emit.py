"""Emit: contract JSON and typed Parquet from hand-built DocumentResults."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from renjana import emit
from renjana.models import (
    BBox, CellSource, Column, DocumentMeta, DocumentResult, Finding, ParsedValue, Row, Source, Table,
)

COLUMNS = [
    Column(key="kode", label="Kode", type="code"),
    Column(key="uraian", label="Program/Kegiatan", type="text"),
    Column(key="target_k", label="K", type="qty"),
    Column(key="target_rp", label="Rp", type="money"),
    Column(key="capaian_k", label="Capaian K", type="percent"),
]


def evaluasi_table(table_id: str = "t1", columns: list[Column] = COLUMNS) -> Table:
    rows = [
        Row(cells=["2.17.01", "PROGRAM PENUNJANG", "14 bulan", "44.889.784.840", "100,00"][: len(columns)],
            level="program", kode="2.17.01", page=5,
            values={"target_k": ParsedValue(number=Decimal("14"), unit="bulan", decimals=0),
                    "target_rp": ParsedValue(number=Decimal("44889784840"), decimals=0),
                    "capaian_k": ParsedValue(number=Decimal("100.00"), decimals=2)}),
        Row(cells=["", "Jumlah dokumen", "-", "###", ""][: len(columns)], level="indicator", page=6,
            parent=0,
            values={"target_k": ParsedValue(reason="nil"), "target_rp": ParsedValue(reason="lost"),
                    "capaian_k": ParsedValue(reason="empty")}),
    ]
    return Table(id=table_id, kind="evaluasi_renja", pages=[5, 6], columns=columns, rows=rows)


def make_result(region: str | None = "Kabupaten Malang", dinas: str | None = "Dinas Koperasi dan Usaha Mikro",
                year: int | None = 2021, tables: list[Table] | None = None) -> DocumentResult:
    return DocumentResult(
        source=Source(file="kab-malang-2021-a.pdf", sha256="ab" * 32, pages=14),
        document=DocumentMeta(region=region, province="Jawa Timur", dinas=dinas, year=year),
        tables=[evaluasi_table()] if tables is None else tables,
        findings=[Finding(rule="capaian_rp", severity="error", table="t1", row=0,
                          column="capaian_k", message="100,00 printed, 99,00 computed")],
        notes=["page 3: no text layer: needs OCR"],
    )


def test_slugify():
    assert emit.slugify("Dinas Koperasi & Usaha Mikro", "x") == "dinas-koperasi-usaha-mikro"
    assert emit.slugify("Kabupaten  Malang (Jawa Timur)", "x") == "kabupaten-malang-jawa-timur"
    assert emit.slugify("Dinas Pendidikan dan Kebudayaan Sumbawa Besar É", "x").isascii()
    assert emit.slugify(None, "unknown-dinas") == "unknown-dinas"
    assert emit.slugify("—", "unknown-dinas") == "unknown-dinas"


def test_json_has_contract_shape_and_path(tmp_path: Path):
    path = emit.write_json(make_result(), tmp_path)
    assert path == tmp_path / "kabupaten-malang" / "dinas-koperasi-dan-usaha-mikro" / "2021" / "kab-malang-2021-a.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["source"] == {"file": "kab-malang-2021-a.pdf", "sha256": "ab" * 32, "pages": 14, "unread_pages": [], "damaged": None}
    assert doc["document"]["region"] == "Kabupaten Malang" and doc["document"]["year"] == 2021
    table = doc["tables"][0]
    assert {"id", "kind", "pages", "columns", "rows"} <= table.keys()
    assert table["columns"][0] == {"key": "kode", "label": "Kode", "type": "code"}
    assert table["rows"][0]["cells"][3] == "44.889.784.840"
    assert table["rows"][0]["level"] == "program"
    assert table["rows"][0]["values"]["target_rp"]["number"] == "44889784840"  # Decimal → string
    assert doc["findings"][0]["severity"] == "error" and doc["findings"][0]["row"] == 0
    assert DocumentResult.model_validate(doc) == make_result()  # round trip


def test_json_is_python_json_layout_byte_for_byte(tmp_path: Path):
    """The JSON written piece by piece (tables, rows, findings) is json.dump's indented text of
    the whole dump, byte for byte: for no table, one, several (one without rows); no finding, one,
    several; non-ASCII text, quotes, newlines and a key's own text inside a string."""
    odd = evaluasi_table("t2")
    odd.caption = 'Tabel "3.1"\n "rows": [] — Rencana Kegiatan'
    empty = Table(id="t3", kind="other", pages=[7], columns=COLUMNS[:1], rows=[])
    odd_finding = Finding(rule="total", severity="warning", table="t2", row=1,
                          message='sum "Rp" ≠\n "findings": [] printed')
    for tables in ([], [evaluasi_table()], [evaluasi_table(), odd, empty]):
        for findings in (None, [], [odd_finding, odd_finding.model_copy(update={"row": None})]):
            result = make_result(tables=tables)
            if findings is not None:
                result.findings = findings
            path = emit.write_json(result, tmp_path)
            expected = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
            assert path.read_bytes() == expected.encode("utf-8")


def test_json_floats_keep_their_values(tmp_path: Path):
    """Floats are written by pydantic's serializer: the same values as Python's json (a tiny one
    may read 3e-7 where Python writes 3e-07), NaN and Infinity as Python writes them, the same
    lines and indentation."""
    table = evaluasi_table()
    table.rows[0].sources = [CellSource(page=5, bbox=BBox(x0=1.5, top=float("nan"), x1=3e-7, bottom=float("inf")))]
    result = make_result(tables=[table])
    text = emit.write_json(result, tmp_path).read_text(encoding="utf-8")
    expected = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
    assert json.dumps(json.loads(text)) == json.dumps(json.loads(expected))
    assert [line.split(":")[0] for line in text.splitlines()] == [line.split(":")[0] for line in expected.splitlines()]


def test_missing_metadata_goes_to_unknown_folders(tmp_path: Path):
    path = emit.write_json(make_result(region=None, dinas=None, year=None), tmp_path)
    assert path.relative_to(tmp_path).parts[:3] == ("unknown-region", "unknown-dinas", "unknown-year")


def test_parquet_typed_and_provenance_columns(tmp_path: Path):
    narrow = evaluasi_table("t2", COLUMNS[:2])
    other = Table(id="t3", kind="rencana_program", pages=[8],
                  columns=[Column(key="pagu", label="Pagu", type="money")],
                  rows=[Row(cells=["1.000,50"], page=8,
                            values={"pagu": ParsedValue(number=Decimal("1000.5"), decimals=2)})])
    paths = emit.write_parquet(make_result(tables=[evaluasi_table(), narrow, other]), tmp_path)
    assert sorted(p.name for p in paths) == ["kab-malang-2021-a.evaluasi_renja.parquet",
                                             "kab-malang-2021-a.rencana_program.parquet"]
    table = pq.read_table(next(p for p in paths if "evaluasi" in p.name))
    schema = table.schema
    for name in ("source_file", "sha256", "table_id", "page", "row_index", "level", "kode", "parent"):
        assert name in schema.names
    assert schema.field("target_rp__value").type == pa.decimal128(38, 6)
    assert schema.field("capaian_k__value").type == pa.decimal128(38, 6)
    assert schema.field("target_k__unit").type == pa.string()
    assert "uraian__value" not in schema.names
    assert "kode__printed" in schema.names  # the printed kode column does not clobber Row.kode
    rows = table.to_pylist()
    assert len(rows) == 4  # t1 and t2 concatenated
    first = rows[0]
    assert first["source_file"] == "kab-malang-2021-a.pdf" and first["table_id"] == "t1"
    assert first["page"] == 5 and first["row_index"] == 0 and first["level"] == "program"
    assert first["target_rp"] == "44.889.784.840"
    assert first["target_rp__value"] == Decimal("44889784840")
    assert first["target_k__value"] == Decimal(14) and first["target_k__unit"] == "bulan"
    assert rows[1]["target_rp__value"] is None and rows[1]["parent"] == 0
    t2_rows = [r for r in rows if r["table_id"] == "t2"]
    assert t2_rows[0]["uraian"] == "PROGRAM PENUNJANG" and t2_rows[0]["target_rp"] is None
    program = pq.read_table(next(p for p in paths if "rencana" in p.name)).to_pylist()
    assert program[0]["pagu__value"] == Decimal("1000.5")


def test_parquet_of_a_kind_no_longer_found_is_removed(tmp_path: Path):
    first = emit.write_parquet(make_result(), tmp_path)
    assert first[0].exists()
    assert emit.write_parquet(make_result(tables=[]), tmp_path) == []
    assert not first[0].exists()


def test_interrupted_write_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    [path] = emit.write_parquet(make_result(), tmp_path)
    before = path.read_bytes()

    def half_write(table, where, **kwargs):
        Path(where).write_bytes(b"PAR1 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(emit.pq, "write_table", half_write)
    with pytest.raises(KeyboardInterrupt):
        emit.write_parquet(make_result(), tmp_path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_write_all_removes_earlier_output_of_same_pdf(tmp_path: Path):
    old = emit.write_all(make_result(region=None), tmp_path)
    new = emit.write_all(make_result(), tmp_path)
    assert all(p.exists() for p in new)
    assert not any(p.exists() for p in old)
    other_pdf = make_result(region=None)
    other_pdf.source.sha256 = "cd" * 32  # same name, different file: kept
    kept = emit.write_all(other_pdf, tmp_path)
    emit.write_all(make_result(), tmp_path)
    assert kept[0].exists()
