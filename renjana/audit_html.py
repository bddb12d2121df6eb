"""The audit report as one HTML file: inline CSS and a little plain JavaScript (the filters),
crops as PNG data URIs, no external resource, so it opens anywhere (mail attachment, offline
laptop) as sent; the whole pages the crops come from are PNG files in ``<stem>.pages/`` beside
it, linked from each crop.

Each finding shows first the cells its relation reads (the flagged cell leftmost, outlined),
then a crop of the page with the table's column header above the row, the rule's explanation
from the registry, and the whole row on demand (``<details>``).

Every text from the PDF is escaped: the document is untrusted input.
"""

from __future__ import annotations

import base64
import difflib
from collections import Counter
from html import escape

from renjana.audit import SEVERITY_ORDER, Entry, IndexLine
from renjana.models import DocumentResult

__all__ = ["index_html", "report_html", "word_diff"]

SEVERITY_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Info"}
UNREAD_TITLES = {"needs-ocr": "no text layer", "text-unreadable": "text layer unreadable",
                 "unreadable": "page unreadable"}
CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1b1b1b; max-width: 1400px; }
h1 { font-size: 20px; margin: 0 0 12px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 8px; }
table.meta td, table.meta th { text-align: left; padding: 2px 12px 2px 0; vertical-align: top;
  overflow-wrap: anywhere; }
table.counts { border-collapse: collapse; margin: 4px 0 12px; }
table.counts td, table.counts th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
table.counts td.n { text-align: right; }
.notchecked { border: 2px solid #b3261e; background: #fde2e0; padding: 8px 12px; margin: 12px 0;
  font-weight: bold; }
.notchecked ul { font-weight: normal; margin: 4px 0; }
#filters { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ccc;
  padding: 6px 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; }
#filters label { white-space: nowrap; }
.finding { border: 1px solid #ccc; border-left: 6px solid #888; padding: 8px 12px; margin: 14px 0;
  overflow: hidden; }
