"""Records: a DocumentResult as flat Arrow tables, one record per table row, finding and document.

Pure (no I/O): :mod:`renjana.emit` writes these tables beside each JSON and into the dataset,
:mod:`renjana.dataset` reads them back. Every record stands on its own: it names its document
(region, province, dinas, year, source file, sha256 and ``document_id``), its table (kind, id,
caption) and its place (page, row index, box), so rows from many documents can be pooled and still
be traced. ``document_id`` is the one key of a document in an output folder (``<json stem>-<sha12>``,
the name of its dataset parts): two copies of one PDF have one sha256 but two ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import chain, islice

import pyarrow as pa

from renjana.arrow_values import convert_without_pandas
from renjana.hashing import document_id
from renjana.models import DocumentResult, Row, Table

__all__ = [
    "DOCUMENT_SCHEMA", "FINDING_SCHEMA", "PROVENANCE", "TREE_LEVELS", "canonical_order",
    "document_fields", "document_id",
    "document_table", "findings_table", "kind_tables", "slugify", "table_records",
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
CONFIDENCE_SUFFIX = "__confidence"
REPAIR_SUFFIX = "__repair"
# Records turned into Arrow at a time (each a dict of some fifty fields: a few KiB).
RECORD_BATCH = 1000
# The records' Arrow buffers come from the C library's heap: Arrow's default pool (mimalloc)
# keeps what it took for later use, some 30 MiB after a long document's tables.
_POOL = pa.system_memory_pool()
# The records are plain Python values: pyarrow need not import pandas to convert them.
convert_without_pandas()
# A table column whose key equals a record field is written as ``<key>__printed``.
CLASH_SUFFIX = "__printed"
# Levels of the kode tree: a row at one of them with no child at one of them is a leaf, and a sum
# over leaves counts every amount once (a parent repeats the sum of its children).
TREE_LEVELS = frozenset({"urusan", "bidang", "program", "kegiatan", "sub_kegiatan"})
# The fields every record carries before the table's own columns (see README, "Parquet records").
# region is the slug of the folder name (the dataset's partition), region_name the name as read.
PROVENANCE = (
    ("region", pa.string()), ("year", pa.int32()), ("region_name", pa.string()),
    ("province", pa.string()), ("dinas", pa.string()), ("kind", pa.string()),
    ("table_id", pa.string()), ("caption", pa.string()), ("source_file", pa.string()),
    ("sha256", pa.string()), ("document_id", pa.string()), ("page", pa.int32()), ("row_index", pa.int32()),
    ("level", pa.string()), ("level_confidence", pa.float32()), ("kode", pa.string()),
    ("parent", pa.int32()), ("parent_kode", pa.string()), ("is_leaf", pa.bool_()),
    ("row_confidence", pa.float32()), ("x0", pa.float32()), ("top", pa.float32()),
    ("x1", pa.float32()), ("bottom", pa.float32()),
)
_PROVENANCE_NAMES = frozenset(name for name, _ in PROVENANCE)



def canonical_order(names: list[str]) -> list[str]:
    """The dataset's column order: the :data:`PROVENANCE` fields present, in their order, then
    every other column by name (so a kind's union schema does not depend on which document
    came first)."""
    fixed = [name for name, _ in PROVENANCE if name in names]
    return fixed + sorted(set(names) - set(fixed))


def slugify(text: str | None, fallback: str) -> str:
    """Lowercase ASCII words joined by dashes ("Dinas Koperasi & UKM" → "dinas-koperasi-ukm")."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or fallback


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


def _leaves(table: Table) -> list[bool]:
    """Per row: at a kode-tree level, and no row at a tree level names it as parent."""
    parents = {row.parent for row in table.rows if row.level in TREE_LEVELS and row.parent is not None}
    return [row.level in TREE_LEVELS and i not in parents for i, row in enumerate(table.rows)]


def _row_box(row: Row) -> tuple[float | None, ...]:
    """The union of the row's cell boxes on the row's page (PDF points, origin top-left)."""
    x0 = top = x1 = bottom = None
    for source in row.sources:  # one pass (a record per row): min and max as the builtins take them
        b = source.bbox
        if b is None or source.page != row.page or not b.x1 > b.x0:
            continue
        if x0 is None:
            x0, top, x1, bottom = b.x0, b.top, b.x1, b.bottom
            continue
        if b.x0 < x0:
            x0 = b.x0
        if b.top < top:
            top = b.top
        if b.x1 > x1:
            x1 = b.x1
        if b.bottom > bottom:
            bottom = b.bottom
    return (x0, top, x1, bottom)


