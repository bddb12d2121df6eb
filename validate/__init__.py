"""Stage 3, validate: check the arithmetic the tables claim. Rules never change a value.

``validate_document(doc)`` runs every registered rule (see ``RULES`` / ``describe_rules()``) on
every table it applies to and returns the findings in the contract shape. Severity ``error``
means the printed value is provably wrong; ``warning`` means a relation could not be verified
(a value lost as '###' or read with low confidence) or a nomenclature disagreement; ``info`` is
style.
"""

from __future__ import annotations

import logging

from renjana.models import Finding, NormalizedDocument

# Importing the rule modules registers their rules, in this order (the order of the findings
# of one cell: the first error on a code cell wins, see _merge_same_cell).
from . import arithmetic, hierarchy, codes, nomenclature, crosstable  # noqa: F401,E401
# Rule families of the other forms, then the generic check of the declared relations.
from . import renstra, lra, rincian, declared  # noqa: F401,E401
from .registry import RULES, Rule, TableView, describe_rules, rule, rules_markdown

log = logging.getLogger(__name__)

__all__ = ["RULES", "Rule", "describe_rules", "rule", "rules_markdown", "validate_document",
           "validate_table"]

# Code rules that can fire on the same kode cell; one error per cell is enough (the first in
# this order names the cause best: a wrong level explains a bad prefix or a duplicate).
_CODE_RULES = ["code_level", "code_prefix", "code_unique", "code_format"]


def _run(rule_: Rule, arg, table_id: str) -> list[Finding]:
    try:
        return list(rule_.fn(arg))
    except Exception as exc:  # a broken rule must not take the whole document down
        log.exception("rule %s failed on %s", rule_.id, table_id)
        return [Finding(rule=rule_.id, severity="info", table=table_id,
                        message=f"rule {rule_.id} failed: {exc!r}")]


def _merge_same_cell(findings: list[Finding]) -> list[Finding]:
    """Keep one code error per cell; the others' messages are appended to it."""
    out: list[Finding] = []
    first: dict[tuple, Finding] = {}
    for f in findings:
        if f.severity == "error" and f.rule in _CODE_RULES and f.row is not None:
            cell = (f.table, f.row, f.column)
            kept = first.get(cell)
            if kept is not None:
                kept.message += f" (also {f.rule}: {f.message})"
                continue
            first[cell] = f
        out.append(f)
    return out


def _order(findings: list[Finding], doc: NormalizedDocument) -> list[Finding]:
    table_pos = {t.id: i for i, t in enumerate(doc.tables)}
    col_pos = {t.id: {c.key: i for i, c in reversed(list(enumerate(t.columns)))}
               for t in doc.tables}
    rule_pos = {r.id: i for i, r in enumerate(RULES)}

    def key(f: Finding):
        return (table_pos.get(f.table, len(table_pos)), -1 if f.row is None else f.row,
                col_pos.get(f.table, {}).get(f.column or "", -1), rule_pos.get(f.rule, 999))

    return sorted(findings, key=key)


def validate_table(view_or_table) -> list[Finding]:
    """Table-scope rules on one table (no cross-table checks)."""
    view = view_or_table if isinstance(view_or_table, TableView) else TableView(view_or_table)
    findings: list[Finding] = []
    for r in RULES:
        if r.scope == "table" and r.applies_to(view):
            findings.extend(_run(r, view, view.table.id))
    return findings


def validate_document(doc: NormalizedDocument) -> list[Finding]:
    views = [TableView(t, doc.document) for t in doc.tables]
    findings: list[Finding] = []
    for r in RULES:
        if r.scope == "table":
            for view in views:
                if r.applies_to(view):
                    findings.extend(_run(r, view, view.table.id))
        else:
            chosen = [v for v in views if r.applies_to(v)]
            if chosen:
                findings.extend(_run(r, chosen, chosen[0].table.id))
    return _order(_merge_same_cell(_unproved_on_damaged_pages(findings, doc)), doc)


# What the reader says of a page whose cells cannot be trusted (see renjana.models.UnreadPage).
_DAMAGED_STATUSES = ("unreadable", "text-unreadable")


def _unproved_on_damaged_pages(findings: list[Finding], doc: NormalizedDocument) -> list[Finding]:
    """Errors found on a damaged page (``source.unread_pages``: partly read, its content or
    fonts damaged) become warnings saying why: ``error`` means every cell was read with
    confidence, and there a wrong sum may be the damage, not the document. Errors on the other
    pages of a damaged file stand (an auditor still gets the document's own mistakes)."""
    damaged = {u.page: u.reason for u in doc.source.unread_pages if u.status in _DAMAGED_STATUSES}
    if not damaged:
        return findings
    out = []
    for f in findings:
        if f.severity == "error" and f.page in damaged:
            why = f"not proved: page {f.page} is damaged: {damaged[f.page]}"
            f = f.model_copy(update={"severity": "warning", "message": f"{f.message} ({why})"})
        out.append(f)
    return out
