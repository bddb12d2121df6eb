"""Semantic column keys and types from header roles (see docs/COLUMN_KEYS.md).

``python -m renjana.normalize.columns`` regenerates docs/COLUMN_KEYS.md from the vocabulary
file (``data/column_roles.toml``).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from renjana.models import Column

from .kinds import table_kind  # noqa: F401  (re-exported: the kind from roles and caption)
from .relations import parse_items
from .roles import ColumnRoles, path_roles, vocabulary

# Money columns by key (for tables built by hand, e.g. in tests).
MONEY_KEYS = re.compile(r"(_rp$|^pagu|^tambahan$|^jumlah$|^selisih$|^harga$|^lebih_kurang$)")
# A money amount as printed: dot-grouped thousands ("1.234.567", "(309.198,00)", "Rp 300.000").
MONEY_TEXT = re.compile(r"^(?:rp\.?\s*)?[(-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?\)?$", re.IGNORECASE)
# Words a label key keeps at most (a key made from a label no role fits).
LABEL_KEY_WORDS = 4
# A column with no header text at all.
BLANK_KEY = "tanpa_label"


def _mostly(samples: list[str], test) -> bool:
    filled = [s.strip() for s in samples if s.strip()]
    return bool(filled) and sum(bool(test(s)) for s in filled) * 2 > len(filled)


def _mostly_units(samples: list[str]) -> bool:
    """Most filled cells are words (a unit column: "Dokumen", "%"), not numbers."""
    return _mostly(samples, lambda s: not re.match(r"^[-(]?\d", s))


def _mostly_money(samples: list[str]) -> bool:
    return _mostly(samples, MONEY_TEXT.match)


def _is_ratio(number_text: str) -> bool:
    items = parse_items(number_text) if number_text.strip() else None
    return bool(items and len(items) == 1 and items[0][1] and "/" in items[0][1])


def column_roles(stacks: list[list[str]], samples: list[list[str]],
                 numbers: list[str] | None = None) -> list[ColumnRoles]:
    """The roles of each leaf column. ``stacks[i]``: header texts over column i, top first;
    ``samples[i]``: a few body texts of column i; ``numbers[i]``: its column-number text."""
    numbers = numbers or [""] * len(stacks)
    roles = [path_roles(stack) for stack in stacks]
    _units_of_runs(roles, stacks, samples, numbers)
    for r in roles:
        if r.unit_bearing and r.unit is None:
            r.unit, r.unit_source = "k", "default"
    _cumulative_periods(roles)
    _unphased_siblings(roles)
    return roles


def _units_of_runs(roles: list[ColumnRoles], stacks, samples, numbers) -> None:
    """Columns under one identical header path (a K/Rp pair whose K and Rp labels were not
    read, or a value column beside its unit column) told apart by their values, their
    formula and, for a pair, the K-then-Rp order every Renja form follows."""
    i = 0
    while i < len(roles):
        j = i
        while j + 1 < len(roles) and stacks[j + 1] == stacks[i] and stacks[i]:
            j += 1
        run = list(range(i, j + 1))
        i = j + 1
        if len(run) < 2 or roles[run[0]].unit_source == "header" or not roles[run[0]].unit_bearing:
            continue
        for c in run:
            if _is_ratio(numbers[c]) and roles[c].measure != "capaian":
                roles[c].unit, roles[c].unit_source = "pct", "formula"
            elif _mostly_money(samples[c]):
                roles[c].unit, roles[c].unit_source = "rp", "values"
            elif c != run[0] and _mostly_units(samples[c]):
                roles[c].unit, roles[c].unit_source = "satuan", "values"
            else:
                roles[c].unit, roles[c].unit_source = None, ""
        merged_pair = {"k", "rp"} <= roles[run[0]].stated_units  # "… K Rp" read as one label
        if (len(run) == 2 and merged_pair and roles[run[0]].unit is None
                and roles[run[1]].unit in (None, "rp")):
            roles[run[0]].unit, roles[run[0]].unit_source = "k", "pair"
            if roles[run[1]].unit is None:
                roles[run[1]].unit, roles[run[1]].unit_source = "rp", "pair"


def _cumulative_periods(roles: list[ColumnRoles]) -> None:
    """Two realisasi columns both reaching back to the Renstra start: the earlier one
    (smaller year, else the first printed) is the total up to last year (``lalu``)."""
    by_unit: dict[str | None, list[ColumnRoles]] = {}
    for r in roles:
        if r.measure == "realisasi" and r.period == "renstra":
            by_unit.setdefault(r.unit, []).append(r)
    for group in by_unit.values():
        if len(group) < 2:
            continue
        years = [g.year for g in group]
        if all(years) and len(set(years)) == len(years):
            earliest = min(group, key=lambda g: g.year)
        else:
            earliest = group[0]
        earliest.period = "lalu"


def _unphased_siblings(roles: list[ColumnRoles]) -> None:
    """Beside a column marked after the change, the same measure unmarked is the before."""
    after = {(r.measure, r.unit, r.period) for r in roles if r.phase == "sesudah"}
    for r in roles:
        if r.phase is None and r.measure and (r.measure, r.unit, r.period) in after:
            r.phase = "sebelum"


def compose_key(r: ColumnRoles, with_year: bool = False) -> str:
    """``measure[_period|_year][_phase][_unit]`` (``realisasi_tw3_rp``, ``pagu_sesudah``,
    ``target_2024_k``); a column no measure fits is keyed from its label."""
    if r.measure is None:
        return label_key(r.stack)
    parts = [r.measure]
    if r.takes_period and r.period:
        parts.append(r.period)
    elif with_year and r.year:
        parts.append(r.year)
    if r.phase and r.measure not in ("no", "kode", "uraian", "indikator"):
        parts.append(r.phase)
    if r.unit and (r.unit_bearing or (r.unit == "pct" and r.type != "percent")):
        parts.append(r.unit)
    return "_".join(parts)


def label_key(stack: list[str]) -> str:
    """A key from the deepest header label: ascii lower-case words joined by ``_``."""
    for text in reversed(stack):
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
        words = re.findall(r"[a-z]+", plain)
        if words:
            return "_".join(words[:LABEL_KEY_WORDS])
    return BLANK_KEY


def column_type(key: str) -> str:
    """The value type of a column from its key (``int``, ``code``, ``unit``, ``percent``,
    ``money``, ``qty`` or ``text``)."""
    base = re.sub(r"_\d+$", "", key)
    if base == "no":
        return "int"
    if base in ("kode", "kode_rekening"):
        return "code"
    if base.endswith("_satuan") or base == "satuan":
        return "unit"
    if base.startswith("capaian") or base.endswith("_pct") or base == "ppn":
        return "percent"
    if MONEY_KEYS.search(base):
        return "money"
    if base.startswith(("target", "realisasi", "kondisi")):
        return "qty"
    return "text"


def assign_columns(stacks: list[list[str]], samples: list[list[str]],
                   numbers: list[str] | None = None) -> tuple[list[Column], list[str], list[ColumnRoles]]:
    """Leaf columns with keys and types, the keys that collided, and each column's roles.

    Two columns whose roles compose to the same key first try the year that tells them
    apart (``target_2021_k``, ``target_2022_k``); still equal, each gets a numbered key
    (``_2``, ``_3``) and all of them are listed as collisions.
    """
    roles = column_roles(stacks, samples, numbers)
    keys = [compose_key(r) for r in roles]
    for key in set(keys):
        same = [i for i, k in enumerate(keys) if k == key]
        years = [roles[i].year for i in same]
        if len(same) > 1 and all(years) and len(set(years)) == len(same):
            for i in same:
                keys[i] = compose_key(roles[i], with_year=True)
    collisions: list[str] = []
    seen: dict[str, int] = {}
    final = []
    for key in keys:
        if keys.count(key) > 1:
            seen[key] = seen.get(key, 0) + 1
            key = key if seen[key] == 1 else f"{key}_{seen[key]}"
            collisions.append(key)
        final.append(key)
    columns = []
    for key, r in zip(final, roles):
        typ = r.type if r.measure else "text"
        if r.unit == "satuan":
            typ = "unit"
        elif r.measure == "capaian" or r.unit == "pct":
            typ = "percent"
        elif r.unit_bearing and r.unit == "rp":
            typ = "money"
        columns.append(Column(key=key, label=r.label, type=typ))
    return columns, collisions, roles


# -- docs/COLUMN_KEYS.md -----------------------------------------------------------------

DOC_HEAD = """# Column keys

