"""The pooled dataset: self-standing records, hive layout, one schema per kind, DuckDB views,
the CLI's dataset, query and --csv, and a run on a Dask LocalCluster."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import pdfgen as g
from renjana import emit
from renjana.cli import app
from renjana.dataset import DATABASE, query, refresh
from renjana.models import (
    CellSource, Column, DocumentMeta, DocumentResult, Finding, ParsedValue, Row, Source, Table,
)
from renjana.records import kind_tables

runner = CliRunner()


def money(text: str) -> ParsedValue:
    return ParsedValue(number=Decimal(text.replace(".", "")), decimals=0)


def plan_table(extra_key: str | None = None) -> Table:
    """A program with two kegiatan (one with two sub kegiatan) and a total: pagu repeated upwards."""
    columns = [Column(key="kode", label="Kode", type="code"),
               Column(key="uraian", label="Uraian", type="text"),
               Column(key="pagu", label="Pagu", type="money")]
    if extra_key:
        columns.append(Column(key=extra_key, label="Tambahan", type="money"))
    spec = [("1.01", "PROGRAM A", "300", "program", None),
            ("1.01.1", "Kegiatan A1", "100", "kegiatan", 0),
            ("1.01.2", "Kegiatan A2", "200", "kegiatan", 0),
            ("1.01.2.01", "Sub A2a", "150", "sub_kegiatan", 2),
            ("1.01.2.02", "Sub A2b", "50", "sub_kegiatan", 2),
            ("", "Jumlah", "300", "total", None)]
    rows = []
    for kode, name, pagu, level, parent in spec:
        cells = [kode, name, pagu] + (["7"] if extra_key else [])
        values = {"pagu": money(pagu)} | ({extra_key: money("7")} if extra_key else {})
        sources = [CellSource(page=3, bbox=g_box(i), confidence=0.8 if name == "Sub A2a" and i == 1 else 1.0,
                              repair="joined a wrapped word" if name == "Sub A2a" and i == 1 else None)
                   for i in range(len(cells))]
        rows.append(Row(cells=cells, level=level, kode=kode or None, page=3, parent=parent,
                        values=values, sources=sources))
    return Table(id="t1", kind="rencana_program", caption="Tabel 3.1 Rencana", pages=[3],
                 columns=columns, rows=rows)


def g_box(i: int):
    from renjana.models import BBox
    return BBox(x0=50 + 100 * i, top=100, x1=140 + 100 * i, bottom=112)


def document(file: str, region: str = "Kabupaten Contoh", year: int | None = 2023,
             extra_key: str | None = None, dinas: str = "Dinas Koperasi") -> DocumentResult:
    return DocumentResult(
        source=Source(file=file, sha256=(file.encode().hex() * 64)[:64], pages=4),
        document=DocumentMeta(region=region, province="Jawa Tengah", dinas=dinas, year=year),
        tables=[plan_table(extra_key)],
        findings=[Finding(rule="parent_sum", severity="error", table="t1", row=0, column="pagu",
                          message="300 printed, 301 computed", printed="300", expected="301", page=3)],
    )


def test_records_stand_on_their_own():
    [(kind, table)] = kind_tables(document("a.pdf")).items()
    rows = table.to_pylist()
    assert kind == "rencana_program"
    first = rows[0]
    assert (first["region"], first["year"], first["region_name"], first["province"], first["dinas"]) == (
        "kabupaten-contoh", 2023, "Kabupaten Contoh", "Jawa Tengah", "Dinas Koperasi")
    assert (first["kind"], first["table_id"], first["caption"], first["source_file"]) == (
        "rencana_program", "t1", "Tabel 3.1 Rencana", "a.pdf")
    assert first["page"] == 3 and first["row_index"] == 0 and first["level"] == "program"
    assert first["kode__printed"] == "1.01" and first["kode"] == "1.01"
    assert (first["x0"], first["top"], first["x1"], first["bottom"]) == (50, 100, 340, 112)
    assert rows[3]["parent"] == 2 and rows[3]["parent_kode"] == "1.01.2"
    assert rows[3]["uraian__confidence"] == pytest.approx(0.8)
    assert rows[3]["uraian__repair"] == "joined a wrapped word" and rows[0]["uraian__repair"] is None
    assert rows[3]["row_confidence"] == pytest.approx(0.8)
    # leaves: kegiatan A1 and both sub kegiatan; never the program, kegiatan A2 or the total
    assert [r["is_leaf"] for r in rows] == [False, True, False, True, True, False]
    assert sum(r["pagu__value"] for r in rows if r["is_leaf"]) == Decimal(300)


def test_write_all_fills_the_hive_dataset(tmp_path: Path):
    emit.write_all(document("a.pdf"), tmp_path)
    root = tmp_path / "dataset"
    name = emit.dataset_part_name("a.pdf", document("a.pdf").source.sha256)
    for kind in ("rencana_program", "findings", "documents"):
        part = root / kind / "region=kabupaten-contoh" / "year=2023" / name
        assert part.exists(), kind
        assert "region" not in pq.read_schema(part).names  # the partition holds it
    [finding] = pq.read_table(root / "findings").to_pylist()
    assert finding["rule"] == "parent_sum" and finding["kode"] == "1.01" and finding["level"] == "program"
    # the region is recognised on a later run: the part moves, none stays behind
    emit.write_all(document("a.pdf", region="Kota Lain"), tmp_path)
    assert sorted(p.parent.parent.name for p in root.glob("*/*/*/*.parquet")) == ["region=kota-lain"] * 3


def test_refresh_gives_one_schema_and_duckdb_views(tmp_path: Path):
    emit.write_all(document("a.pdf"), tmp_path)
    emit.write_all(document("b.pdf", year=2024, extra_key="tambahan"), tmp_path)  # a new key later
    report = refresh(tmp_path)
    assert report.widened == 1  # a.pdf's part gained the new columns
    schemas = {pq.read_schema(p) for p in (tmp_path / "dataset" / "rencana_program").glob("*/*/*.parquet")}
    assert len(schemas) == 1
    table = ds.dataset(tmp_path / "dataset" / "rencana_program", partitioning="hive").to_table()
    assert table.num_rows == 12 and "tambahan__value" in table.column_names
    registry = json.loads((tmp_path / "dataset" / "rencana_program" / "_schema.json").read_text())
    assert {"name": "tambahan__value", "type": "decimal128(38, 6)"} in registry["columns"]
    assert (tmp_path / DATABASE).exists()
    assert {"rencana_program", "rencana_program_leaf", "findings", "documents"} <= set(report.views)
    names, rows = query(tmp_path, "SELECT year, sum(pagu__value) FROM rencana_program_leaf "
                                  "GROUP BY year ORDER BY year")
    assert rows == [(2023, Decimal(300)), (2024, Decimal(300))]
    _, rows = query(tmp_path, "SELECT sum(pagu__value) FROM rencana_program WHERE level = 'program'")
    assert rows == [(Decimal(600),)]  # one program in each of the two documents
    _, rows = query(tmp_path, "SELECT region, rule, count(*) FROM findings GROUP BY ALL")
    assert rows == [("kabupaten-contoh", "parent_sum", 2)]


def test_documents_copies_and_primary(tmp_path: Path):
    for name in ("a.pdf", "b.pdf"):  # one plan printed twice
        emit.write_all(document(name), tmp_path)
    emit.write_all(document("c.pdf", dinas="Dinas Lain"), tmp_path)
    refresh(tmp_path)
    _, rows = query(tmp_path, "SELECT source_file, copies, is_primary FROM documents ORDER BY 1")
    assert [r[1] for r in rows] == [2, 2, 1]
    assert sum(r[2] for r in rows[:2]) == 1 and rows[2][2] is True


def test_refresh_follows_the_documents(tmp_path: Path):
    emit.write_json(document("old.pdf"), tmp_path)  # an output from before the dataset existed
    emit.write_all(document("gone.pdf"), tmp_path)
    gone_json = next(tmp_path.glob("*/*/*/gone.json"))
    gone_json.unlink()
    report = refresh(tmp_path)
    assert [Path(p).name for p in report.written] == ["old.json"]
    assert report.removed and all("gone" in p for p in report.removed)
    _, rows = query(tmp_path, "SELECT source_file FROM documents")
    assert rows == [("old.pdf",)]


def test_a_query_reads_the_dataset_and_no_other_file(tmp_path: Path):
    import duckdb

    out = tmp_path / "it's out"  # a quote in the folder's name, written into the setting
    emit.write_all(document("a.pdf"), out)
    refresh(out)
    secret = tmp_path / "secret.csv"
    secret.write_text("x\n1\n")
    assert query(out, "SELECT source_file FROM documents") == (["source_file"], [("a.pdf",)])
    for path in (secret, f"{tmp_path}/*", out / "manifest.jsonl"):
        with pytest.raises(duckdb.PermissionException):
            query(out, "SELECT * FROM read_text('{}')".format(str(path).replace("'", "''")))


def test_refresh_removes_a_document_whose_name_holds_glob_characters(tmp_path: Path):
    emit.write_all(document("br[red]k.pdf"), tmp_path)
    next(tmp_path.glob("*/*/*/br[[]red]k.json")).unlink()
    report = refresh(tmp_path)
    assert report.removed and all("br[red]k" in p for p in report.removed)
    assert not list((tmp_path / "dataset").rglob("br[[]red]k*.parquet"))


def test_cli_dataset_query_and_csv(tmp_path: Path):
    emit.write_all(document("a.pdf"), tmp_path)
    result = runner.invoke(app, ["dataset", str(tmp_path), "--csv"])
    assert result.exit_code == 0, result.output
    assert "rencana_program_leaf" in result.stdout
    csv_text = (tmp_path / "csv" / "rencana_program.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("region,year,region_name")
    assert "Sub A2a" in csv_text
    result = runner.invoke(app, ["query", str(tmp_path), "SELECT uraian, pagu__value FROM "
                                 "rencana_program_leaf ORDER BY row_index"])
    assert result.exit_code == 0, result.output
    assert "Kegiatan A1" in result.stdout and "Sub A2b" in result.stdout and "Jumlah" not in result.stdout
    result = runner.invoke(app, ["query", str(tmp_path), "SELECT nope FROM findings"])
    assert result.exit_code != 0 and "nope" in result.stderr
    result = runner.invoke(app, ["query", str(tmp_path / "elsewhere"), "SELECT 1"])
    assert result.exit_code != 0 and "renjana dataset" in result.stderr


def test_cli_query_csv_and_wide_keep_every_value_whole(tmp_path: Path):
    import csv
    import io

    emit.write_all(document("a.pdf"), tmp_path)
    refresh(tmp_path)
    sql = ("SELECT uraian, 'awal ' || repeat('panjang ', 30) || 'akhir' AS catatan, pagu__value "
           "FROM rencana_program_leaf ORDER BY row_index")
    cut = runner.invoke(app, ["query", str(tmp_path), sql])
    assert cut.exit_code == 0, cut.output
    assert not any("awal" in line and "akhir" in line for line in cut.stdout.splitlines())
    wide = runner.invoke(app, ["query", str(tmp_path), sql, "--wide"])
    assert wide.exit_code == 0, wide.output
    assert any("awal " + "panjang " * 30 + "akhir" in line for line in wide.stdout.splitlines())
    done = runner.invoke(app, ["query", str(tmp_path), sql, "--csv"])
    assert done.exit_code == 0, done.output
    table = list(csv.reader(io.StringIO(done.stdout)))
    _, rows = query(tmp_path, sql)
    assert table[0] == ["uraian", "catatan", "pagu__value"]
    assert table[1:] == [[r[0], r[1], str(r[2])] for r in rows] and len(rows) > 1
    first = runner.invoke(app, ["query", str(tmp_path), sql, "--csv", "--limit", "1"])
    assert len(list(csv.reader(io.StringIO(first.stdout)))) == 2


def drawn_plan(path: Path) -> Path:
    b = g.PdfBuilder(path, footer=g.SLOGAN)
    b.cover(g.COVER)
    b.table(g.evaluasi_spec())
    return b.save()


def test_run_csv_beside_the_parquet(tmp_path: Path):
    """``run --csv``: a CSV beside each Parquet file of the document, none inside the dataset
    (the README's pyarrow snippet reads it), each in the manifest's outputs; a file that fails on
    a rerun loses them with its other outputs, and no empty folder is left."""
    out = tmp_path / "out"
    pdf = drawn_plan(tmp_path / "in" / "plan.pdf") if (tmp_path / "in").mkdir() is None else None
    result = runner.invoke(app, ["run", str(pdf), "-o", str(out), "--csv"])
    assert result.exit_code == 0, result.output
    [csv] = out.glob("*/*/*/plan.evaluasi_renja.csv")
    assert csv.read_text(encoding="utf-8-sig").splitlines()[0].startswith("region,year")
    assert not list((out / "dataset").rglob("*.csv"))
    assert ds.dataset(out / "dataset/evaluasi_renja", partitioning="hive").to_table().num_rows > 0
    [record] = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines() if '"path"' in line]
    assert str(csv.relative_to(out)) in record["outputs"]
    assert f"csv {csv}" in result.stdout
    pdf.write_bytes(b"%PDF-1.4 broken now")
    again = runner.invoke(app, ["run", str(pdf), "-o", str(out), "--csv"])
    assert again.exit_code != 0
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*") if not p.name.startswith("."))
    assert left == ["manifest.jsonl"], left


def test_dataset_removes_csvs_an_older_run_left_in_its_partitions(tmp_path: Path):
    emit.write_all(document("a.pdf"), tmp_path)
    [part] = (tmp_path / "dataset" / "rencana_program").glob("region=*/year=*/*.parquet")
    stray = part.with_suffix(".csv")
    stray.write_text("region,year\n")
    report = refresh(tmp_path)
    assert not stray.exists() and str(stray) in report.removed
    assert ds.dataset(tmp_path / "dataset/rencana_program", partitioning="hive").to_table().num_rows > 0


def test_a_document_moved_elsewhere_leaves_no_empty_folders(tmp_path: Path):
    """A rerun that reads another region or year: the old region/dinas/year folders and dataset
    partitions, now empty, are removed up to the output folder."""
    from renjana.manifest import OutputStore
    from renjana.runner import Outcome, commit_outcome, _summarize

    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    out = tmp_path / "out"
    with OutputStore(out) as store:
        for region in ("Kota Batu", "Kota Malang"):
            result = document("a.pdf", region=region)
            staging = store.staging_dir()
            written = emit.write_all(result, staging)
            summary = _summarize(result, [str(p.relative_to(staging)) for p in written])
            commit_outcome(store, pdf, "ab" * 32, Outcome(summary.status, summary), staging, 0.0)
    folders = {p.relative_to(out).parts[0] for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert folders == {"kota-malang", "dataset"}, folders
    partitions = {p.name for p in (out / "dataset").glob("*/region=*")}
    assert partitions == {"region=kota-malang"}, partitions


def test_dask_local_cluster_run(tmp_path: Path):
    distributed = pytest.importorskip("distributed")
    from renjana.dask_runner import run_files_dask
    from renjana.runner import RunSettings

    folder = tmp_path / "in"
    folder.mkdir()
    pdf = drawn_plan(folder / "plan.pdf")
    (folder / "broken.pdf").write_bytes(os.urandom(2048))
    seen = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        report = run_files_dask([pdf, folder / "broken.pdf"], tmp_path / "out",
                                RunSettings(timeout_s=120), cluster.scheduler_address,
                                on_done=seen.append)
    ok, broken = report.results
    assert ok.ok and ok.summary.tables >= 1 and ok.summary.rows > 0
    assert not broken.ok and broken.path.name == "broken.pdf" and broken.failure
    assert len(seen) == 2
    # the client wrote the outputs: the JSON and the dataset part
    [json_path] = (tmp_path / "out").glob("*/*/*/plan.json")
    assert json.loads(json_path.read_text())["source"]["file"] == "plan.pdf"
    assert list((tmp_path / "out" / "dataset" / "evaluasi_renja").glob("*/*/plan-*.parquet"))


def numbers_document(file: str, pagu: list[int], target: list[int], dinas: str = "Dinas Koperasi",
                     year: int | None = 2023) -> DocumentResult:
    """A plan of len(pagu) programs with a pagu and a target column (the row signatures)."""
    columns = [Column(key="kode", label="Kode", type="code"),
               Column(key="pagu", label="Pagu", type="money"),
               Column(key="target", label="Target", type="money")]
    rows = [Row(cells=[f"1.{i:02d}", str(p), str(t)], level="program", kode=f"1.{i:02d}", page=3,
                values={"pagu": money(str(p)), "target": money(str(t))})
            for i, (p, t) in enumerate(zip(pagu, target))]
    table = Table(id="t1", kind="rencana_program", caption="Rencana", pages=[3], columns=columns, rows=rows)
    return DocumentResult(source=Source(file=file, sha256=(file.encode().hex() * 64)[:64], pages=4),
                          document=DocumentMeta(region="Kabupaten Contoh", dinas=dinas, year=year),
                          tables=[table])


def test_copies_are_told_by_their_rows_not_by_office_alone(tmp_path: Path):
    pagu = [1000 * (i + 1) for i in range(10)]
    target = [10 + i for i in range(10)]
    misread = list(pagu)
    misread[4] = 5800  # one OCR misread cell: still a copy
    revised = [p + 250 for p in pagu]  # the revised plan: other pagu throughout
    emit.write_all(numbers_document("a.pdf", pagu, target), tmp_path)
    emit.write_all(numbers_document("b.pdf", misread, target), tmp_path)
    emit.write_all(numbers_document("c.pdf", revised, target), tmp_path)
    emit.write_all(numbers_document("d.pdf", revised, target, year=2024), tmp_path)  # other year
    refresh(tmp_path)
    _, rows = query(tmp_path, "SELECT source_file, copies, is_primary, plan_group FROM documents ORDER BY 1")
    by_file = {r[0]: r[1:] for r in rows}
    assert by_file["a.pdf"][0] == by_file["b.pdf"][0] == 2
    assert by_file["a.pdf"][2] == by_file["b.pdf"][2]
    assert by_file["a.pdf"][1] + by_file["b.pdf"][1] == 1  # one primary for the two copies
    assert by_file["c.pdf"][:2] == (1, True) and by_file["d.pdf"][:2] == (1, True)
    _, [(plans,)] = query(tmp_path, "SELECT count(*) FROM documents WHERE is_primary")
    assert plans == 3
    _, [(total,)] = query(tmp_path, "SELECT sum(p.pagu__value) FROM rencana_program p "
                                    "JOIN documents d USING (sha256) WHERE d.is_primary AND d.year = 2023")
    assert total == sum(pagu) + sum(revised)  # both plans of 2023 counted, the copy once


def test_copies_without_a_printed_dinas_are_one_plan(tmp_path: Path):
    """Two copies of one plan that do not print their office (dinas not recognised) are still
    copies by their identical content in one region and year, with one primary; the same
    numbers in another year, or a plan that differs, are not."""
    pagu = [1000 * (i + 1) for i in range(10)]
    target = [10 + i for i in range(10)]
    emit.write_all(numbers_document("a.pdf", pagu, target, dinas=None), tmp_path)
    emit.write_all(numbers_document("b.pdf", pagu, target, dinas=None), tmp_path)
    emit.write_all(numbers_document("c.pdf", pagu, target), tmp_path)  # the office printed
    emit.write_all(numbers_document("d.pdf", pagu, target, dinas=None, year=2024), tmp_path)
    other = list(pagu)
    other[4] = 5800
    emit.write_all(numbers_document("e.pdf", other, target, dinas=None), tmp_path)
    refresh(tmp_path)
    _, rows = query(tmp_path, "SELECT source_file, copies, is_primary, plan_group FROM documents ORDER BY 1")
    by_file = {r[0]: r[1:] for r in rows}
    assert [by_file[f][0] for f in ("a.pdf", "b.pdf", "c.pdf")] == [3, 3, 3]
    assert len({by_file[f][2] for f in ("a.pdf", "b.pdf", "c.pdf")}) == 1
    assert sum(by_file[f][1] for f in ("a.pdf", "b.pdf", "c.pdf")) == 1
    assert by_file["d.pdf"][:2] == (1, True) and by_file["e.pdf"][:2] == (1, True)


def test_group_copies_components_and_empty_signatures():
    from renjana.copies import COPY_SIMILARITY, group_copies, jaccard, signature_of

    base = [{"kode": f"1.{i}", "parent_kode": None, "pagu__value": Decimal(i * 100)} for i in range(1, 11)]
    def variant(change: int) -> set:
        records = [dict(r) for r in base]
        records[change]["pagu__value"] += 1
        return signature_of("k", records)
    sig = {"s1": signature_of("k", base), "s2": variant(0), "s3": variant(9)}
    assert jaccard(sig["s2"], sig["s3"]) < COPY_SIMILARITY  # two misreads apart...
    docs = [(s, s, "r", "d", 2023) for s in ("s3", "s2", "s1")] + [("s4", "s4", "r", "d", 2023),
                                                                    ("s5", "s5", "r", None, 2023)]
    groups = group_copies(docs, sig)
    # ...but each is a copy of s1: one component, primary the smallest sha256
    assert {groups[s].group for s in ("s1", "s2", "s3")} == {"s1"}
    assert [groups[s].is_primary for s in ("s1", "s2", "s3")] == [True, False, False]
    assert groups["s1"].copies == 3
    # nothing to compare (no table read) or no dinas: a plan of its own
    assert groups["s4"].copies == 1 and groups["s4"].is_primary
    assert groups["s5"].copies == 1 and groups["s5"].is_primary
    # one PDF twice under two names: copies even with nothing to compare
    twice = group_copies([("x/a.pdf", "x", "r", "d", 2023), ("x/b.pdf", "x", "r", "d", 2023)], {})
    assert sorted(c.is_primary for c in twice.values()) == [False, True]


def test_query_runs_one_read_statement_only(tmp_path: Path):
    from renjana.dataset import QueryRefused

    emit.write_all(document("a.pdf"), tmp_path)
    refresh(tmp_path)
    target = tmp_path / "written.csv"
    for sql in (f"COPY (SELECT 1) TO '{target}'", "SELECT 1; SELECT 2", f"ATTACH '{tmp_path / 'x.db'}'",
                "CREATE TABLE t (a INTEGER)", f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{target}'",
                "PRAGMA version"):
        with pytest.raises(QueryRefused, match="one read statement"):
            query(tmp_path, sql)
    assert not target.exists() and not (tmp_path / "x.db").exists()
    for sql in ("SELECT 1", "WITH a AS (SELECT 1) SELECT * FROM a", "DESCRIBE documents", "SHOW TABLES",
                "SUMMARIZE documents", "EXPLAIN SELECT 1", "FROM documents", "VALUES (1)",
                "-- a comment\n(SELECT 1)"):
        query(tmp_path, sql)
    result = runner.invoke(app, ["query", str(tmp_path), f"COPY (SELECT 1) TO '{target}'"])
    assert result.exit_code != 0 and "one read statement" in result.stderr and "COPY" in result.stderr
    assert not target.exists()


def test_query_on_a_dataset_without_documents_says_so(tmp_path: Path):
    result = runner.invoke(app, ["dataset", str(tmp_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["query", str(tmp_path), "SELECT * FROM documents"])
    assert result.exit_code != 0
    assert f"no documents in {tmp_path}: run renjana run then renjana dataset" in " ".join(result.stderr.split())
    assert "Catalog" not in result.stderr


def one_plan(path: Path) -> DocumentResult:
    """Every input as the same plan, with the input's own sha256 (a batch worker's process)."""
    import hashlib

    result = document(path.name)
    result.source.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def test_one_pdf_in_two_folders_is_two_documents_and_one_primary(tmp_path: Path):
    """The same PDF under one name in two input folders: two documents (each its own
    document_id, on every record), one sha256, exactly one primary; joined on document_id
    each record meets its own document once."""
    from renjana.runner import RunSettings, run_files

    inputs = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        inputs.append(tmp_path / folder / "renja.pdf")
        inputs[-1].write_bytes(b"%PDF-1.4 the same bytes")
    out = tmp_path / "out"
    run_files(inputs, out, RunSettings(process=one_plan))
    refresh(out)
    _, docs = query(out, "SELECT document_id, sha256, copies, is_primary FROM documents ORDER BY 1")
    assert len(docs) == 2 and docs[0][0] != docs[1][0] and docs[0][1] == docs[1][1]
    assert [d[2] for d in docs] == [2, 2] and sorted(d[3] for d in docs) == [False, True]
    _, [(records, joined, primary)] = query(out, (
        "SELECT (SELECT count(*) FROM rencana_program), count(*), count(*) FILTER (WHERE d.is_primary) "
        "FROM rencana_program p JOIN documents d USING (document_id)"))
    assert records == joined == 12 and primary == 6  # six rows a plan, each counted once
    _, [(findings,)] = query(out, "SELECT count(*) FROM findings f JOIN documents d USING (document_id) "
                                  "WHERE d.is_primary")
    assert findings == 1
    # The id is the name of the document's files: its dataset parts and, beside its JSON (the
    # second input's renamed on the clash), the Parquet records; the JSON and the manifest
    # record carry it too.
    by_id = {r["document_id"]: r for r in map(json.loads, (out / "manifest.jsonl").open()) if "path" in r}
    for doc_id, *_ in docs:
        [part] = out.glob(f"dataset/rencana_program/*/*/{doc_id}.parquet")
        assert set(pq.read_table(part, partitioning=None).column("document_id").to_pylist()) == {doc_id}
        [json_rel] = [o for o in by_id[doc_id]["outputs"] if o.endswith(".json")]
        assert json.loads((out / json_rel).read_text())["document_id"] == doc_id
        stem = Path(json_rel).stem
        [beside] = out.glob(f"*/*/*/{stem}.rencana_program.parquet")
        assert set(pq.read_table(beside).column("document_id").to_pylist()) == {doc_id}


def test_parts_written_before_document_ids_are_rewritten(tmp_path: Path):
    emit.write_all(document("a.pdf"), tmp_path)
    for part in (tmp_path / "dataset").glob("*/*/*/*.parquet"):  # as an older version wrote them
        pq.write_table(pq.read_table(part, partitioning=None).drop_columns(["document_id"]), part)
    refresh(tmp_path)
    _, rows = query(tmp_path, "SELECT document_id, is_primary FROM documents")
    assert rows == [(emit.dataset_part_name("a.pdf", document("a.pdf").source.sha256)[: -len(".parquet")], True)]


def test_a_renamed_document_keeps_its_parts_on_refresh(tmp_path: Path):
    """Two PDFs named renja.pdf for one folder: the second's JSON is renja-<sha12>.json, its id
    and its parts' name the same. A refresh after both JSONs changed on disk rewrites each
    document's own parts, never one from the other's JSON, and removes nothing."""
    from renjana.runner import RunSettings, run_files

    inputs = []
    for folder, text in (("a", b"%PDF-1.4 first"), ("b", b"%PDF-1.4 second")):
        (tmp_path / folder).mkdir()
        inputs.append(tmp_path / folder / "renja.pdf")
        inputs[-1].write_bytes(text)
    out = tmp_path / "out"
    run_files(inputs, out, RunSettings(process=one_plan))
    refresh(out)
    _, before = query(out, "SELECT document_id, sha256, source_file FROM documents ORDER BY 1")
    assert len(before) == 2
    later = max(p.stat().st_mtime for p in out.rglob("*.parquet")) + 10
    for json_path in out.glob("*/*/*/*.json"):
        os.utime(json_path, (later, later))
    report = refresh(out)
    assert report.removed == [] and len(report.written) == 2
    _, after = query(out, "SELECT document_id, sha256, source_file FROM documents ORDER BY 1")
    assert after == before
    for doc_id, sha, _ in after:
        [part] = out.glob(f"dataset/documents/*/*/{doc_id}.parquet")
        assert pq.read_table(part, partitioning=None).column("sha256").to_pylist() == [sha]
