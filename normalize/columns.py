"""Semantic column keys and types from header labels (see docs/COLUMN_KEYS.md), and table kinds."""

from __future__ import annotations

import re

from renjana.models import Column

MONEY_KEYS = re.compile(r"(_rp$|^pagu|^tambahan$|^jumlah$|^selisih$|^maju_pagu$)")


def table_kind(caption: str, header_text: str) -> str:
    """The kind of table from its caption and header words."""
    cap, head = caption.casefold(), header_text.casefold()
    both = cap + " " + head
    if "analisa kebutuhan" in both or "analisis kebutuhan" in both:
        return "analisa_kebutuhan"
    if "evaluasi" in cap or ("realisasi" in head and ("tingkat" in head or "capaian" in head)
                             and ("renstra" in head or "rpjmd" in head)):
        return "evaluasi_renja"
    if "sebelum" in head and ("setelah" in head or "sesudah" in head):
        return "pemetaan_perubahan"
    if "tujuan" in head and "sasaran" in head:
        return "tujuan_sasaran"
    if "rencana program" in cap or "pagu indikatif" in head or "prakiraan maju" in head:
        return "rencana_program"
    return "other"


def _leaf_suffix(leaf: str) -> str | None:
    t = leaf.strip().casefold().rstrip(".")
    if t in ("k", "kinerja", "target kinerja"):
        return "k"
    if t in ("rp", "rp.", "anggaran", "pagu", "(rp)", "rp (000)"):
        return "rp"
    return None


QUARTER = re.compile(r"^(?:tw|triwulan)?\s*(i{1,3}|iv)$")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


# A label starting with one of these names a plain column.
LABEL_PREFIXES = (("kode", "kode"), ("indikator", "indikator"), ("ket", "keterangan"),
                  ("catatan", "catatan"), ("lokasi", "lokasi"), ("sumber", "sumber_dana"),
                  ("satuan", "satuan"), ("tujuan", "tujuan"), ("sasaran", "sasaran"))


def _base_key(label: str, kind: str, state: dict) -> str | None:
    """The key of a column group from its label text; ``state`` remembers what came before."""
    t = " ".join(label.casefold().split())
    if t in ("no", "no.", "nomor", "no urut"):
        return "no"
    for prefix, key in LABEL_PREFIXES:
        if t.startswith(prefix):
            return key
    if "program" in t and ("kegiatan" in t or "urusan" in t) and "target" not in t:
        return "uraian"
    if t.startswith("selisih"):
        return "selisih"
    if t.startswith("jumlah"):
        return "jumlah"
    if "tambahan" in t:
        return "tambahan"
    if "pagu" in t or "kebutuhan dana" in t:
        if kind == "pemetaan_perubahan" or state.get("phase") in ("sebelum", "sesudah"):
            return "pagu_" + state.get("phase", "sesudah")
        return "maju_pagu" if state.get("maju") else "pagu_indikatif"
    if t.startswith("tingkat") or t.startswith("capaian"):
        state["capaian"] = True
        renstra = "renstra" in t or "rpjmd" in t
        return "capaian_renstra" if renstra else "capaian"
    if t.startswith("target"):
        if kind == "pemetaan_perubahan" or kind == "tujuan_sasaran":
            return "target_" + state.get("phase", "sebelum")
        if state.get("maju"):
            return "maju_target"
        if ("renstra" in t or "rpjmd" in t) and not state.get("target"):
            return "renstra_target"
        if state.get("target") and ("p-apbd" in t or "perubahan" in t):
            return "target_perubahan"
        state["target"] = True
        return "target"
    if t.startswith("realisasi"):
        if not state.get("target"):
            return "realisasi_lalu"
        if state.get("capaian"):
            return "realisasi_renstra"
        return "realisasi"
    return None


def _phase(text: str) -> str | None:
    t = text.casefold()
    if "sebelum" in t:
        return "sebelum"
    if "setelah" in t or "sesudah" in t or "p-apbd" in t or "perubahan" in t:
        return "sesudah"
    return None


def assign_columns(stacks: list[list[str]], kind: str, body_samples: list[list[str]]) -> list[Column]:
    """Leaf columns with keys and types. ``stacks[i]`` are the header texts over column i, top
    first; ``body_samples[i]`` a few body texts of the column (to tell a value from a unit)."""
    state: dict = {}
    columns: list[Column] = []
    used: dict[str, int] = {}
    previous_group = None
    for i, stack in enumerate(stacks):
        label = " - ".join(stack)
        group, leaf = (stack[0] if stack else ""), (stack[-1] if len(stack) > 1 else "")
        suffix = _leaf_suffix(leaf) if leaf else None
        for text in stack:
            if "prakiraan maju" in text.casefold() or "maju" in text.casefold().split():
                state["maju"] = True
            phase = _phase(text) if kind in ("pemetaan_perubahan", "tujuan_sasaran") else None
            if phase:
                state["phase"] = phase
        # The deepest label that means something names the column; K/Rp leaves name the half.
        key = None
        for text in (reversed(stack) if suffix is None else [group] + stack[1:-1]):
            key = _base_key(text, kind, state)
            if key:
                break
        if key is None:
            key = f"col{i + 1}"
        elif key in ("renstra_target", "realisasi_lalu", "target", "realisasi", "capaian",
                     "capaian_renstra", "realisasi_renstra", "maju_target", "target_perubahan"):
            if suffix is None and stack and stack == stacks[i - 1] and _mostly_units(body_samples[i]):
                key = key + "_satuan"
            elif key == "target_perubahan":
                key = "target_k_perubahan"
            else:
                key = key + "_" + (suffix or "k")
        if key == previous_group and suffix is None and _mostly_units(body_samples[i]):
            key += "_satuan"
        previous_group = key
        if key in used:
            used[key] += 1
            key = f"{key}_{used[key]}"
        else:
            used[key] = 1
        columns.append(Column(key=key, label=label, type=column_type(key)))
    return columns


def _mostly_units(samples: list[str]) -> bool:
    filled = [s for s in samples if s.strip()]
    if not filled:
        return False
    return sum(not re.match(r"^[-(]?\d", s.strip()) for s in filled) * 2 > len(filled)


def column_type(key: str) -> str:
    base = re.sub(r"_\d+$", "", key)
    if base == "no":
        return "int"
    if base == "kode":
        return "code"
    if base.endswith("_satuan") or base == "satuan":
        return "unit"
    if base.startswith("capaian"):
        return "percent"
    if MONEY_KEYS.search(base):
        return "money"
    if base.startswith(("target", "realisasi", "renstra_target", "maju_target")):
        return "qty"
    return "text"