def document_fields(result: DocumentResult, doc_id: str | None = None) -> dict:
    """The fields naming the document on every record: region (folder slug), year, region_name,
    province, dinas, source_file, sha256, document_id (``doc_id``, default :func:`document_id`
    of the PDF's own name)."""
    meta = result.document
    return {
        "region": slugify(meta.region, UNKNOWN_REGION), "year": meta.year, "region_name": meta.region,
        "province": meta.province, "dinas": meta.dinas, "source_file": result.source.file,
        "sha256": result.source.sha256,
        "document_id": doc_id or document_id(result.source.file, result.source.sha256),
    }


def _column_types(table: Table) -> tuple[list[tuple[int, str, str]], dict[str, pa.DataType]]:
    """The columns' (position, key, output name) and the Arrow type of each record field they give."""
    types: dict[str, pa.DataType] = {}
    names = _column_names(table)
    for i, _key, name in names:
        types[name] = pa.string()
        if table.columns[i].type in NUMERIC_TYPES:
            types[name + VALUE_SUFFIX] = DECIMAL_TYPE
        if table.columns[i].type == "qty":
            types[name + UNIT_SUFFIX] = pa.string()
        types[name + CONFIDENCE_SUFFIX] = pa.float32()
        types[name + REPAIR_SUFFIX] = pa.string()
    return names, types


def _records(result: DocumentResult, table: Table, doc_id: str | None = None) -> Iterator[dict]:
    """The records of :func:`table_records`, one at a time."""
    names, types = _column_types(table)
    # Per column: position, key, and its record fields' names (None: the column has no such field).
    fields = [(i, key, name, name + VALUE_SUFFIX if name + VALUE_SUFFIX in types else None,
               name + UNIT_SUFFIX if name + UNIT_SUFFIX in types else None,
               name + CONFIDENCE_SUFFIX, name + REPAIR_SUFFIX) for i, key, name in names]
    document = document_fields(result, doc_id)
    leaves = _leaves(table)
    for index, row in enumerate(table.rows):
        parent = table.rows[row.parent] if row.parent is not None and 0 <= row.parent < len(table.rows) else None
        confidences = [s.confidence for s in row.sources]
        x0, top, x1, bottom = _row_box(row)
        record = {
            **document, "kind": table.kind, "table_id": table.id, "caption": table.caption,
            "page": row.page, "row_index": index, "level": row.level,
            "level_confidence": row.level_confidence, "kode": row.kode, "parent": row.parent,
            "parent_kode": parent.kode if parent is not None else None, "is_leaf": leaves[index],
            "row_confidence": min(confidences) if confidences else None,
            "x0": x0, "top": top, "x1": x1, "bottom": bottom,
        }
        cells, values, sources = row.cells, row.values, row.sources
        for i, key, name, value_name, unit_name, confidence_name, repair_name in fields:
            record[name] = cells[i] if i < len(cells) else None
            value = values.get(key)
            if value_name is not None:
                record[value_name] = _decimal(value.number) if value else None
            if unit_name is not None:
                record[unit_name] = value.unit if value else None
            source = sources[i] if i < len(sources) else None
            record[confidence_name] = source.confidence if source else None
            record[repair_name] = source.repair if source else None
        yield record


def table_records(result: DocumentResult, table: Table,
                  doc_id: str | None = None) -> tuple[list[dict], dict[str, pa.DataType]]:
    """One flat record per row of ``table`` and the Arrow type of each table column.

    Each record holds the :data:`PROVENANCE` fields, then per column ``<key>`` (the repaired
    printed text), ``<key>__value`` (decimal, numeric columns), ``<key>__unit`` (qty columns),
    ``<key>__confidence`` (0–1, how sure the text repair is) and ``<key>__repair`` (what the
    repair did, else null).
    """
    return list(_records(result, table, doc_id)), _column_types(table)[1]


def kind_table(result: DocumentResult, tables: list[Table], doc_id: str | None = None) -> pa.Table:
    """The rows of all ``tables`` (one kind) in one Arrow table; columns are the union, in order."""
    schema: dict[str, pa.DataType] = dict(PROVENANCE)
    for table in tables:
        for name, dtype in _column_types(table)[1].items():
            schema.setdefault(name, dtype)
    records = chain.from_iterable(_records(result, table, doc_id) for table in tables)
    return _arrow_table(records, pa.schema(list(schema.items())))