.finding.error { border-left-color: #b3261e; } .finding.warning { border-left-color: #c98a00; }
.finding[hidden] { display: none; }
.finding h3 { font-size: 15px; margin: 0 0 4px; }
.sev { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; background: #666;
  font-size: 12px; text-transform: uppercase; }
.sev.error { background: #b3261e; } .sev.warning { background: #a06b00; }
.where, .caption, .note { color: #555; font-size: 13px; margin: 2px 0; overflow-wrap: anywhere; }
.msg { margin: 6px 0; overflow-wrap: anywhere; } .values b { font-family: ui-monospace, monospace; }
.why { margin: 4px 0; font-size: 13px; background: #f4f6fa; padding: 4px 8px; border-radius: 3px; }
.diff del { background: #fde2e0; text-decoration: line-through; }
.diff ins { background: #dff3e3; text-decoration: none; }
.rowvals { overflow-x: auto; margin: 6px 0; }
.rowvals table { border-collapse: collapse; font-size: 12px; }
.rowvals th { font-weight: normal; font-size: 11px; color: #555; background: #f3f3f3; }
.rowvals th, .rowvals td { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
.rowvals td { font-family: ui-monospace, monospace; max-width: 320px; overflow-wrap: anywhere; }
.rowvals .bad { background: #fde2e0; outline: 2px solid #b3261e; outline-offset: -2px; }
.cropbox { position: relative; display: inline-block; max-width: 100%; margin: 6px 0 0; }
img.crop { display: block; max-width: 100%; height: auto; border: 1px solid #999; }
.cellmark { position: absolute; pointer-events: none; }
details { margin: 4px 0; } summary { cursor: pointer; color: #333; font-size: 13px; }
"""
SCRIPT = """
(function () {
  var boxes = document.querySelectorAll('#filters input[data-severity]');
  var rule = document.getElementById('rule-filter');
  var shown = document.getElementById('shown');
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.dataset.severity] = b.checked; });
    var n = 0;
    document.querySelectorAll('section.finding').forEach(function (s) {
      var ok = on[s.dataset.severity] !== false && (!rule.value || rule.value === s.dataset.rule);
      s.hidden = !ok; if (ok) { n++; }
    });
    document.querySelectorAll('h2.sevhead').forEach(function (h) {
      h.hidden = on[h.dataset.severity] === false;
    });
    shown.textContent = n;
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  rule.addEventListener('change', apply);
  apply();
})();
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


def not_checked(result: DocumentResult) -> str:
    """The banner naming the pages that were not read (no text layer, unreadable): their tables
    were not checked. Empty when every page was read (pages read by OCR count as read)."""
    unread = [u for u in result.source.unread_pages if u.status != "ocr"]
    if not unread:
        return ""
    kinds = sorted({UNREAD_TITLES.get(u.status, u.status) for u in unread})
    every = len(unread) >= result.source.pages
    scope = "the whole document" if every else f"{len(unread)} of {result.source.pages} pages"
    items = "".join(f"<li>page {u.page}: {_text(u.reason)}</li>" for u in unread)
    return (f"<div class='notchecked' id='not-checked'>NOT CHECKED: {_text(', '.join(kinds))} "
            f"({scope}). Nothing on these pages was read or checked.<ul>{items}</ul></div>")


def _summary(result: DocumentResult, items: list[Entry], max_crops: int) -> str:
    meta, source = result.document, result.source
    fields = [("file", source.file), ("sha256", source.sha256), ("pages", source.pages),
              ("region", ", ".join(x for x in (meta.region, meta.province) if x)),
              ("dinas", meta.dinas), ("year", meta.year), ("title", meta.title),
              ("rows checked", sum(len(t.rows) for t in result.tables))]
    parts = [not_checked(result), "<table class='meta'>",
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


def _filters(items: list[Entry]) -> str:
    severities = sorted({e.finding.severity for e in items}, key=_severity_rank)
    rules = sorted({e.finding.rule for e in items})
    boxes = "".join(f"<label><input type='checkbox' checked data-severity='{_text(s)}'> "
                    f"{_text(s)}</label>" for s in severities)
    options = "".join(f"<option value='{_text(r)}'>{_text(r)}</option>" for r in rules)
    return (f"<div id='filters'>{boxes}<label>rule <select id='rule-filter'><option value=''>all"
            f"</option>{options}</select></label><span><span id='shown'>{len(items)}</span> of "
            f"{len(items)} shown</span></div>")


def word_diff(printed: str, official: str) -> str:
    """HTML of the printed name against the official one, word by word: words of the printed
    name not in the official one struck through (``<del>``), official words missing inserted
    (``<ins>``). Words that differ only in letter case count as the same word."""
    a, b = printed.split(), official.split()
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in a], b=[w.casefold() for w in b],
                                      autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(_text(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{_text(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{_text(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def _cells_table(entry: Entry, columns: list[int]) -> str:
    table, row = entry.table, entry.row
    heads, cells = [], []
    for i in columns:
        column = table.columns[i]
        value = row.cells[i] if i < len(row.cells) else ""
        bad = " class='bad'" if i == entry.col else ""
        heads.append(f"<th title='{_text(column.key)}'>{_text(column.label)}</th>")
        cells.append(f"<td{bad}>{_text(value)}</td>")
    return (f"<div class='rowvals'><table><tr>{''.join(heads)}</tr><tr>{''.join(cells)}</tr>"
            "</table></div>")


def _context_columns(entry: Entry) -> list[int]:
    """The row's code and name columns, to tell which row it is."""
    keys = ("kode", "uraian")
    return [i for i, c in enumerate(entry.table.columns) if c.key in keys]


def _row_values(entry: Entry) -> str:
    """The relation's cells (the flagged one first, outlined) with the row's code and name; the
    whole row under a ``<details>``."""
    first = list(entry.reads) or ([entry.col] if entry.col is not None else [])
    first += [i for i in _context_columns(entry) if i not in first]
    whole = list(range(len(entry.table.columns)))
    parts = [_cells_table(entry, first)]
    if len(whole) > len(first):
        parts.append(f"<details><summary>the whole row ({len(whole)} columns)</summary>"
                     f"{_cells_table(entry, whole)}</details>")
    return "".join(parts)


def _crop(entry: Entry) -> str:
    f = entry.finding
    data = base64.b64encode(entry.crop).decode("ascii")
    alt = f"page {entry.page}, row {f.row}, the cell outlined in red"
    if entry.header_share:
        alt += ", the table's column header above"
    mark = ""
    if entry.outline is not None:
        x0, y0, x1, y1 = (max(0.0, min(1.0, v)) * 100 for v in entry.outline)
        mark = (f"<div class='cellmark' style='left:{x0:.3f}%;top:{y0:.3f}%;width:{x1 - x0:.3f}%;"
                f"height:{y1 - y0:.3f}%'></div>")
    link = ""
    if entry.page_image:
        link = (f"<p class='note'><a href='{_text(entry.page_image)}'>whole page {entry.page}</a>"
                "</p>")
    share = f"{entry.header_share:.4f}"
    return (f"<div class='cropbox' data-header-share='{share}'><img class='crop' alt='{_text(alt)}' "
            f"src='data:image/png;base64,{data}'>{mark}</div>{link}")


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
    parts = [f"<section class='finding {_text(f.severity)}' id='f{number}' "
             f"data-severity='{_text(f.severity)}' data-rule='{_text(f.rule)}'>",
             f"<h3>#{number} <span class='sev {_text(f.severity)}'>{_text(f.severity)}</span> "
             f"<code class='rule'>{_text(f.rule)}</code></h3>",
             f"<p class='where'>{' · '.join(where)}</p>"]
    if entry.table is not None and entry.table.caption:
        parts.append(f"<p class='caption'>{_text(entry.table.caption)}</p>")
    parts.append(f"<p class='msg'>{_text(f.message)}</p>")
    if f.printed is not None or f.expected is not None:
        values = [f"printed <b>{_text(f.printed)}</b>"] if f.printed is not None else []
        if f.expected not in (None, ""):
            values.append(f"expected <b>{_text(f.expected)}</b>")
        parts.append(f"<p class='values'>{' · '.join(values)}</p>")
    if f.rule == "nomenclature" and f.printed and f.expected and f.column != "kode":
        parts.append(f"<p class='diff'>{word_diff(f.printed, f.expected)}</p>")
    if entry.row is not None and entry.table is not None:
        parts.append(_row_values(entry))
    elif f.row is None:
        parts.append("<p class='note'>a finding on the whole table, not on one row</p>")
    if entry.box_note:
        parts.append(f"<p class='note'>{_text(entry.box_note)}</p>")
    if entry.crop is not None:
        parts.append(_crop(entry))
    if entry.crop_note:
        parts.append(f"<p class='note'>{_text(entry.crop_note)}</p>")
    if entry.explain:
        parts.append(f"<p class='why'><b>Rule <code>{_text(f.rule)}</code>:</b> "
                     f"{_text(entry.explain)}</p>")
    parts.append("</section>")
    return "".join(parts)


def _page(title: str, body: list[str], script: str = "") -> str:
    tail = f"<script>{script}</script>" if script else ""
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_text(title)}</title><style>{CSS}</style></head><body>"
            + "\n".join(body) + tail + "</body></html>\n")


def report_html(result: DocumentResult, items: list[Entry], max_crops: int) -> str:
    """The whole report; ``items`` in report order, crops already rendered."""
    title = f"Audit: {result.source.file}"
    body = [f"<h1>{_text(title)}</h1>", _summary(result, items, max_crops)]
    if items:
        body.append(_filters(items))
    for severity in sorted({e.finding.severity for e in items}, key=_severity_rank):
        group = [(i, e) for i, e in enumerate(items, 1) if e.finding.severity == severity]
        body.append(f"<h2 class='sevhead' data-severity='{_text(severity)}'>"
                    f"{_text(SEVERITY_TITLES.get(severity, severity))} ({len(group)})</h2>")
        body.extend(_finding(i, e) for i, e in group)
    if not items:
        if not_checked(result):
            body.append("<p>No findings on the pages that were read; the pages listed above as "
                        "NOT CHECKED were not read.</p>")
        else:
            body.append("<p>No findings.</p>")
    return _page(title, body, SCRIPT if items else "")


def index_html(lines: list[IndexLine], problems: list[str]) -> str:
    """The batch's index: one line per input with its counts, its state (ok, needs OCR,
    partial, failed: reason) and a link to its report when it has one."""
    title = "Audit: index"
    head = ("<tr><th>document</th><th>state</th><th>tables</th><th>rows checked</th><th>errors</th>"
            "<th>warnings</th><th>info</th><th>pages not checked</th><th>report</th></tr>")
    rows = []
    for x in lines:
        unread = f"<b>{x.unread} NOT CHECKED</b>" if x.unread else ""
        state = _text(x.status) if x.status == "ok" else f"<b>{_text(x.status)}</b>"
        link = f"<a href='{_text(x.report)}'>report</a>" if x.report else ""
        rows.append(f"<tr><td>{_text(x.file)}</td><td>{state}</td><td class='n'>{x.tables}</td>"
                    f"<td class='n'>{x.rows}</td><td class='n'>{x.errors}</td>"
                    f"<td class='n'>{x.warnings}</td><td class='n'>{x.info}</td><td>{unread}</td>"
                    f"<td>{link}</td></tr>")
    read = [x for x in lines if not x.failed]
    failed = len(lines) - len(read)
    not_all = sum(1 for x in read if x.status != "ok")
    total = [sum(getattr(x, k) for x in read) for k in ("tables", "rows", "errors", "warnings", "info")]
    body = [f"<h1>{_text(title)}</h1>",
            f"<p>{len(lines)} inputs: {len(read)} documents read ({not_all} not fully: needs OCR "
            f"or partial), {failed} failed · {total[1]} rows checked · {total[2]} errors · "
            f"{total[3]} warnings · {total[4]} info. All findings: "
            "<a href='findings.csv'>findings.csv</a>, <a href='findings.xlsx'>findings.xlsx</a>.</p>",
            f"<table class='counts'>{head}{''.join(rows)}</table>"]
    if problems:
        body.append("<h2>Not listed</h2><ul>" + "".join(f"<li>{_text(p)}</li>" for p in problems)
                    + "</ul>")
    return _page(title, body)


