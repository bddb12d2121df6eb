"""Document-level checks: the same sub kegiatan carries the same pagu (and target) in every
table that prints it, after the change and before it.

A sub kegiatan is paired across two tables by its code; a row that prints no code is paired by
its name (words only, see :func:`.nomenclature.normalize_name`) with the row of that name in the
other table. A cell is reported once, however many tables disagree with it.

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
# Before the change: the forms that print both phases.
PAGU_BEFORE = {
    "pemetaan_perubahan": ["pagu_sebelum"],
    "analisa_kebutuhan": ["pagu_sebelum"],
}
TARGET_BEFORE = {
    "rencana_program": ["target_sebelum_k"],
    "pemetaan_perubahan": ["target_sebelum_k"],
    "analisa_kebutuhan": ["target_sebelum_k"],
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


def sub_kegiatan_names(view: TableView) -> tuple[dict[str, int], set[int]]:
    """Name (words only) → row of each sub kegiatan whose name is unique in the table, and the
    rows among them that print no code."""
    from .nomenclature import normalize_name

    codes = table_codes(view)
    seen: dict[str, list[int]] = {}
    for r in range(len(view.rows)):
        if view.level(r) == "sub_kegiatan" and (name := normalize_name(view.text(r, "uraian"))):
            seen.setdefault(name, []).append(r)
    names = {k: v[0] for k, v in seen.items() if len(v) == 1}
    return names, {r for r in names.values() if r not in codes}


def shared_rows(a: TableView, b: TableView) -> list[tuple[str, int, int]]:
    """(what, row in a, row in b) of the sub kegiatan both tables print: by code, then by name
    where one of the two rows prints no code."""
    codes_a, codes_b = sub_kegiatan_rows(a), sub_kegiatan_rows(b)
    pairs = [(code, codes_a[code], codes_b[code]) for code in codes_a.keys() & codes_b.keys()]
    names_a, bare_a = sub_kegiatan_names(a) if a.has("uraian") else ({}, set())
    names_b, bare_b = sub_kegiatan_names(b) if b.has("uraian") else ({}, set())
    used_a, used_b = {p[1] for p in pairs}, {p[2] for p in pairs}
    for name in names_a.keys() & names_b.keys():
        ra, rb = names_a[name], names_b[name]
        if (ra in bare_a or rb in bare_b) and ra not in used_a and rb not in used_b:
            kode = table_codes(a).get(ra) or table_codes(b).get(rb)
            pairs.append((kode.normal if kode is not None else f"'{a.text(ra, 'uraian').strip()}'",
                          ra, rb))
    return pairs


def _compare(views: list[TableView], rule_id: str, choices: dict[str, list[str]],
             what: str) -> Iterator[Finding]:
    prepared = []
    for v in views:
        key = _column(v, choices)
        if key is not None:
            prepared.append((v, key))
    reported: set[tuple[str, int, str]] = set()  # each cell once
    for i, (a, ka) in enumerate(prepared):
        for b, kb in prepared[i + 1:]:
            pairs = []
            for code, ra, rb in shared_rows(a, b):
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
                    if (here.table.id, r_here, k_here) in reported:
                        continue
                    reported.add((here.table.id, r_here, k_here))
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


@rule("xtab_pagu_sebelum", scope="document", category="cross_table",
      kinds=tuple(PAGU_BEFORE), reads=["pagu_sebelum"])
def xtab_pagu_sebelum(views: list[TableView]) -> Iterator[Finding]:
    """The same sub kegiatan carries the same pagu before the change in every table that prints
    one (pemetaan / analisa pagu_sebelum)."""
    return _compare(views, "xtab_pagu_sebelum", PAGU_BEFORE, "pagu before the change")


@rule("xtab_target_sebelum_k", scope="document", category="cross_table",
      kinds=tuple(TARGET_BEFORE), reads=["target_sebelum_k"])
def xtab_target_sebelum_k(views: list[TableView]) -> Iterator[Finding]:
    """The same sub kegiatan carries the same K target before the change in every table that
    prints one."""
    return _compare(views, "xtab_target_sebelum_k", TARGET_BEFORE, "target before the change")