<!-- Generated by `python -m renjana.normalize.columns` from normalize/data/column_roles.toml;
     edit the vocabulary there, not this file. -->

`normalize/` reads each leaf column's *roles* from every header label above it (any depth) and
composes its key from them: `measure[_period][_phase][_unit]`, e.g. `realisasi_tw3_rp`,
`pagu_sesudah`, `target_2024_k`, `target_renstra_k`, `kondisi_akhir_rp`.

- **measure**: what the column holds; the deepest label naming one wins, and in one label the
  term printed first ("Realisasi Capaian Kinerja" is realisasi, "Tingkat Capaian Kinerja dan
  Realisasi Anggaran" is capaian).
- **period**: `tw1`…`tw4` (a quarter; "s/d Triwulan II" is the running total, no period),
  `lalu` (up to last year), `maju` (prakiraan maju), `renstra` (the Renstra/RPJMD: its target,
  or the realisation accumulated over it). A year enters the key only when it tells apart
  columns that are otherwise alike. Of two realisasi columns reaching back to the Renstra
  start, the earlier is `lalu`.
- **phase**: `sebelum` / `sesudah` (sebelum/semula/murni vs sesudah/setelah/menjadi/perubahan/
  P-APBD); beside a column marked after the change, the same measure unmarked is `sebelum`.
- **unit**: `k` (kinerja), `rp`, `pct` (%), `satuan` (the unit printed in its own column),
  appended for measures printed per unit; from a K/Rp/% label, else a hint ("Kinerja"), else
  the values (money amounts), a ratio formula in the number row, or the K-then-Rp order of a
  pair whose labels were not read; `k` by default.
- A column no measure fits is keyed from its label's first words (never `colN`; `tanpa_label`
  when it has no header text). Two columns never share a key: the second gets `_2` and both
  are listed in `Table.key_collisions`; validation rules do not read them.

