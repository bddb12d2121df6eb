"""The official nomenclature of urusan › bidang › program › kegiatan › sub kegiatan codes.

Kepmendagri 050-3708/2020 (the 2020 edition; later decrees renamed items), shipped as
``renjana/data/nomenklatur_kepmendagri_050_3708_2020.csv`` and loaded once, lazily.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

CSV_NAME = "nomenklatur_kepmendagri_050_3708_2020.csv"
FOOTNOTE = re.compile(r"\s*\*+\)$")


@dataclass(frozen=True)
class Entry:
    kode: str
    level: str
    nama: str
    jenis_pemda: str


def normal_name(name: str) -> str:
    """Names compare case-insensitively, whitespace collapsed, footnote markers dropped."""
    return " ".join(FOOTNOTE.sub("", name).split()).casefold()


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    with resources.files("renjana").joinpath("data", CSV_NAME).open(encoding="utf-8") as fh:
        return tuple(Entry(r["kode"], r["level"], r["nama"], r["jenis_pemda"]) for r in csv.DictReader(fh))


@lru_cache(maxsize=1)
def by_code() -> dict[str, list[Entry]]:
    index: dict[str, list[Entry]] = {}
    for entry in entries():
        index.setdefault(entry.kode, []).append(entry)
    return index


@lru_cache(maxsize=1)
def levels_by_name() -> dict[str, set[str]]:
    """Normalised name → the levels that name has in the nomenclature."""
    index: dict[str, set[str]] = {}
    for entry in entries():
        index.setdefault(normal_name(entry.nama), set()).add(entry.level)
    return index


def lookup(kode: str) -> list[Entry]:
    """Entries for a document code: the exact code, else the penunjang program under X.XX."""
    found = by_code().get(kode)
    if found:
        return found
    parts = kode.split(".")
    if len(parts) >= 3 and parts[2] == "01":
        return by_code().get(".".join(["X", "XX"] + parts[2:]), [])
    return []


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """Every word of every official name, lower case: a lexicon for text repair."""
    out: set[str] = set()
    for entry in entries():
        out.update(w for w in re.findall(r"[a-z]+", entry.nama.casefold()) if len(w) > 1)
    return frozenset(out)
