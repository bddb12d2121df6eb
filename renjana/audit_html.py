"""The audit report as one self-contained HTML file: inline CSS, crops as PNG data URIs, no
script and no external resource, so it opens anywhere (mail attachment, offline laptop) as sent.

Every text from the PDF is escaped: the document is untrusted input.
"""

from __future__ import annotations

import base64
from collections import Counter
from html import escape

from renjana.audit import SEVERITY_ORDER, Entry
from renjana.models import DocumentResult

__all__ = ["report_html"]

SEVERITY_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Info"}
CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1b1b; max-width: 1400px; }
h1 { font-size: 20px; margin: 0 0 12px; } h2 { font-size: 17px; margin: 28px 0 8px; }
table.meta td, table.meta th { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; }
table.counts { border-collapse: collapse; margin: 4px 0 12px; }
table.counts td, table.counts th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
table.counts td.n { text-align: right; }
.finding { border: 1px solid #ccc; border-left: 6px solid #888; padding: 8px 12px; margin: 14px 0; }
.finding.error { border-left-color: #b3261e; } .finding.warning { border-left-color: #c98a00; }
.finding h3 { font-size: 15px; margin: 0 0 4px; }
.sev { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; background: #666;
  font-size: 12px; text-transform: uppercase; }
.sev.error { background: #b3261e; } .sev.warning { background: #a06b00; }
.where, .caption, .note { color: #555; font-size: 13px; margin: 2px 0; }
.msg { margin: 6px 0; } .values b { font-family: ui-monospace, monospace; }
.rowvals { overflow-x: auto; margin: 6px 0; }
.rowvals table { border-collapse: collapse; font-size: 12px; }
.rowvals th { font-weight: normal; font-size: 11px; color: #555; background: #f3f3f3; }
.rowvals th, .rowvals td { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
.rowvals td { font-family: ui-monospace, monospace; max-width: 320px; }
.rowvals .bad { background: #fde2e0; outline: 2px solid #b3261e; outline-offset: -2px; }
img.crop { display: block; max-width: 100%; height: auto; border: 1px solid #999; margin: 6px 0; }
"""


def _text(value) -> str:
    return escape("" if value is None else str(value))


def _counts_table(title: str, counts: Counter, order=lambda kv: (-kv[1], kv[0])) -> str:
    rows = "".join(f"<tr><td>{_text(k)}</td><td class='n'>{n}</td></tr>"
                   for k, n in sorted(counts.items(), key=order))
    return (f"<table class='counts'><tr><th>{_text(title)}</th><th>findings</th></tr>{rows}"
            "</table>")


def _severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.get(severity, len(SEVERITY_ORDER))


def _rule_table(items: list[Entry], severities: list[str]) -> str:
    """Findings per rule, split by severity (one rule can both prove an error and warn)."""
    counts = Counter((e.finding.rule, e.finding.severity) for e in items)
    totals = Counter(e.finding.rule for e in items)
    head = "".join(f"<th>{_text(s)}</th>" for s in severities)
    rows = "".join(
        f"<tr><td>{_text(rule)}</td>"
        + "".join(f"<td class='n'>{counts[rule, s] or ''}</td>" for s in severities)
        + f"<td class='n'>{total}</td></tr>"
        for rule, total in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"<table class='counts'><tr><th>rule</th>{head}<th>all</th></tr>{rows}</table>"


def _summary(result: DocumentResult, items: list[Entry], max_crops: int) -> str:
    meta, source = result.document, result.source
    fields = [("file", source.file), ("sha256", source.sha256), ("pages", source.pages),
              ("region", ", ".join(x for x in (meta.region, meta.province) if x)),
              ("dinas", meta.dinas), ("year", meta.year), ("title", meta.title),
              ("rows checked", sum(len(t.rows) for t in result.tables))]
    parts = ["<table class='meta'>",
             *(f"<tr><th>{name}</th><td>{_text(value)}</td></tr>" for name, value in fields),
             "</table>", "<h2>Tables</h2><table class='counts'><tr><th>id</th><th>kind</th>"
             "<th>caption</th><th>pages</th><th>rows</th></tr>"]
    for t in result.tables:
        pages = ", ".join(str(p) for p in t.pages)
        parts.append(f"<tr><td>{_text(t.id)}</td><td>{_text(t.kind)}</td><td>{_text(t.caption)}"
                     f"</td><td>{pages}</td><td class='n'>{len(t.rows)}</td></tr>")
    parts.append("</table><h2>Findings</h2>")
    severities = Counter(e.finding.severity for e in items)
    parts.append(_counts_table("severity", severities, lambda kv: _severity_rank(kv[0])))
    parts.append(_rule_table(items, sorted(severities, key=_severity_rank)))
    if result.notes:
        parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{_text(n)}</li>" for n in result.notes)
                     + "</ul>")
    if len(items) > max_crops:
        parts.append(f"<p class='note'>{len(items)} findings: page crops are shown for the first "
                     f"{max_crops} only (errors first); the CSV and XLSX list them all.</p>")
    return "".join(parts)


def _row_values(entry: Entry) -> str:
    """The row's cells under their column labels, the finding's cell highlighted."""
    table, row = entry.table, entry.row
    heads, cells = [], []
    for i, column in enumerate(table.columns):
        value = row.cells[i] if i < len(row.cells) else ""
        bad = " class='bad'" if i == entry.col else ""
        heads.append(f"<th title='{_text(column.key)}'>{_text(column.label)}</th>")
        cells.append(f"<td{bad}>{_text(value)}</td>")
    return (f"<div class='rowvals'><table><tr>{''.join(heads)}</tr><tr>{''.join(cells)}</tr>"
            "</table></div>")


def _finding(number: int, entry: Entry) -> str:
    f = entry.finding
    where = [f"table {_text(f.table)}"]
    if f.row is not None:
        kode = entry.row.kode if entry.row is not None else None
        kode = f" (kode {_text(kode)})" if kode else ""
        where.append(f"row {f.row}{kode}")
    if f.column is not None:
        where.append(f"column {_text(entry.label or f.column)} <code>{_text(f.column)}</code>")
    if entry.page is not None:
        where.append(f"page {entry.page}")
    parts = [f"<section class='finding {_text(f.severity)}' id='f{number}'>",
             f"<h3>#{number} <span class='sev {_text(f.severity)}'>{_text(f.severity)}</span> "
             f"<code class='rule'>{_text(f.rule)}</code></h3>",
             f"<p class='where'>{' · '.join(where)}</p>"]
    if entry.table is not None and entry.table.caption:
        parts.append(f"<p class='caption'>{_text(entry.table.caption)}</p>")
    parts.append(f"<p class='msg'>{_text(f.message)}</p>")
    if f.printed is not None or f.expected is not None:
        parts.append(f"<p class='values'>printed <b>{_text(f.printed)}</b> · expected "
                     f"<b>{_text(f.expected)}</b></p>")
    if entry.box_note:
        parts.append(f"<p class='note'>{_text(entry.box_note)}</p>")
    if entry.crop is not None:
        data = base64.b64encode(entry.crop).decode("ascii")
        alt = f"page {entry.page}, row {f.row}, the cell outlined in red"
        parts.append(f"<img class='crop' alt='{_text(alt)}' src='data:image/png;base64,{data}'>")
    elif entry.crop_note:
        parts.append(f"<p class='note'>{_text(entry.crop_note)}</p>")
    if entry.row is not None:
        parts.append(_row_values(entry))
    elif f.row is None:
        parts.append("<p class='note'>a finding on the whole table, not on one row</p>")
    parts.append("</section>")
    return "".join(parts)


def report_html(result: DocumentResult, items: list[Entry], max_crops: int) -> str:
    """The whole report; ``items`` in report order, crops already rendered."""
    title = f"Audit: {result.source.file}"
    body = [f"<h1>{_text(title)}</h1>", _summary(result, items, max_crops)]
    for severity in sorted({e.finding.severity for e in items}, key=_severity_rank):
        group = [(i, e) for i, e in enumerate(items, 1) if e.finding.severity == severity]
        body.append(f"<h2>{_text(SEVERITY_TITLES.get(severity, severity))} ({len(group)})</h2>")
        body.extend(_finding(i, e) for i, e in group)
    if not items:
        body.append("<p>No findings.</p>")
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{_text(title)}</title><style>{CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")
