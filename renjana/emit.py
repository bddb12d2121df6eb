"""Stage 4, emit: a DocumentResult on disk as one contract JSON plus one Parquet file per table kind.

Layout: ``<out>/<region>/<dinas>/<year>/<pdf-stem>.json`` and ``<pdf-stem>.<kind>.parquet`` beside
it; the same records (plus findings and the document) go into the pooled, hive-partitioned
dataset ``<out>/dataset/<kind>/region=<slug>/year=<year>/`` (see :func:`write_dataset`). Every write goes to a temporary file in the target folder and is then renamed over the target
(``os.replace`` is atomic on one file system), so a killed run never leaves a half-written file.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import get_args

import pyarrow as pa
import pyarrow.parquet as pq
import pydantic_core
from pydantic import BaseModel

from renjana.hashing import DOCUMENT_SHA_CHARS, output_stem
from renjana.models import DocumentResult, TableKind
from renjana.records import (
    UNKNOWN_DINAS, UNKNOWN_REGION, UNKNOWN_YEAR, canonical_order, document_id, document_table,
    findings_table, kind_tables, slugify,
    table_records,  # table_records: re-exported, emit's before records.py held it
)

__all__ = [
    "DATASET_DIR", "atomic_path", "dataset_part_name", "document_dir", "set_document_id",
    "set_json_document_id", "slugify",
    "table_records", "write_all", "write_dataset", "write_json", "write_parquet",
]

# The pooled dataset: OUT/dataset/<kind>/region=<slug>/year=<year>/<part>.parquet (hive layout).
DATASET_DIR = "dataset"
FINDINGS_PART = "findings"
DOCUMENTS_PART = "documents"
# Hive's name for a partition whose value is missing (DuckDB and pyarrow read it as NULL).
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
# The partition keys live in the folder names only: a file column of the same name would clash.
PARTITION_KEYS = ("region", "year")
# Characters of the sha256 in a part's name (the document's id): tells apart two PDFs of one name.
PART_SHA_CHARS = DOCUMENT_SHA_CHARS


def document_dir(result: DocumentResult, out_dir: Path) -> Path:
    meta = result.document
    year = str(meta.year) if meta.year is not None else UNKNOWN_YEAR
    return Path(out_dir) / slugify(meta.region, UNKNOWN_REGION) / slugify(meta.dinas, UNKNOWN_DINAS) / year


def _stem(result: DocumentResult) -> str:
    """The document's output stem: the PDF's, cut to fit a file name (see :func:`output_stem`)."""
    return output_stem(Path(result.source.file).stem, result.source.sha256)


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


def remove_file(path: Path, root: Path) -> bool:
    """Remove ``path`` (if there) and then its parent folders up to ``root`` (not ``root`` itself)
    that it leaves empty: a document that moved to another region, dinas or year, or left a
    dataset partition, leaves no empty folders behind. Returns whether a file was removed."""
    path, root = Path(path), Path(root)
    removed = path.is_file() or path.is_symlink()
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == root or root not in parent.parents:
            break
        try:
            parent.rmdir()  # only when empty; another file there keeps it
        except OSError:
            break
    return removed


# The list fields written item by item, each with the list fields of its items written so (a
# document's tables and findings, a table's rows): the JSON is never held whole, only the largest
# single row's or finding's text and the document's other fields.
STREAMED_LISTS: dict[str, dict] = {"tables": {"rows": {}}, "findings": {}}


def _json_pieces(model: BaseModel, margin: bytes, streamed: dict[str, dict]) -> Iterator[bytes]:
    """``model`` as UTF-8 JSON laid out as ``json.dump(..., ensure_ascii=False, indent=1)`` lays
    out its ``model_dump(mode="json")``, every line after the first moved right by ``margin``, in
    pieces: its non-empty list fields named in ``streamed`` item by item (each item the same way
    with ``streamed[name]``).

    pydantic's compiled serializer writes each piece (the same keys, values and layout as Python's
    encoder, about five times faster); the lists are cut out of the model's own text at their keys,
    in field order, each found unambiguously: JSON escapes a newline inside a string, so a newline
    followed by the margin and one space starts a key of this very object.
    """
    names = [name for name in type(model).model_fields if name in streamed and getattr(model, name)]
    if not names:
        yield pydantic_core.to_json(model, indent=1).replace(b"\n", b"\n" + margin)
        return
    rest = pydantic_core.to_json(model.model_copy(update=dict.fromkeys(names, [])),
                                 indent=1).replace(b"\n", b"\n" + margin)
    inner = margin + b"  "
    for name in names:
        key = b"\n" + margin + b" " + json.dumps(name).encode() + b": ["
        head, rest = rest.split(key + b"]", 1)
        yield head + key
        for i, item in enumerate(getattr(model, name)):
            yield (b",\n" if i else b"\n") + inner
            yield from _json_pieces(item, inner, streamed[name])
        yield b"\n" + margin + b" ]"
    yield rest


def write_json(result: DocumentResult, out_dir: Path) -> Path:
    target = document_dir(result, out_dir) / f"{_stem(result)}.json"
    with atomic_path(target) as tmp, tmp.open("wb") as fh:
        fh.writelines(_json_pieces(result, b"", STREAMED_LISTS))
        fh.write(b"\n")
    return target


# --------------------------------------------------------------------------- parquet
_TABLE_KINDS: tuple[str, ...] = get_args(TableKind)


def _parquet_path(folder: Path, stem: str, kind: str) -> Path:
    return folder / f"{stem}.{kind}.parquet"


def write_parquet(result: DocumentResult, out_dir: Path, tables: dict[str, pa.Table] | None = None) -> list[Path]:
    """One Parquet file per table kind beside the JSON; files of kinds this result no longer has
    are removed. ``tables``: :func:`~renjana.records.kind_tables` of ``result`` with its
    document id (:func:`~renjana.records.document_id` of its JSON stem) when the caller has them
    already (None: built here)."""
    folder, stem = document_dir(result, out_dir), _stem(result)
    tables = (kind_tables(result, document_id(result.source.file, result.source.sha256, stem)) if tables is None
              else tables)
    written = []
    for kind, table in tables.items():
        target = _parquet_path(folder, stem, kind)
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp)
        written.append(target)
    for kind in set(_TABLE_KINDS) - set(tables):
        _parquet_path(folder, stem, kind).unlink(missing_ok=True)
    return written


# --------------------------------------------------------------------------- dataset
def dataset_part_name(source_file: str, sha256: str, stem: str | None = None) -> str:
    """The file name of one document's part in every dataset folder: its id
    (:func:`renjana.records.document_id`, ``<stem>-<sha12>``) and ``.parquet``; ``stem`` the
    document's JSON file's stem (default: the PDF's; the batch's output store renames both
    alike when two inputs would clash)."""
    return f"{document_id(source_file, sha256, stem)}.parquet"


def set_document_id(path: Path, doc_id: str) -> None:
    """Rewrite the ``document_id`` column of the Parquet file at ``path`` (a document's records,
    findings or document record) to ``doc_id``, in place and atomically: the output store calls
    it when it gives a clashing input's files another stem."""
    import pyarrow as pa

    table = pq.read_table(path, partitioning=None)
    if "document_id" not in table.column_names:
        return
    at = table.column_names.index("document_id")
    table = table.set_column(at, "document_id", pa.array([doc_id] * table.num_rows, pa.string()))
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


