"""The pooled dataset under an output folder, and its DuckDB database.

``renjana run`` writes each document's parts into ``OUT/dataset/<kind>/region=…/year=…/`` as the
file finishes (:func:`renjana.emit.write_dataset`); each part has that document's columns. This
module makes the whole consistent (:func:`refresh`):

1. **sync with the documents**: a document JSON without parts (written by an older version) gets
   them, parts older than their JSON are written again, parts whose JSON is gone (or now holds
   another PDF) are removed, so the dataset holds exactly the documents the output folder holds;
2. **one schema per kind**: the union of the columns of all its parts (record fields first, then
   the table columns by name); parts missing a column get it as nulls, so any Parquet reader sees
   one stable schema. A key that a later document brings is added to every part at the next
   refresh, and recorded in ``dataset/<kind>/_schema.json``;
3. **the database** ``OUT/renjana.duckdb``: a view per kind over its parts, ``<kind>_leaf`` (rows
   with ``is_leaf``: a sum over them counts every amount once), ``findings`` and ``documents``
   (with ``plan_group``, ``copies`` and ``is_primary``: which documents are copies of one plan,
   see :mod:`renjana.copies`); every view has ``document_id``, the key to join them on (one PDF
   given twice is two documents with one sha256). Views read the Parquet
   parts by absolute path: after moving the folder, run ``renjana dataset`` again.
"""

from __future__ import annotations

import glob
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from renjana.emit import (
    DATASET_DIR, DOCUMENTS_PART, FINDINGS_PART, PART_SHA_CHARS, PARTITION_KEYS, atomic_path, remove_file,
    write_dataset,
)
from renjana.copies import group_copies, signature_of
from renjana.models import DocumentResult
from renjana.records import UNKNOWN_DINAS, UNKNOWN_YEAR, canonical_order, slugify
from renjana.wording import article, count

__all__ = ["DATABASE", "QueryRefused", "RefreshReport", "check_read_only", "build_database", "query", "refresh", "sync_documents",
           "unify_schemas"]

DATABASE = "renjana.duckdb"
SCHEMA_FILE = "_schema.json"
PART_GLOB = "region=*/year=*/*.parquet"
# ``documents`` adds ``plan_group``, ``copies`` and ``is_primary`` from the table ``plan_copies``
# (computed by renjana.copies: documents of one region, dinas and year whose number cells agree),
# so a total over documents can take each plan once.
PLAN_COPIES = "plan_copies"
DOCUMENTS_VIEW = """
SELECT d.*, c.plan_group, c.copies, c.is_primary
FROM ({source}) d JOIN plan_copies c ON c.document = d.document_id
"""


