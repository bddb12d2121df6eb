"""Helpers for the validate tests: build Tables by hand from printed strings.

The tiny parser below stands in for ``renjana.normalize.numbers.parse_value`` (owned by the
normalize stage) so these tests do not depend on it; it only needs to understand the strings the
tests print.
"""

from __future__ import annotations

import re
from decimal import Decimal

from renjana.models import (
    CellSource, Column, DocumentMeta, NormalizedDocument, ParsedValue, Row, Source, Table,
)

TYPES = {
    "no": "int", "kode": "code", "uraian": "text", "indikator": "text", "keterangan": "text",
    "lokasi": "text", "sumber_dana": "text", "catatan": "text",
}
_NUM = re.compile(r"^(\()?\s*(-)?\s*([0-9][0-9.,]*)\s*(\))?\s*(.*)$")


def column_type(key: str) -> str:
    if key in TYPES:
        return TYPES[key]
    if key.startswith("capaian"):
        return "percent"
    if key.endswith("_rp") or key.startswith("pagu") or key in ("tambahan", "jumlah", "selisih",
                                                                 "pagu_maju"):
        return "money"
    if key.endswith("_k") or key.startswith("target"):
        return "qty"
    return "text"


def parse(text: str, ctype: str = "qty") -> ParsedValue:
    t = " ".join((text or "").split())
    if not t:
        return ParsedValue(reason="empty")
    if set(t) <= {"#"}:
        return ParsedValue(reason="lost")
    if t in ("-", "–"):
        return ParsedValue(reason="nil")
    m = _NUM.match(t)
    if not m or ctype in ("text", "code"):
        return ParsedValue(reason="text")
    paren, minus, digits, close, rest = m.groups()
    if "," in digits:
        whole, _, frac = digits.rpartition(",")
        whole = whole.replace(".", "")
    elif digits.count(".") == 1 and ctype != "money" and len(digits.split(".")[1]) != 3:
        whole, _, frac = digits.partition(".")
    else:
        whole, frac = digits.replace(".", ""), ""
    number = Decimal(f"{whole or '0'}.{frac}" if frac else whole)
    if paren or minus:
        number = -number
    unit = rest.strip() or None
    return ParsedValue(number=number, unit=unit, decimals=len(frac))


def make_table(rows: list[dict], *, kind: str = "evaluasi_renja", keys: list[str] | None = None,
               table_id: str = "t1", low_confidence: dict | None = None) -> Table:
    """``rows``: dicts of printed strings by column key, plus ``level`` (and optional ``parent``,
    ``page``, ``level_confidence``, ``level_source``). ``low_confidence``: {(row, key): confidence}."""
    if keys is None:
        keys = []
        for row in rows:
            for k in row:
                if k not in ("level", "parent", "page", "level_confidence", "level_source") \
                        and k not in keys:
                    keys.append(k)
    columns = [Column(key=k, label=k, type=column_type(k)) for k in keys]
    out = []
    for i, spec in enumerate(rows):
        cells = [spec.get(k, "") for k in keys]
        values = {k: parse(spec.get(k, ""), column_type(k)) for k in keys
                  if column_type(k) in ("qty", "money", "percent", "int")}
        page = spec.get("page", 1)
        sources = []
        for k in keys:
            conf = (low_confidence or {}).get((i, k), 1.0)
            sources.append(CellSource(page=page, confidence=conf))
        kode = spec.get("kode") or None
        out.append(Row(cells=cells, level=spec.get("level", "other"), kode=kode, page=page,
                       parent=spec.get("parent"), values=values, sources=sources,
                       level_confidence=spec.get("level_confidence", 1.0),
                       level_source=spec.get("level_source")))
    return Table(id=table_id, kind=kind, pages=[1], columns=columns, rows=out)


def make_doc(*tables: Table, year: int | None = None) -> NormalizedDocument:
    return NormalizedDocument(source=Source(file="x.pdf", sha256="0" * 64, pages=1),
                              document=DocumentMeta(year=year), tables=list(tables))


def errors(findings, rule=None):
    return [f for f in findings if f.severity == "error" and (rule is None or f.rule == rule)]


def cells(findings):
    """{(rule, row, column)} of the findings."""
    return {(f.rule, f.row, f.column) for f in findings}
