"""Stage 4, emit: a DocumentResult on disk as one contract JSON plus one Parquet file per table kind.

Layout: ``<out>/<region>/<dinas>/<year>/<pdf-stem>.json`` and ``<pdf-stem>.<kind>.parquet`` beside
it. Every write goes to a temporary file in the target folder and is then renamed over the target
(``os.replace`` is atomic on one file system), so a killed run never leaves a half-written file.
"""

from __future__ import annotations

import glob
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import get_args

import pyarrow as pa
import pyarrow.parquet as pq

from renjana.models import DocumentResult, Table, TableKind

__all__ = [
    "atomic_path", "document_dir", "slugify", "table_records", "write_all", "write_json",
    "write_parquet",
]

UNKNOWN_REGION = "unknown-region"
UNKNOWN_DINAS = "unknown-dinas"
UNKNOWN_YEAR = "unknown-year"
# A long dinas name makes a long folder name; cut the slug there (file systems allow 255 bytes).
MAX_SLUG = 80
# Decimal columns: 38 digits in all, 6 after the point (money has 2, percents rarely more than 4).
DECIMAL_PRECISION = 38
DECIMAL_SCALE = 6
DECIMAL_TYPE = pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE)
_QUANTUM = Decimal(1).scaleb(-DECIMAL_SCALE)
_DECIMAL_LIMIT = Decimal(10) ** (DECIMAL_PRECISION - DECIMAL_SCALE)
NUMERIC_TYPES = frozenset({"int", "qty", "money", "percent"})
VALUE_SUFFIX = "__value"
UNIT_SUFFIX = "__unit"
# A table column whose key equals a provenance column is written as ``<key>__printed``.
CLASH_SUFFIX = "__printed"
PROVENANCE = (
    ("source_file", pa.string()), ("sha256", pa.string()), ("table_id", pa.string()),
    ("page", pa.int32()), ("row_index", pa.int32()), ("level", pa.string()),
    ("kode", pa.string()), ("parent", pa.int32()),
)
_PROVENANCE_NAMES = frozenset(name for name, _ in PROVENANCE)
_TABLE_KINDS: tuple[str, ...] = get_args(TableKind)


def slugify(text: str | None, fallback: str) -> str:
    """Lowercase ASCII words joined by dashes ("Dinas Koperasi & UKM" → "dinas-koperasi-ukm")."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or fallback


def document_dir(result: DocumentResult, out_dir: Path) -> Path:
    meta = result.document
    year = str(meta.year) if meta.year is not None else UNKNOWN_YEAR
    return Path(out_dir) / slugify(meta.region, UNKNOWN_REGION) / slugify(meta.dinas, UNKNOWN_DINAS) / year


def _stem(result: DocumentResult) -> str:
    return Path(result.source.file).stem


def _umask() -> int:
    mask = os.umask(0o022)  # read by setting it, and put back at once
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``, else it goes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with tmp.open("rb") as fh:  # data on disk before the rename makes it visible
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600: the user's umask like any file
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(result: DocumentResult, out_dir: Path) -> Path:
    target = document_dir(result, out_dir) / f"{_stem(result)}.json"
    text = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1)
    with atomic_path(target) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return target


# --------------------------------------------------------------------------- parquet
def _decimal(number: Decimal | None) -> Decimal | None:
    """The number at the column's scale, or None when it does not fit (the JSON keeps it exactly)."""
    if number is None or not number.is_finite():
        return None
    try:
        scaled = number.quantize(_QUANTUM)
    except InvalidOperation:
        return None
    return scaled if abs(scaled) < _DECIMAL_LIMIT else None


def _column_names(table: Table) -> list[tuple[int, str, str]]:
    """(position, key, output name) of each column; clashing or repeated keys get a suffix."""
    names: list[tuple[int, str, str]] = []
    taken = set(_PROVENANCE_NAMES)
    for i, column in enumerate(table.columns):
        name = column.key + CLASH_SUFFIX if column.key in _PROVENANCE_NAMES else column.key
        base, n = name, 2
        while name in taken:
            name, n = f"{base}__{n}", n + 1
        taken.add(name)
        names.append((i, column.key, name))
    return names


