"""The rule registry and the read-only view of a table that rules work on.

A rule is a small function registered with ``@rule(id, kinds=..., reads=[...], category=...)``.
It receives a :class:`TableView` (or, for ``scope="document"``, the list of all views) and yields
:class:`~renjana.models.Finding`s. The registry skips a rule for a table whose kind it does not
declare or that lacks the columns it reads. Rules never change a value: the view hands out the
normalized ``ParsedValue``s and the printed cell text, nothing is written back.
"""

from __future__ import annotations

import fnmatch

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from renjana.models import BBox, CellSource, DocumentMeta, Finding, ParsedValue, Row, Table

ALL_KINDS: tuple[str, ...] = (
    "evaluasi_renja", "rencana_program", "pemetaan_perubahan", "analisa_kebutuhan",
    "tujuan_sasaran", "other",
)
# Tables that print programs, kegiatan and sub kegiatan with money (not tujuan_sasaran).
PROGRAM_KINDS: tuple[str, ...] = (
    "evaluasi_renja", "rencana_program", "pemetaan_perubahan", "analisa_kebutuhan", "other",
)
CATEGORIES = ("arithmetic", "structure", "nomenclature", "cross_table")

# A CellSource below this confidence makes its relations unverifiable (warning, never error).
MIN_CONFIDENCE = 0.9
# An OCR'd cell (source "ocr") below this confidence is a possible misread: a failed relation that
# reads it is a warning naming what was read. The engine's confidence of a clean print is 0.95+;
# the OCR path itself lowers a cell it doubts below this: a number repaired by the grammar
# (0.8), a mark no reading covered (0.6), two readers that disagree (0.5).
MIN_OCR_CONFIDENCE = 0.9
# A row level decided with less confidence than this (normalize's Row.level_confidence: 0.6 when
# the code and the level words disagree, 0.5 for typography or "values without a label") is a
# guess: a relation that relies on it is reported as a warning. Row order (0.7), a nomenclature
# match (0.8), one clear piece of evidence (0.9) and agreeing evidence (1.0) are taken as proof.
MIN_LEVEL_CONFIDENCE = 0.7
# A body row that repeats the column-number row (1 2 3 … 9) in at least this share of its
# numbered cells is a repeated header line, even when one cell was misread ('TAH5UN' for 5).
NOISE_NUMBER_SHARE = 0.8
# … and one that repeats the header's own words in at least this share of its filled cells.
NOISE_HEADER_SHARE = 0.8

RANK = {"urusan": 0, "bidang": 1, "program": 2, "kegiatan": 3, "sub_kegiatan": 4}


@dataclass(frozen=True)
class Rule:
    id: str
    fn: Callable
    kinds: tuple[str, ...]
    reads: tuple[str, ...]
    any_of: bool
    category: str
    scope: str  # "table" or "document"
    doc: str = ""

    def applies_to(self, view: "TableView") -> bool:
        if view.table.kind not in self.kinds:
            return False
        if not self.reads:
            return True
        present = [view.has_like(key) for key in self.reads]
        return any(present) if self.any_of else all(present)


RULES: list[Rule] = []