def _arrow_table(records: Iterable[dict], schema: pa.Schema) -> pa.Table:
    """``pa.Table.from_pylist(list(records), schema=schema)``, converted :data:`RECORD_BATCH`
    records at a time: a long document's records are never all held at once."""
    records = iter(records)
    batches = [_arrow(batch, schema) for batch in iter(lambda: list(islice(records, RECORD_BATCH)), [])]
    if not batches:
        return _arrow([], schema)
    # One chunk per column, as a single from_pylist gives: the Parquet files are the same bytes.
    return pa.concat_tables(batches, memory_pool=_POOL).combine_chunks(memory_pool=_POOL)


def _arrow(records: list[dict], schema: pa.Schema) -> pa.Table:
    """``pa.Table.from_pylist(records, schema=schema)``, its buffers from :data:`_POOL`."""
    return pa.Table.from_arrays([pa.array([record.get(field.name) for record in records], type=field.type,
                                          memory_pool=_POOL) for field in schema], schema=schema)


def kind_tables(result: DocumentResult, doc_id: str | None = None) -> dict[str, pa.Table]:
    """One Arrow table per table kind of the document (kinds in order of first appearance);
    ``doc_id``: the records' ``document_id`` (see :func:`document_fields`)."""
    by_kind: dict[str, list[Table]] = {}
    for table in result.tables:
        by_kind.setdefault(table.kind, []).append(table)
    return {kind: kind_table(result, tables, doc_id) for kind, tables in by_kind.items()}


# --------------------------------------------------------------------------- findings, documents
_DOCUMENT_FIELDS = (
    ("region", pa.string()), ("year", pa.int32()), ("region_name", pa.string()),
    ("province", pa.string()), ("dinas", pa.string()), ("source_file", pa.string()),
    ("sha256", pa.string()), ("document_id", pa.string()),
)
FINDING_SCHEMA = pa.schema([
    *_DOCUMENT_FIELDS, ("rule", pa.string()), ("severity", pa.string()), ("table_id", pa.string()),
    ("kind", pa.string()), ("row_index", pa.int32()), ("kode", pa.string()), ("level", pa.string()),
    ("column", pa.string()), ("printed", pa.string()), ("expected", pa.string()),
    ("page", pa.int32()), ("x0", pa.float32()), ("top", pa.float32()), ("x1", pa.float32()),
    ("bottom", pa.float32()), ("message", pa.string()),
])
DOCUMENT_SCHEMA = pa.schema([
    *_DOCUMENT_FIELDS, ("title", pa.string()), ("pages", pa.int32()),
    ("unread_pages", pa.int32()), ("tables", pa.int32()), ("rows", pa.int32()),
    ("kinds", pa.string()), ("errors", pa.int32()), ("warnings", pa.int32()),
    ("notes", pa.string()),
])


def findings_table(result: DocumentResult, doc_id: str | None = None) -> pa.Table:
    """One record per finding (:data:`FINDING_SCHEMA`), with the document's fields and the kind,
    kode and level of the row it concerns; box in PDF points, origin top-left."""
    return _arrow_table(_finding_records(result, doc_id), FINDING_SCHEMA)


def _finding_records(result: DocumentResult, doc_id: str | None) -> Iterator[dict]:
    tables = {table.id: table for table in result.tables}
    document = document_fields(result, doc_id)
    for finding in result.findings:
        table = tables.get(finding.table)
        row = (table.rows[finding.row] if table is not None and finding.row is not None
               and 0 <= finding.row < len(table.rows) else None)
        box = finding.bbox
        yield {
            **document, "rule": finding.rule, "severity": finding.severity,
            "table_id": finding.table, "kind": table.kind if table else None,
            "row_index": finding.row, "kode": row.kode if row else None,
            "level": row.level if row else None, "column": finding.column,
            "printed": finding.printed, "expected": finding.expected, "page": finding.page,
            "x0": box.x0 if box else None, "top": box.top if box else None,
            "x1": box.x1 if box else None, "bottom": box.bottom if box else None,
            "message": finding.message,
        }


def document_table(result: DocumentResult, doc_id: str | None = None) -> pa.Table:
    """One record (:data:`DOCUMENT_SCHEMA`) for the document: its fields, counts of pages, pages
    not read, tables, rows, error and warning findings, its table kinds and notes (each joined
    with ``; ``)."""
    severities = [finding.severity for finding in result.findings]
    record = {
        **document_fields(result, doc_id), "title": result.document.title, "pages": result.source.pages,
        "unread_pages": len(result.source.unread_pages), "tables": len(result.tables),
        "rows": sum(len(table.rows) for table in result.tables),
        "kinds": ", ".join(dict.fromkeys(table.kind for table in result.tables)),
        "errors": severities.count("error"), "warnings": severities.count("warning"),
        "notes": "; ".join(result.notes),
    }
    return pa.Table.from_pylist([record], schema=DOCUMENT_SCHEMA)
