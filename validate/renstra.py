"""Renstra / RPJMD forms (T-C.27 style): the end-of-period money is the sum of the period's years.

Source: Permendagri 86/2017, Renstra table "Rencana Program, Kegiatan dan Pendanaan": the
"Kondisi Kinerja pada Akhir Periode Renstra" Rp column is the total of the yearly Rp targets.
Sums inside each agency block (JUMLAH <OPD>, TOTAL) are checked by ``parent_sum``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from renjana.models import Finding, Relation

from .arithmetic import check_row_sum
from .declared import covers, rule_applies
from .registry import PROGRAM_KINDS, TableView, rule

# A yearly money column of a Renstra form: target_2021_rp … target_2026_rp.
_YEAR_RP = re.compile(r"^target_(\d{4})_rp$")
# At least this many yearly columns make a period (one year alone is not a Renstra period).
MIN_YEARS = 2


def year_columns(view: TableView) -> list[str]:
    """The readable yearly Rp target columns, left to right."""
    return [k for k in view.keys() if _YEAR_RP.match(k)]


@rule("kondisi_akhir_rp", kinds=PROGRAM_KINDS, reads=["kondisi_akhir_rp", "target_*_rp"])
def kondisi_akhir_rp(view: TableView) -> Iterator[Finding]:
    """kondisi_akhir_rp = Σ target_<year>_rp of the period (at least two year columns; a blank
    year is not a zero: the row is then not checked). Source: Permendagri 86/2017, Renstra
    T-C.27."""
    years = year_columns(view)
    if len(years) < MIN_YEARS:
        return
    yield from check_row_sum(view, "kondisi_akhir_rp", "kondisi_akhir_rp",
                             [(1, k) for k in years])


@covers
def _covers(view: TableView, rel: Relation) -> bool:
    return (rel.kind == "sum" and rel.column == "kondisi_akhir_rp" and not rel.minus
            and set(rel.plus) == set(year_columns(view)) and len(rel.plus) >= MIN_YEARS
            and rule_applies("kondisi_akhir_rp", view))