Types: `int`, `code`, `text`, `qty` (a number with a unit, a K cell: `14 bulan`, `100 %`),
`unit`, `money` (Rp), `percent`.

The column-number row (`1 2 3 …`, `(1) (2)`, `1.`, wherever it sits, or trailing the labels
when a converter merged it into them) is kept in `Table.column_numbers`; its formulas
(`12 = 8+9+10+11`, `13 = 12/7 x 100%`, `(8) = (6) - (4)`) become `Table.relations`
(`kind` `sum`: `column = Σ plus − Σ minus`; `ratio`: `column = numerator / denominator ×
scale`), K/Rp halves related position by position.

Keys the usual forms produce:

| kind | keys (left to right as usually printed) |
|---|---|
| all | `no`, `kode`, `uraian`, `indikator`, `keterangan`, `catatan` |
| `evaluasi_renja` | `target_renstra_k`, `target_renstra_rp` (or `target_renstra_satuan`); `realisasi_lalu_k`, `realisasi_lalu_rp`; `target_k`, `target_rp`; `realisasi_tw1_k` … `realisasi_tw4_rp`; `realisasi_k`, `realisasi_rp`; `capaian_k`, `capaian_rp`; `realisasi_renstra_k`, `realisasi_renstra_rp`; `capaian_renstra_k`, `capaian_renstra_rp`; `opd` |
| `rencana_program` | `lokasi`, `target_sebelum_k`, `target_sesudah_k` (or `target_k`), `pagu`, `tambahan`, `jumlah`, `sumber_dana`, `catatan`, `target_maju_k`, `pagu_maju`; a Renstra form: `kondisi_awal_k`, `target_2021_k`, `target_2021_rp` …, `kondisi_akhir_k`, `kondisi_akhir_rp`, `opd` |
| `pemetaan_perubahan` | `target_sebelum_k`, `pagu_sebelum`, `target_sesudah_k`, `pagu_sesudah`, `selisih`, `lokasi`, `sumber_dana`, `catatan` |
| `analisa_kebutuhan` | `target_sebelum_k`, `realisasi_k`, `pagu_sebelum`, `realisasi_rp`, `target_sesudah_k`, `pagu_sesudah` |
| `tujuan_sasaran` | `tujuan`, `sasaran`, `satuan`, `indikator`, `target_sebelum_k`, `target_sesudah_k` |
| `rincian_belanja` | `kode`, `uraian`, `koefisien`, `satuan`, `harga`, `ppn`, `jumlah` |
| `realisasi_anggaran` | `kode`, `uraian`, `pagu_sesudah` (or `pagu`), `realisasi_rp`, `realisasi_pct`, `lebih_kurang` |

Row values: `Row.values[key]` is a `ParsedValue` (`number` as `Decimal` or `None`, `unit`, `decimals`
printed after the decimal separator, `reason` when `number` is None: `empty`, `nil` for `-`, `lost`
for `###`, `text`). Row levels: `urusan`, `bidang`, `program`, `kegiatan`, `sub_kegiatan`,
`indicator` (an extra indicator line of the row above: no kode, no name), `total`, `average`,
`predikat`, `section`, `other`. `Row.parent` is the index of the parent row (program for a kegiatan,
kegiatan for a sub kegiatan, the row above for an indicator).
"""


def render_doc() -> str:
    """docs/COLUMN_KEYS.md: the fixed explanation plus the vocabulary tables."""
    raw = vocabulary().raw
    lines = [DOC_HEAD, "## Vocabulary", "", "### Measures", "",
             "| measure | type | per unit | takes a period | label terms (regular expressions) |",
             "|---|---|---|---|---|"]
    for name, spec in raw["measure"].items():
        terms = ", ".join(f"`{t}`" for t in spec["terms"])
        lines.append(f"| `{name}` | {spec.get('type', 'text')} | {'yes' if spec.get('units') else ''} "
                     f"| {'yes' if spec.get('periods') else ''} | {terms} |")
    for family in ("period", "phase"):
        lines += ["", f"### {family.capitalize()}s", "", f"| {family} | label terms |", "|---|---|"]
        for name, spec in raw[family].items():
            lines.append(f"| `{name}` | " + ", ".join(f"`{t}`" for t in spec["terms"]) + " |")
    lines += ["", "### Units", "", "| unit | stated by | hinted by |", "|---|---|---|"]
    for name, spec in raw["unit"].items():
        lines.append(f"| `{name}` | " + ", ".join(f"`{t}`" for t in spec.get("strong", [])) + " | "
                     + ", ".join(f"`{t}`" for t in spec.get("weak", [])) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write docs/COLUMN_KEYS.md (or the path given) from the vocabulary."""
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "docs" / "COLUMN_KEYS.md"
    target.write_text(render_doc(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