# How much of a document JSON's end is read to find its ``document_id`` (the last key, after the
# findings: a few dozen bytes, plus any length of id).
JSON_TAIL_BYTES = 4096
_ID_KEY = b'\n "document_id": '


def set_json_document_id(path: Path, doc_id: str) -> None:
    """Rewrite the top-level ``document_id`` of the document JSON at ``path`` (written by
    :func:`write_json`: the key is the last one) in place, reading only the file's end, so a
    large document is not loaded; the output store calls it when it renames a clashing input's
    files (the file is still in its staging folder, seen by no reader)."""
    with open(path, "r+b") as fh:
        size = fh.seek(0, os.SEEK_END)
        start = max(0, size - JSON_TAIL_BYTES)
        fh.seek(start)
        tail = fh.read()
        at = tail.rfind(_ID_KEY)
        if at < 0:
            raise ValueError(f"{path}: no top-level document_id at the end of the JSON")
        fh.seek(start + at + len(_ID_KEY))
        fh.write(json.dumps(doc_id, ensure_ascii=False).encode("utf-8") + b"\n}\n")
        fh.truncate()


def _partition(result: DocumentResult) -> str:
    year = result.document.year
    return (f"region={slugify(result.document.region, UNKNOWN_REGION)}/"
            f"year={year if year is not None else NULL_PARTITION}")


def write_dataset(result: DocumentResult, out_dir: Path, stem: str | None = None,
                  tables: dict[str, pa.Table] | None = None) -> list[Path]:
    """The document's rows, findings and document record into the pooled dataset under
    ``out_dir/dataset/`` (``<kind>/region=…/year=…/<stem>-<sha12>.parquet``, one part per table
    kind present, plus ``findings`` and ``documents``). Its parts from an earlier run that sit
    elsewhere (another kind, region or year) are removed, so the dataset holds each PDF once.
    Each part has this document's columns; ``renjana dataset`` widens all parts of a kind to one
    schema (:func:`renjana.dataset.unify_schemas`). ``tables``: :func:`~renjana.records.kind_tables`
    of ``result`` with this document id (``stem``'s) when the caller has them (None: built here)."""
    root = Path(out_dir) / DATASET_DIR
    doc_id = document_id(result.source.file, result.source.sha256, stem)
    name = f"{doc_id}.parquet"
    tables = kind_tables(result, doc_id) if tables is None else tables
    parts = {**tables, FINDINGS_PART: findings_table(result, doc_id),
             DOCUMENTS_PART: document_table(result, doc_id)}
    written = []
    for kind, table in parts.items():
        target = root / kind / _partition(result) / name
        with atomic_path(target) as tmp:
            table = table.drop_columns(list(PARTITION_KEYS))
            pq.write_table(table.select(canonical_order(table.column_names)), tmp)
        written.append(target)
    for old in root.glob(f"*/region=*/year=*/{glob.escape(name)}"):
        if old not in written:
            remove_file(old, out_dir)
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
    """JSON and Parquet for one document; earlier outputs of the same PDF elsewhere are removed.
    The JSON, the Parquet files and the dataset name the document by one id: ``result``'s
    ``document_id``, set from the PDF's own stem when missing."""
    doc_id = result.document_id or document_id(result.source.file, result.source.sha256)
    if result.document_id is None:
        result = result.model_copy(update={"document_id": doc_id})
    json_path = write_json(result, out_dir)
    # One build for both writers: the Parquet files and the dataset hold the same records.
    tables = kind_tables(result, doc_id)
    paths = [json_path, *write_parquet(result, out_dir, tables), *write_dataset(result, out_dir, tables=tables)]
    for old in _stale_json(result, out_dir, json_path):
        for kind in _TABLE_KINDS:
            _parquet_path(old.parent, old.stem, kind).unlink(missing_ok=True)
        old.unlink(missing_ok=True)
    return paths