def rule(rule_id: str, *, kinds: Iterable[str] = ALL_KINDS, reads: Iterable[str] = (),
         any_of: bool = False, category: str = "arithmetic", scope: str = "table",
         doc: str = "") -> Callable:
    """Register ``fn`` as rule ``rule_id``. ``reads``: the column keys it needs (all of them, or
    at least one with ``any_of=True``); the rule is skipped for a table without them."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    if scope not in ("table", "document"):
        raise ValueError(f"unknown scope {scope!r}")

    def register(fn: Callable) -> Callable:
        if any(r.id == rule_id for r in RULES):
            raise ValueError(f"rule {rule_id!r} registered twice")
        text = doc or (fn.__doc__ or "").strip().split("\n\n")[0]
        RULES.append(Rule(rule_id, fn, tuple(kinds), tuple(reads), any_of, category, scope,
                          " ".join(text.split())))
        return fn

    return register


def describe_rules() -> list[dict]:
    """The registry as plain data (for docs): id, kinds, reads, category, scope, doc."""
    return [{"id": r.id, "kinds": list(r.kinds), "reads": list(r.reads),
             "reads_any": r.any_of, "category": r.category, "scope": r.scope, "doc": r.doc}
            for r in RULES]


def rules_markdown() -> str:
    """The registry as a Markdown table."""
    lines = ["| rule | category | reads | kinds | what it checks |", "|---|---|---|---|---|"]
    for r in RULES:
        missing = [k for k in ALL_KINDS if k not in r.kinds]
        kinds = "all" if not missing else \
            f"all but {', '.join(missing)}" if len(missing) <= 2 else ", ".join(r.kinds)
        reads = (" or " if r.any_of else ", ").join(f"`{k}`" for k in r.reads) or "–"
        lines.append(f"| `{r.id}` | {r.category} | {reads} | {kinds} | {r.doc} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- table view
_QUARTER_RE = re.compile(r"^realisasi_tw([1-4])_(k|rp)$")
_CODE_RE = re.compile(r"^[0-9X]+(\.[0-9X]+)*\.?$", re.IGNORECASE)
_LEVEL_BY_SEGMENTS = {1: "urusan", 2: "bidang", 3: "program", 5: "kegiatan", 6: "sub_kegiatan"}


def _cell_reason(text: str) -> ParsedValue:
    """What an unparsed cell stands for when normalize left no ParsedValue for it."""
    t = text.strip()
    if not t:
        return ParsedValue(reason="empty")
    if set(t) <= {"#"}:
        return ParsedValue(reason="lost")
    if t in ("-", "–", "—"):
        return ParsedValue(reason="nil")
    return ParsedValue(reason="unparsed")


@dataclass
class Tree:
    """Parent/child structure of a table's rows (program > kegiatan > sub kegiatan …).

    ``parent`` is taken from ``Row.parent`` when normalize set it, otherwise rebuilt from row
    order and levels. Indicator rows are attached to their *anchor* (the nearest program /
    kegiatan / sub kegiatan row above them); they count as extra lines of that row.
    """

    rows: list[Row]
    parent: list[int | None] = field(default_factory=list)
    anchor: list[int | None] = field(default_factory=list)
    kids: dict[int, list[int]] = field(default_factory=dict)
    indicators: dict[int, list[int]] = field(default_factory=dict)
    _descendants: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _leaves: dict[int, list[int]] = field(default_factory=dict, repr=False)

    levels: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, rows: list[Row], levels: list[str] | None = None) -> "Tree":
        """``levels``: the level of each row (default ``Row.level``)."""
        tree = cls(rows)
        n = len(rows)
        tree.levels = levels = list(levels) if levels is not None else [r.level for r in rows]
        tree.parent = [None] * n
        tree.anchor = [None] * n
        stack: list[int] = []
        for i, row in enumerate(rows):
            rank = RANK.get(levels[i])
            if rank is not None:
                while stack and RANK[levels[stack[-1]]] >= rank:
                    stack.pop()
                given = row.parent
                if given is not None and 0 <= given < i and RANK.get(levels[given], 99) < rank:
                    tree.parent[i] = given
                else:
                    tree.parent[i] = stack[-1] if stack else None
                stack.append(i)
            elif levels[i] == "indicator":
                tree.anchor[i] = tree._find_anchor(i)
                tree.parent[i] = tree.anchor[i]
        for i, p in enumerate(tree.parent):
            if p is None:
                continue
            if levels[i] == "indicator":
                tree.indicators.setdefault(p, []).append(i)
            else:
                tree.kids.setdefault(p, []).append(i)
        return tree

    def _find_anchor(self, i: int) -> int | None:
        given = self.rows[i].parent
        seen = set()
        j = given if given is not None and 0 <= given < i else i - 1
        while j is not None and 0 <= j and j not in seen:
            seen.add(j)
            level = self.levels[j]
            if level in RANK:
                return j
            if level != "indicator":
                return None
            j = self.anchor[j] if self.anchor[j] is not None else j - 1
        return None

    def children(self, p: int) -> list[int]:
        return self.kids.get(p, [])

    def with_indicators(self, i: int) -> list[int]:
        return [i, *self.indicators.get(i, [])]

    def money_children(self, p: int) -> list[int]:
        """Direct children with their indicator lines (they add into ``p``)."""
        out: list[int] = []
        for c in self.children(p):
            out.extend(self.with_indicators(c))
        return out

    def descendants(self, p: int) -> list[int]:
        if p not in self._descendants:
            out: list[int] = []
            for c in self.children(p):
                out.append(c)
                out.extend(self.descendants(c))
            self._descendants[p] = sorted(out)
        return self._descendants[p]

    def leaves(self, p: int) -> list[int]:
        """The lowest rows under ``p`` (no children of their own) with their indicator lines."""
        if p not in self._leaves:
            out: list[int] = []
            for d in self.descendants(p):
                if not self.children(d):
                    out.extend(self.with_indicators(d))
            self._leaves[p] = sorted(out)
        return self._leaves[p]

    def ancestors(self, i: int) -> list[int]:
        out = []
        p = self.parent[i]
        while p is not None and p not in out:
            out.append(p)
            p = self.parent[p]
        return out


class TableView:
    """Read-only access to one table: values by column key, printed text, sources, tree."""

    def __init__(self, table: Table, document: DocumentMeta | None = None):
        self.table = table
        self.document = document  # the document's metadata (its year), when validate has it
        self.rows = table.rows
        self._index: dict[str, int] = {}
        # Keys two columns would have shared (normalize numbered them) are not read: which
        # column is meant is unknown.
        collided = set(table.key_collisions)
        for i, column in enumerate(table.columns):
            if column.key not in collided:
                self._index.setdefault(column.key, i)
        self.aliases: dict[str, str] = {}
        self._add_aliases()
        # Rows that are not table body: a repeated column-number line that leaked in.
        header_words = {" ".join(h.text.split()).casefold() for line in table.header for h in line
                        if h.text.strip()}
        self.noise = {r for r in range(len(self.rows))
                      if self._is_column_numbers(r) or self._repeats_header(r, header_words)}
        self.levels = [self._effective_level(r) for r in range(len(self.rows))]
        # Rows whose level validate guessed from a bare code (normalize left them ``other``).
        self.guessed = {r for r in range(len(self.rows))
                        if self.levels[r] != self.rows[r].level and r not in self.noise}
        # The second halves of rows cut by a page break (see ``_cut_by_page_break``) are no
        # hierarchy rows: they take no place in the tree; both halves' cells are in doubt.
        self.cut_rows: set[int] = set()
        for prev, r in self._cut_by_page_break():
            self.levels[r] = "other"
            self.cut_rows |= {prev, r}
        self.tree = Tree.build(table.rows, self.levels)

    def _add_aliases(self) -> None:
        # "Realisasi s/d Triwulan II" alone: when a table prints no realisasi_{k,rp} column but
        # exactly one quarter column, that column is this year's realisation so far.
        for kind in ("k", "rp"):
            key = f"realisasi_{kind}"
            if key in self._index:
                continue
            quarters = [k for k in self._index if (m := _QUARTER_RE.match(k)) and m[2] == kind]
            if len(quarters) == 1:
                self.aliases[key] = quarters[0]

    def _effective_level(self, r: int) -> str:
        """``Row.level``, except that an ``other`` row printing a well-formed code of a
        hierarchy length is taken for that level (a sub kegiatan normalize could not place)."""
        row = self.rows[r]
        if r in self.noise:
            return "other"  # a repeated header line (1 2 3 … 12 = 8+9+10+11) that leaked in
        if row.level != "other":
            return row.level
        if (row.level_source or "").startswith("account:"):
            return row.level  # an account line of an account table: it has no planning level
        text = (self.text(r, "kode") if "kode" in self._index else "") or row.kode or ""
        text = "".join(text.split())
        if not _CODE_RE.match(text):
            return row.level
        return _LEVEL_BY_SEGMENTS.get(len(text.rstrip(".").split(".")), row.level)

    def _is_column_numbers(self, r: int) -> bool:
        numbers = self.table.column_numbers
        cells = self.rows[r].cells
        pairs = [(n.strip(), cells[i].strip()) for i, n in enumerate(numbers)
                 if n.strip() and i < len(cells)]
        same = sum(1 for n, c in pairs if n == c)
        return len(pairs) >= 3 and same >= NOISE_NUMBER_SHARE * len(pairs)

    def _repeats_header(self, r: int, header_words: set[str]) -> bool:
        """A header line repeated on a later page that stayed in the body."""
        filled = [" ".join(c.split()).casefold() for c in self.rows[r].cells if c.strip()]
        if len(filled) < 3 or not header_words:
            return False
        return sum(1 for c in filled if c in header_words) >= NOISE_HEADER_SHARE * len(filled)

    # -- columns
    def key(self, key: str) -> str:
        return self.aliases.get(key, key)

    def has(self, key: str) -> bool:
        return self.aliases.get(key, key) in self._index

    def has_like(self, pattern: str) -> bool:
        """``has`` for a key or a shell-style pattern (``target_*_rp``)."""
        if "*" not in pattern:
            return self.has(pattern)
        return any(fnmatch.fnmatchcase(k, pattern) for k in self._index)

    def col(self, key: str) -> int | None:
        return self._index.get(self.aliases.get(key, key))

    def keys(self) -> list[str]:
        return list(self._index)

    # -- cells
    def text(self, r: int, key: str) -> str:
        c = self.col(key)
        cells = self.rows[r].cells
        if c is None or c >= len(cells):
            return ""
        return cells[c] or ""

    def value(self, r: int, key: str) -> ParsedValue | None:
        """The ParsedValue of a cell; None when the table has no such column."""
        k = self.aliases.get(key, key)  # (rules ask for values by the thousand: self.key and self.has inlined)
        if k not in self._index:
            return None
        v = self.rows[r].values.get(k)
        if v is not None:
            return v
        return _cell_reason(self.text(r, key))

    def source(self, r: int, key: str) -> CellSource | None:
        c = self.col(key)
        sources = self.rows[r].sources
        if c is None or c >= len(sources):
            return None
        return sources[c]

    def confident(self, r: int, key: str) -> bool:
        """False when the cell's value was lost ('###') or its repair is unsure."""
        v = self.value(r, key)
        if v is not None and v.reason == "lost":
            return False
        s = self.source(r, key)
        return s is None or (s.confidence >= MIN_CONFIDENCE and self.misread(r, key) is None)

    def misread(self, r: int, key: str) -> str | None:
        """Why an OCR'd cell may be misread, naming what was read (None for a cell not read by
        OCR, or read surely): its confidence is under :data:`MIN_OCR_CONFIDENCE`, or a second
        reader read it otherwise (``alternatives``)."""
        s = self.source(r, key)
        if s is None or s.source != "ocr" or (s.confidence >= MIN_OCR_CONFIDENCE and not s.alternatives):
            return None
        read = [f"'{' '.join(self.text(r, key).split())}'"] + [f"'{a}'" for a in s.alternatives or []]
        why = f"; {s.repair}" if s.repair else ""
        return f"{self.key(key)} possible misread (OCR confidence {s.confidence:.2f}; read {' or '.join(read)}{why})"

    def lost(self, r: int, key: str) -> bool:
        v = self.value(r, key)
        return v is not None and v.reason == "lost"

    def level(self, r: int) -> str:
        return self.levels[r]

    # -- how sure the structure is (severity from proof)
    def level_doubt(self, r: int) -> str | None:
        """Why row ``r``'s level is not proved (None when it is): validate guessed it from a bare
        code, normalize decided it with low confidence, or the row is a fragment of a row cut by
        a page break."""
        row = self.rows[r]
        if r in self.guessed:
            return f"row {r}'s level ({self.levels[r].replace('_', ' ')}) is guessed from its code"
        if row.level_confidence < MIN_LEVEL_CONFIDENCE:
            how = f" ({row.level_source})" if row.level_source else ""
            return f"row {r}'s level ({row.level.replace('_', ' ')}) is uncertain{how}"
        if r in self.cut_rows:
            return f"row {r} may be a row cut by a page break"
        return None

    def structure_doubts(self, rows: Iterable[int]) -> list[str]:
        """The level doubts of ``rows`` (each once, in row order)."""
        out: list[str] = []
        for r in sorted(set(rows)):
            d = self.level_doubt(r)
            if d and d not in out:
                out.append(d)
        return out

    def _cut_by_page_break(self) -> list[tuple[int, int]]:
        """(last body row of a page, first body row of the next) for rows that may be the two
        halves of one row split by a page break whose repeated header stayed in the body: the
        first body row of a page that has a hierarchy level but prints no name (its uraian is
        empty) while other cells hold text."""
        out: list[tuple[int, int]] = []
        if not self.has("uraian"):
            return out
        body = [r for r in range(len(self.rows)) if r not in self.noise]
        for prev, r in zip(body, body[1:]):
            if self.rows[r].page <= self.rows[prev].page or self.text(r, "uraian").strip():
                continue
            if self.levels[r] in RANK and any(c.strip() for c in self.rows[r].cells):
                out.append((prev, r))
        return out

    # -- findings
    def finding(self, rule_id: str, severity: str, r: int | None, key: str | None, message: str,
                printed: str | None = None, expected: str | None = None) -> Finding:
        page: int | None = None
        bbox: BBox | None = None
        column = self.key(key) if key is not None else None
        if r is not None:
            row = self.rows[r]
            page = row.page
            if key is not None:
                src = self.source(r, key)
                if src is not None and src.bbox is not None:
                    bbox = src.bbox
                    page = src.page
                if printed is None:
                    printed = self.text(r, key).strip() or None
        return Finding(rule=rule_id, severity=severity, table=self.table.id, row=r,
                       column=column, message=message, printed=printed, expected=expected,
                       page=page, bbox=bbox)