@dataclass
class RefreshReport:
    """What :func:`refresh` did: documents (re)written from their JSON, parts removed, parts
    widened to their kind's schema, and the views of the database."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    widened: int = 0
    views: dict[str, int] = field(default_factory=dict)  # view → rows
    database: Path | None = None


def _parts(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(PART_GLOB) if not p.name.startswith("."))


def _json_of(out_dir: Path, part: Path, record: dict) -> Path:
    """Where the JSON of the document a ``documents`` part describes sits (emit's layout)."""
    year = part.parent.name.removeprefix("year=")
    year = UNKNOWN_YEAR if year.startswith("__") else year
    region = part.parent.parent.name.removeprefix("region=")
    # The part is named by the document id (emit.dataset_part_name): <json stem>-<sha12>, or
    # the JSON's own stem when the output store named the JSON by its id on a name clash
    # (<stem>-<sha12>.json beside another PDF's <stem>.json).
    folder = out_dir / region / slugify(record["dinas"], UNKNOWN_DINAS) / year
    named_by_id = folder / f"{part.stem}.json"
    if named_by_id.exists():
        return named_by_id
    return folder / f"{part.stem.removesuffix('-' + record['sha256'][:PART_SHA_CHARS])}.json"


def _remove_parts(root: Path, name: str) -> list[str]:
    """Remove a document's parts (every kind), and the partition folders they leave empty."""
    removed = []
    # The name is literal: a document named "br[red]k" must not be read as a pattern.
    for part in root.glob(f"*/{PART_GLOB.rsplit('/', 1)[0]}/{glob.escape(name)}"):
        remove_file(part, root.parent)
        removed.append(str(part))
    return removed


def _remove_strays(root: Path) -> list[str]:
    """Remove what is no part in the partition folders: the CSVs that earlier versions of
    ``renjana run --csv`` wrote beside the parts (a Parquet dataset reader fails on them)."""
    removed = []
    for stray in sorted(root.glob("*/region=*/year=*/*.csv")):
        remove_file(stray, root.parent)
        removed.append(str(stray))
    return removed


def sync_documents(out_dir: Path, report: RefreshReport | None = None) -> RefreshReport:
    """Make ``out_dir/dataset`` hold exactly the documents whose JSON is in ``out_dir``.

    Reads a JSON only when its parts are missing or older than it. A JSON that is not a
    renjana document is left out and named in ``report.skipped`` with the reason."""
    out_dir = Path(out_dir)
    report = report or RefreshReport()
    root = out_dir / DATASET_DIR
    report.removed += _remove_strays(root)
    covered: set[Path] = set()
    for part in _parts(root / DOCUMENTS_PART):
        [record] = pq.read_table(part, columns=["source_file", "sha256", "dinas"]).to_pylist()
        json_path = _json_of(out_dir, part, record)
        if not json_path.exists():
            report.removed += _remove_parts(root, part.name)
            continue
        covered.add(json_path)
        # A part written before records named their document (no document_id) is written again.
        unnamed = "document_id" not in pq.read_schema(part).names
        if unnamed or json_path.stat().st_mtime > part.stat().st_mtime:
            result = DocumentResult.model_validate_json(json_path.read_bytes())
            if result.source.sha256 != record["sha256"]:  # the JSON now holds another PDF
                report.removed += _remove_parts(root, part.name)
            write_dataset(result, out_dir, json_path.stem)
            report.written.append(str(json_path))
    for json_path in sorted(out_dir.glob("*/*/*/*.json")):
        if json_path in covered or json_path.parts[-4] == DATASET_DIR:
            continue
        try:
            result = DocumentResult.model_validate_json(json_path.read_bytes())
        except ValueError as exc:  # not a document of ours (e.g. a schema file put there)
            report.skipped.append(f"{json_path}: not a renjana document ({type(exc).__name__})")
            continue
        write_dataset(result, out_dir, json_path.stem)
        report.written.append(str(json_path))
    return report


def _union_schema(kind: str, schemas: list[pa.Schema]) -> pa.Schema:
    """Record fields in their fixed order, then every other column by name."""
    try:
        merged = pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(f"dataset/{kind}: parts disagree on a column's type: {exc}") from exc
    return pa.schema([merged.field(name) for name in canonical_order(merged.names)])


def _widen(table: pa.Table, schema: pa.Schema) -> pa.Table:
    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names
               else pa.nulls(table.num_rows, f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def unify_schemas(out_dir: Path, report: RefreshReport | None = None) -> dict[str, pa.Schema]:
    """Give every part of each kind the union schema of the kind; write ``_schema.json``.

    Returns kind → schema. Raises ValueError naming the kind when two parts give one column
    types that cannot be reconciled."""
    report = report or RefreshReport()
    schemas = {}
    for folder in sorted(p for p in (Path(out_dir) / DATASET_DIR).iterdir() if p.is_dir()):
        parts = _parts(folder)
        if not parts:
            continue
        own = {part: pq.read_schema(part).remove_metadata() for part in parts}
        schema = _union_schema(folder.name, list(own.values()))
        for part, part_schema in own.items():
            if not part_schema.equals(schema):
                with atomic_path(part) as tmp:
                    pq.write_table(_widen(pq.read_table(part, partitioning=None), schema), tmp)
                report.widened += 1
        registry = {"kind": folder.name, "parts": len(parts),
                    "partitioned_by": list(PARTITION_KEYS),
                    "columns": [{"name": f.name, "type": str(f.type)} for f in schema]}
        with atomic_path(folder / SCHEMA_FILE) as tmp:
            tmp.write_text(json.dumps(registry, indent=1) + "\n", encoding="utf-8")
        schemas[folder.name] = schema
    return schemas


def _source(folder: Path) -> str:
    pattern = str(folder.resolve() / PART_GLOB).replace("'", "''")
    return (f"SELECT region, year, * EXCLUDE (region, year) FROM read_parquet('{pattern}', "
            "hive_partitioning = true, hive_types = {'region': VARCHAR, 'year': INTEGER}, "
            "union_by_name = true)")


def _write_plan_copies(con: duckdb.DuckDBPyConnection, documents_source: str, kinds: list[str]) -> None:
    """Table ``plan_copies`` (document = the document's ``document_id``, plan_group, copies,
    is_primary): which documents are copies of one plan, by :func:`renjana.copies.group_copies`
    over the number cells of every kind. Two inputs of one PDF (one sha256, two ids) are always
    copies, exactly one of them primary."""
    signatures: dict[str, set] = {}
    for kind in kinds:
        names = [name for (name,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [kind]).fetchall()]
        wanted = ["sha256", "kode", "parent_kode"] + [n for n in names if n.endswith("__value")]
        if not {"sha256", "kode", "parent_kode"} <= set(names):
            continue
        select = ", ".join(f'"{n}"' for n in wanted)
        by_doc: dict[str, list[dict]] = {}
        for row in con.execute(f'SELECT {select} FROM "{kind}"').fetchall():
            by_doc.setdefault(row[0], []).append(dict(zip(wanted, row)))
        for sha, records in by_doc.items():
            signatures.setdefault(sha, set()).update(signature_of(kind, records))
    documents = con.execute(f"SELECT document_id, sha256, region, dinas, year FROM ({documents_source})").fetchall()
    groups = group_copies(documents, signatures)
    con.execute(f"CREATE TABLE {PLAN_COPIES} (document VARCHAR PRIMARY KEY, plan_group VARCHAR, "
                "copies INTEGER, is_primary BOOLEAN)")
    if groups:
        con.executemany(f"INSERT INTO {PLAN_COPIES} VALUES (?, ?, ?, ?)",
                        [(c.document, c.group, c.copies, c.is_primary) for c in groups.values()])


def build_database(out_dir: Path, kinds: list[str], report: RefreshReport | None = None) -> Path:
    """Write ``out_dir/renjana.duckdb`` afresh (built beside it, then renamed over it) with the
    views named in the module's docstring; returns its path."""
    out_dir = Path(out_dir)
    report = report or RefreshReport()
    root = out_dir / DATASET_DIR
    target = out_dir / DATABASE
    fd, tmp_name = tempfile.mkstemp(dir=out_dir, prefix=f".{DATABASE}.", suffix=".tmp")
    os.close(fd)
    os.unlink(tmp_name)  # DuckDB creates the file itself
    try:
        with duckdb.connect(tmp_name) as con:
            for kind in kinds:
                if kind == DOCUMENTS_PART:
                    continue
                con.execute(f'CREATE VIEW "{kind}" AS {_source(root / kind)}')
                if kind != FINDINGS_PART:
                    con.execute(f'CREATE VIEW "{kind}_leaf" AS SELECT * FROM "{kind}" WHERE is_leaf')
            if DOCUMENTS_PART in kinds:
                source = _source(root / DOCUMENTS_PART)
                _write_plan_copies(con, source, [k for k in kinds if k not in (DOCUMENTS_PART, FINDINGS_PART)])
                con.execute(f'CREATE VIEW "{DOCUMENTS_PART}" AS {DOCUMENTS_VIEW.format(source=source)}')
            for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                       "ORDER BY view_name").fetchall():
                report.views[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        os.replace(tmp_name, target)
    finally:
        for leftover in (tmp_name, tmp_name + ".wal"):
            Path(leftover).unlink(missing_ok=True)
    report.database = target
    return target


def refresh(out_dir: Path) -> RefreshReport:
    """Sync the dataset with the documents, unify each kind's schema, rebuild the database.

    Raises FileNotFoundError when ``out_dir`` is not a folder."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise FileNotFoundError(f"{out_dir}: no such output folder")
    report = sync_documents(out_dir)
    (out_dir / DATASET_DIR).mkdir(exist_ok=True)
    schemas = unify_schemas(out_dir, report)
    build_database(out_dir, sorted(schemas), report)
    return report


# ``renjana query`` runs one read statement: what a statement may begin with (after comments
# and opening parentheses), and the statement types DuckDB's own parser must give it.
READ_KEYWORDS = ("SELECT", "WITH", "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN", "FROM", "VALUES")
_LEADING = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*", re.S)
_EXPLAIN = re.compile(r"EXPLAIN(?:\s+ANALY[SZ]E)?\b", re.I)


class QueryRefused(duckdb.InvalidInputException):
    """``renjana query`` was given something other than one read statement."""


def check_read_only(sql: str) -> None:
    """Accept only one read statement (first keyword in :data:`READ_KEYWORDS`, and DuckDB's
    parser agrees it is a SELECT, or an EXPLAIN of one). Raises :class:`QueryRefused` with a
    plain message otherwise (a COPY … TO, an ATTACH, a CREATE, two statements …)."""
    refused = ("renjana query runs one read statement only (a query beginning with "
               + ", ".join(READ_KEYWORDS) + ")")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error:
        statements = None  # a syntax error: let DuckDB name it when the statement runs
    if statements is not None and len(statements) != 1:
        raise QueryRefused(f"{refused}; this text holds {count(len(statements), 'statement')}")
    text = sql[_LEADING.match(sql).end():]
    keyword = re.match(r"[A-Za-z]+", text)
    if not keyword or keyword.group().upper() not in READ_KEYWORDS:
        found = keyword.group().upper() if keyword else "nothing"
        raise QueryRefused(f"{refused}; this one begins with {found}")
    if statements is None:
        return
    kind = statements[0].type
    if kind == duckdb.StatementType.EXPLAIN:
        inner = text[_EXPLAIN.match(text).end():] if _EXPLAIN.match(text) else ""
        kinds = [s.type for s in duckdb.extract_statements(inner)] if inner.strip() else []
        if kinds != [duckdb.StatementType.SELECT]:
            raise QueryRefused(f"{refused}; EXPLAIN of a statement that is not a query")
    elif kind != duckdb.StatementType.SELECT:
        raise QueryRefused(f"{refused}; this one is {article(kind.name)} statement")


def query(out_dir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run ``sql``, one read statement (:func:`check_read_only`), on ``out_dir/renjana.duckdb``,
    opened read-only: (column names, rows).

    Raises FileNotFoundError when the database was not built (``renjana dataset OUT``) or holds
    no documents, :class:`QueryRefused` for anything but one read statement and duckdb.Error for
    a bad statement or one that reads a file outside the dataset (``duckdb.PermissionException``)."""
    check_read_only(sql)
    database = Path(out_dir) / DATABASE
    if not database.exists():
        raise FileNotFoundError(f"{database}: no database yet; build it with `renjana dataset {out_dir}`")
    with duckdb.connect(str(database), read_only=True) as con:
        # The statement reads the dataset and nothing else: DuckDB's file functions
        # (read_csv('/etc/…'), glob, ATTACH) are refused outside the dataset's folder, so a
        # query handed on by a script or a web form cannot read the machine's files.
        dataset = str((Path(out_dir) / DATASET_DIR).resolve()).replace("'", "''")
        con.execute(f"SET allowed_directories = ['{dataset}/']")
        con.execute("SET enable_external_access = false")
        has_documents = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?",
                                    [DOCUMENTS_PART]).fetchone()[0]
        if not has_documents:
            raise FileNotFoundError(f"no documents in {out_dir}: run renjana run then renjana dataset")
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description] if cursor.description else []
        return names, cursor.fetchall()
