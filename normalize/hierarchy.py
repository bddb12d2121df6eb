"""Row levels and the kode tree: urusan › bidang › program › kegiatan › sub kegiatan.

The level comes from the code and the row's place together: printed codes are often wrong (a
kegiatan carrying its program's code, or its first sub kegiatan's), so where the code and the
name disagree the name and the order decide. Contradictions are left for validate to report.
"""

from __future__ import annotations

import re

from renjana import nomenclature
from renjana.models import Row

RANK = {"urusan": 1, "bidang": 2, "program": 3, "kegiatan": 4, "sub_kegiatan": 5}
LEVEL_BY_SEGMENTS = {1: "urusan", 2: "bidang", 3: "program", 4: "kegiatan", 5: "kegiatan", 6: "sub_kegiatan"}
KODE = re.compile(r"^\d+(\.\d+)*\.?$")
# Matched against the label with its spaces removed: narrow cells stack these words letter by letter.
TOTAL = re.compile(r"^(jumlah|total|grandtotal)(?![a-z])", re.IGNORECASE)
AVERAGE = re.compile(r"rata-?rata", re.IGNORECASE)
PREDIKAT = re.compile(r"^predikat", re.IGNORECASE)
TEXT_KEYS = ("uraian", "tujuan", "sasaran")
ORGANISATION = re.compile(r"^(DINAS|BADAN|SEKRETARIAT|KANTOR|INSPEKTORAT|SATUAN POLISI|KECAMATAN|KELURAHAN)\b")


def clean_kode(text: str) -> str | None:
    t = text.strip().replace(" ", "")
    return t if t and KODE.match(t) else None


def _segments(kode: str) -> int:
    return len(kode.rstrip(".").split("."))


def assign_levels(rows: list[Row], keys: list[str], kind: str) -> None:
    """Set ``level``, ``kode`` and ``parent`` of every row in place."""
    col = {key: i for i, key in enumerate(keys)}

    def text(row: Row, key: str) -> str:
        i = col.get(key)
        return row.cells[i].strip() if i is not None else ""

    name_keys = [k for k in TEXT_KEYS if k in col]
    value_cols = [i for i, k in enumerate(keys) if k not in ("no", "kode", "indikator", "keterangan", "catatan",
                                                             "lokasi", "sumber_dana", *TEXT_KEYS)]
    seen_structure = False
    for index, row in enumerate(rows):
        kode = clean_kode(text(row, "kode"))
        row.kode = kode
        name = next((text(row, k) for k in name_keys if text(row, k)), "")
        # The row's label: its first text, before the indicator column (totals, averages and
        # predikat rows print it in a cell merged over the No/Kode/Uraian columns).
        label = next((c.strip() for i, c in enumerate(row.cells)
                      if c.strip() and i < col.get("indikator", len(row.cells))), "").replace(" ", "")
        has_values = any(row.cells[i].strip() for i in value_cols)
        if kind == "tujuan_sasaran":
            row.level = "indicator" if not name and text(row, "indikator") else "other"
            continue
        if kode:
            row.level = _level_from_code(kode, name, rows, index, keys)
            seen_structure = True
        elif PREDIKAT.search(label):
            row.level = "predikat"
        elif AVERAGE.search(label):
            row.level = "average"
        elif TOTAL.search(label):
            row.level = "total"
        elif name:
            row.level = _level_from_name(name, has_values)
            seen_structure = seen_structure or row.level in RANK
        elif text(row, "indikator"):
            row.level = "indicator"
        elif has_values:
            row.level = "total"  # an unlabelled sum row (often printed above the first program)
        else:
            row.level = "other"
    _link_parents(rows)


def _level_from_name(name: str, has_values: bool) -> str:
    upper = name.upper()
    if upper.startswith("URUSAN PEMERINTAHAN BIDANG") or upper.startswith("BIDANG URUSAN"):
        return "bidang"
    if upper.startswith("URUSAN"):
        return "urusan"
    if upper.startswith("PROGRAM"):
        return "program"
    if ORGANISATION.match(name):
        return "section"  # the dinas itself heading its programs
    levels = nomenclature.levels_by_name().get(nomenclature.normal_name(name), set())
    if len(levels) == 1:
        return next(iter(levels))
    return "section" if not has_values or name.isupper() else "other"


def _level_from_code(kode: str, name: str, rows: list[Row], index: int, keys: list[str]) -> str:
    if name and ORGANISATION.match(name):
        return "section"
    level = LEVEL_BY_SEGMENTS.get(_segments(kode), "other")
    by_name = nomenclature.levels_by_name().get(nomenclature.normal_name(name), set()) if name else set()
    if len(by_name) == 1 and next(iter(by_name)) != level:
        return next(iter(by_name))
    if level == "program" and name and not name.isupper() and not name.upper().startswith("PROGRAM"):
        return "kegiatan"  # a kegiatan printed with its program's code
    if level == "sub_kegiatan" and "kode" in keys:
        kode_col = keys.index("kode")
        following = (clean_kode(r.cells[kode_col]) for r in rows[index + 1:index + 4])
        nxt = next((k for k in following if k), None)
        if nxt == kode:
            return "kegiatan"  # a kegiatan printed with its first sub kegiatan's code
    return level


def _link_parents(rows: list[Row]) -> None:
    stack: list[tuple[int, int]] = []  # (rank, row index)
    last_structural: int | None = None
    for index, row in enumerate(rows):
        rank = RANK.get(row.level)
        if rank is not None:
            while stack and stack[-1][0] >= rank:
                stack.pop()
            row.parent = stack[-1][1] if stack else None
            stack.append((rank, index))
            last_structural = index
        elif row.level == "indicator":
            row.parent = last_structural
        else:
            row.parent = None