def table_records(result: DocumentResult, table: Table) -> tuple[list[dict], dict[str, pa.DataType]]:
    """One flat record per row of ``table`` and the Arrow type of each table column."""
    types: dict[str, pa.DataType] = {}
    names = _column_names(table)
    for i, _key, name in names:
        types[name] = pa.string()
        if table.columns[i].type in NUMERIC_TYPES:
            types[name + VALUE_SUFFIX] = DECIMAL_TYPE
        if table.columns[i].type == "qty":
            types[name + UNIT_SUFFIX] = pa.string()
    records = []
    for index, row in enumerate(table.rows):
        record = {
            "source_file": result.source.file, "sha256": result.source.sha256,
            "table_id": table.id, "page": row.page, "row_index": index, "level": row.level,
            "kode": row.kode, "parent": row.parent,
        }
        for i, key, name in names:
            record[name] = row.cells[i] if i < len(row.cells) else None
            value = row.values.get(key)
            if name + VALUE_SUFFIX in types:
                record[name + VALUE_SUFFIX] = _decimal(value.number) if value else None
            if name + UNIT_SUFFIX in types:
                record[name + UNIT_SUFFIX] = value.unit if value else None
        records.append(record)
    return records, types


def _kind_table(result: DocumentResult, tables: list[Table]) -> pa.Table:
    """The rows of all ``tables`` (one kind) in one Arrow table; columns are the union, in order."""
    schema: dict[str, pa.DataType] = dict(PROVENANCE)
    records: list[dict] = []
    for table in tables:
        table_rows, types = table_records(result, table)
        for name, dtype in types.items():
            schema.setdefault(name, dtype)
        records.extend(table_rows)
    arrow_schema = pa.schema(list(schema.items()))
    return pa.Table.from_pylist(records, schema=arrow_schema)


def _parquet_path(folder: Path, stem: str, kind: str) -> Path:
    return folder / f"{stem}.{kind}.parquet"


def write_parquet(result: DocumentResult, out_dir: Path) -> list[Path]:
    """One Parquet file per table kind; files of kinds this result no longer has are removed."""
    folder, stem = document_dir(result, out_dir), _stem(result)
    by_kind: dict[str, list[Table]] = {}
    for table in result.tables:
        by_kind.setdefault(table.kind, []).append(table)
    written = []
    for kind, tables in by_kind.items():
        target = _parquet_path(folder, stem, kind)
        with atomic_path(target) as tmp:
            pq.write_table(_kind_table(result, tables), tmp)
        written.append(target)
    for kind in set(_TABLE_KINDS) - set(by_kind):
        _parquet_path(folder, stem, kind).unlink(missing_ok=True)
    return written


# --------------------------------------------------------------------------- both
def _stale_json(result: DocumentResult, out_dir: Path, keep: Path) -> list[Path]:
    """Earlier outputs of this very PDF (same name and sha256) in another folder, e.g. written
    before the metadata was recognised. Left in place they would give the scorer two answers."""
    stale = []
    for candidate in Path(out_dir).glob(f"*/*/*/{glob.escape(_stem(result))}.json"):
        if candidate == keep:
            continue
        try:
            source = json.loads(candidate.read_text(encoding="utf-8")).get("source", {})
        except (OSError, ValueError, AttributeError):
            continue
        if source.get("file") == result.source.file and source.get("sha256") == result.source.sha256:
            stale.append(candidate)
    return stale


def write_all(result: DocumentResult, out_dir: Path) -> list[Path]:
    """JSON and Parquet for one document; earlier outputs of the same PDF elsewhere are removed."""
    json_path = write_json(result, out_dir)
    paths = [json_path, *write_parquet(result, out_dir)]
    for old in _stale_json(result, out_dir, json_path):
        for kind in _TABLE_KINDS:
            _parquet_path(old.parent, old.stem, kind).unlink(missing_ok=True)
        old.unlink(missing_ok=True)
    return paths

