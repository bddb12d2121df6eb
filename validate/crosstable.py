"""Document-level checks: the same sub kegiatan carries the same pagu (and target) in every
table that prints it after the change.

Tables of one document can refer to different years or stages (an evaluation of last year next
to this year's plan), so a pair of tables is compared only when most of the sub kegiatan they
share agree: then the few that do not are the document's mistakes. Which copy is wrong cannot be
told, so each of the two cells gets a finding naming the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from renjana.models import Finding

from .codes import level_ok, table_codes
from .numbers import format_id, number_or_zero, printed_decimals
from .registry import TableView, rule

# Which column holds "the pagu after the change" / "the target after the change" per kind.
PAGU_AFTER = {
    "evaluasi_renja": ["target_rp"],
    "rencana_program": ["jumlah", "pagu"],
    "pemetaan_perubahan": ["pagu_sesudah"],
    "analisa_kebutuhan": ["pagu_sesudah"],
}
TARGET_AFTER = {
    "evaluasi_renja": ["target_k"],
    "rencana_program": ["target_sesudah_k", "target_k"],
    "pemetaan_perubahan": ["target_sesudah_k"],
    "analisa_kebutuhan": ["target_sesudah_k"],
}
MIN_SHARED = 3
MIN_AGREEMENT = Decimal("0.8")


def _column(view: TableView, choices: dict[str, list[str]]) -> str | None:
    return next((k for k in choices.get(view.table.kind, []) if view.has(k)), None)


def sub_kegiatan_rows(view: TableView) -> dict[str, int]:
    """Zero-padded code → row of each sub kegiatan whose code is unique in the table."""
    seen: dict[str, list[int]] = {}
    for r, code in table_codes(view).items():
        if view.level(r) == "sub_kegiatan" and level_ok(view, r, code):
            seen.setdefault(code.normal, []).append(r)
    return {k: v[0] for k, v in seen.items() if len(v) == 1}


def _compare(views: list[TableView], rule_id: str, choices: dict[str, list[str]],
             what: str) -> Iterator[Finding]:
    prepared = []
    for v in views:
        key = _column(v, choices)
        if key is not None:
            prepared.append((v, key, sub_kegiatan_rows(v)))
    for i, (a, ka, rows_a) in enumerate(prepared):
        for b, kb, rows_b in prepared[i + 1:]:
            pairs = []
            for code in rows_a.keys() & rows_b.keys():
                ra, rb = rows_a[code], rows_b[code]
                va, vb = a.value(ra, ka), b.value(rb, kb)
                xa, xb = number_or_zero(va), number_or_zero(vb)
                if xa is None or xb is None:
                    continue
                pairs.append((code, ra, rb, va, vb, xa, xb))
            if len(pairs) < MIN_SHARED:
                continue
            agree = sum(1 for p in pairs if p[5] == p[6])
            if Decimal(agree) / len(pairs) < MIN_AGREEMENT or agree == len(pairs):
                continue
            for code, ra, rb, va, vb, xa, xb in sorted(pairs, key=lambda p: p[2]):
                if xa == xb:
                    continue
                sure = a.confident(ra, ka) and b.confident(rb, kb)
                severity = "error" if sure else "warning"
                for (here, r_here, k_here, v_here, x_here), (there, r_there, k_there, v_there, x_there) in (
                        ((b, rb, kb, vb, xb), (a, ra, ka, va, xa)), ((a, ra, ka, va, xa), (b, rb, kb, vb, xb))):
                    shown = " ".join(there.text(r_there, k_there).split()) or format_id(
                        x_there, printed_decimals(v_there) if v_there.number is not None else 0)
                    yield here.finding(
                        rule_id, severity, r_here, k_here,
                        f"sub kegiatan {code}: {what} {here.text(r_here, k_here).strip() or '-'} here, but "
                        f"{there.text(r_there, k_there).strip() or '-'} in table {there.table.id} row "
                        f"{r_there} ({k_there}); {agree} of {len(pairs)} shared sub kegiatan agree",
                        expected=shown)


@rule("xtab_pagu", scope="document", category="cross_table",
      kinds=tuple(PAGU_AFTER), reads=["target_rp", "jumlah", "pagu", "pagu_sesudah"],
      any_of=True)
def xtab_pagu(views: list[TableView]) -> Iterator[Finding]:
    """The same sub kegiatan (same code) carries the same pagu after the change in every table
    (evaluasi target_rp, rencana jumlah or pagu, pemetaan/analisa pagu_sesudah)."""
    return _compare(views, "xtab_pagu", PAGU_AFTER, "pagu")


@rule("xtab_target_k", scope="document", category="cross_table",
      kinds=tuple(TARGET_AFTER),
      reads=["target_k", "target_sesudah_k", "target_sesudah_k"], any_of=True)
def xtab_target_k(views: list[TableView]) -> Iterator[Finding]:
    """The same sub kegiatan carries the same K target (its number) in every table."""
    return _compare(views, "xtab_target_k", TARGET_AFTER, "target")
