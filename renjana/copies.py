"""Which documents of a dataset are copies of one plan.

One plan can be in an output folder more than once (printed by several producers, scanned and
born-digital, uploaded twice). Two documents are **copies** when they share region, dinas and
year AND their tables agree: the Jaccard similarity of their *row signatures* is at least
:data:`COPY_SIMILARITY`. A row signature is one printed number cell: (table kind, the row's kode,
the parsed value rounded to :data:`SIGNATURE_DECIMALS`). The column's key is left out on purpose:
it comes from reading the header, which producers print differently (a header read as another
key, or columns told apart by their printed numbers in one copy and not in another), while the
numbers in a row do not change from one copy to another. Only what is printed is
compared, never the document's arithmetic (no sums, no totals checked), so a copy with a few OCR
misreads is still a copy, while a plan and its revised version (other pagu, other programs) or two
different plans of one office and year are not.

A document whose dinas was not recognised (a copy that does not print its office, or prints it
where the reader did not find it) cannot be matched by office. It is a copy of another document
of the same region and year when their row signatures are **identical** (every table kind, every
number cell): without the office as evidence only the full content will do. Two inputs of one
PDF (one sha256) are always copies.

Groups are the connected components of the "is a copy of" relation; ``copies`` is the size of a
group and ``is_primary`` marks one document per group, the one with the smallest sha256 (neutral:
never by what the copies print). A document with no number cell to compare (no table read, e.g. a
scan that needs OCR), or whose year (or, without a dinas, region) was not recognised, is a group
of its own unless another input is the same PDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["COPY_SIMILARITY", "SIGNATURE_DECIMALS", "PlanCopy", "group_copies", "jaccard",
           "signature_of"]

# Two documents whose number cells agree on at least this share (Jaccard: shared / all distinct)
# are one plan. A copy differs only by misread cells (a few per hundred on a poor scan, see the
# OCR figures in the README); a revised plan changes its pagu and targets throughout, which
# leaves far fewer cells in common.
COPY_SIMILARITY = 0.8
# Values are compared rounded to this many decimals, so that "12,5" and "12,50" (printed with
# different precision by different producers) are one cell.
SIGNATURE_DECIMALS = 2
_QUANTUM = Decimal(1).scaleb(-SIGNATURE_DECIMALS)

Cell = tuple[str, str, Decimal]


@dataclass(frozen=True)
class PlanCopy:
    """A document's place among the copies of its plan: ``group`` (the id of the group's
    primary), ``copies`` (documents in the group, ≥ 1) and ``is_primary``."""

    document: str
    group: str
    copies: int
    is_primary: bool


def signature_of(kind: str, records: Iterable[Mapping[str, object]]) -> set[Cell]:
    """The row signatures of one document's records of one table kind.

    ``records``: the dataset's row records (dicts with ``kode``, ``parent_kode`` and the
    ``<key>__value`` columns, Decimal or None). A row without a kode is keyed by its parent's
    (an indicator under its program); a row with neither is left out."""
    cells: set[Cell] = set()
    for record in records:
        kode = record.get("kode") or record.get("parent_kode")
        if not kode:
            continue
        for name, value in record.items():
            if name.endswith("__value") and value is not None:
                number = Decimal(value).quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
                cells.add((kind, str(kode), number))
    return cells


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty (nothing shows they are one plan)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def group_copies(documents: Iterable[tuple[str, str, str | None, str | None, int | None]],
                 signatures: Mapping[str, set[Cell]],
                 threshold: float = COPY_SIMILARITY) -> dict[str, PlanCopy]:
    """Group documents into copies of one plan (see the module's docstring).

    ``documents``: (document id, sha256, region, dinas, year) per document, the id unique (two
    files with one sha256 are one PDF twice: always copies; without dinas, identical cells in one
    region and year make copies); ``signatures``: sha256 → its cells
    (missing: none). Returns document id → :class:`PlanCopy`; ``group`` is the primary's id and
    the primary is the member with the smallest (sha256, id)."""
    parent: dict[str, str] = {}
    sort_key: dict[str, tuple[str, str]] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            keep, drop = sorted((root_a, root_b), key=sort_key.__getitem__)
            parent[drop] = keep

    offices: dict[tuple, list[str]] = defaultdict(list)
    same_pdf: dict[str, list[str]] = defaultdict(list)
    # (region, year, the full signature) -> documents: identical content, for those without dinas
    same_content: dict[tuple, list[tuple[str, bool]]] = defaultdict(list)
    for doc_id, sha, region, dinas, year in documents:
        parent.setdefault(doc_id, doc_id)
        sort_key[doc_id] = (sha, doc_id)
        same_pdf[sha].append(doc_id)
        if dinas is not None and year is not None:
            offices[(region, dinas, year)].append(doc_id)
        cells = signatures.get(sha)
        if cells and region is not None and year is not None:
            same_content[(region, year, frozenset(cells))].append((doc_id, dinas is None))
    for members in same_pdf.values():
        for other in members[1:]:
            union(members[0], other)
    for members in same_content.values():  # a document without dinas: a copy by content alone
        for doc_id, no_dinas in members:
            if no_dinas:
                for other, _ in members:
                    union(doc_id, other)
    for members in offices.values():
        members = sorted(set(members), key=sort_key.__getitem__)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                sig_a = signatures.get(sort_key[a][0], set())
                sig_b = signatures.get(sort_key[b][0], set())
                if sig_a and sig_b and jaccard(sig_a, sig_b) >= threshold:
                    union(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for doc_id in parent:
        groups[find(doc_id)].append(doc_id)
    result = {}
    for members in groups.values():
        primary = min(members, key=sort_key.__getitem__)
        for doc_id in members:
            result[doc_id] = PlanCopy(doc_id, primary, len(members), doc_id == primary)
    return result
