"""Kode schemes: read a printed kode, and infer the document's code grammar from its own codes.

A kode is a run of segments (digits, or ``X`` placeholders as in ``X.XX.01``) split by a
separator: ``.`` normally, a stray ``,`` where the typist slipped (``307,01``), with or without
a trailing separator. A kode may also be printed across several adjacent cells (``1 | 01 | 01``);
:func:`join_kode_cells` reads those as one.

The grammar says which depth (number of segments) is which level. It is inferred per table from
the widths of the segments the table prints, then checked against the level words its names
open with (``URUSAN …`` / ``Program …``), so a scheme not foreseen here still gets its levels
from the document's own evidence:

- ``permendagri90``: Kepmendagri 050-3708 / Permendagri 90 (``2`` › ``2.17`` › ``2.17.01`` ›
  ``2.17.01.2.01`` › ``2.17.01.2.01.0001``): 1-character urusan, 2-digit bidang, 1-digit
  kegiatan prefix.
- ``permendagri13``: the 2006 scheme (``1`` › ``1.15`` › ``1.15.01`` › ``1.15.01.01``): as above
  but the fourth segment is the 2- or 3-digit kegiatan itself.
- ``local``: older local schemes fusing urusan and bidang into one segment (``307`` ›
  ``307.16`` › ``307.16.012``): urusan › program › kegiatan.
- ``account``: SIPD / LRA account codes (``5`` › ``5.1`` › ``5.1.02`` › … ›
  ``5.1.02.01.01.0024``): a 1-digit second segment. They carry no planning level; the kinds'
  convention (a group account is a ``section``, a leaf account ``other``) applies.
- ``generic``: any other scheme whose names carry level words: each depth takes the level its
  names say.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

SEGMENT = r"(?:\d+|[xX]+)"
SEPARATOR = r"[.,]"
KODE_RE = re.compile(rf"^{SEGMENT}(?:{SEPARATOR}{SEGMENT})*{SEPARATOR}?$")

HIERARCHY = ("urusan", "bidang", "program", "kegiatan", "sub_kegiatan")

# Depth → level of each known scheme.
SCHEME_LEVELS: dict[str, dict[int, str]] = {
    "permendagri90": {1: "urusan", 2: "bidang", 3: "program", 4: "kegiatan", 5: "kegiatan",
                      6: "sub_kegiatan"},
    "permendagri13": {1: "urusan", 2: "bidang", 3: "program", 4: "kegiatan", 5: "sub_kegiatan"},
    "local": {1: "urusan", 2: "program", 3: "kegiatan", 4: "sub_kegiatan"},
    "account": {},
    "generic": {},  # a scheme not foreseen: every depth's level comes from its names' level words
}

# A segment position's width is the most common width printed there, so one odd code (a
# sub kegiatan not zero-padded, ``2.17.1.2.02``) does not change the table's grammar.
# Level words must agree on at least this share of the named rows of a depth to override the
# scheme's level for that depth (a document whose own names say "Program" at depth 2).
WORD_OVERRIDE_SHARE = 0.6
# … and be printed by at least this many rows of that depth.
WORD_OVERRIDE_MIN_ROWS = 2


@dataclass(frozen=True)
class Kode:
    """A printed kode: ``printed`` is the text with spaces removed (as the document printed it,
    trailing dot included); ``segments`` its parts, left to right."""

    printed: str
    segments: tuple[str, ...]

    @property
    def depth(self) -> int:
        return len(self.segments)

    def is_prefix_of(self, other: "Kode") -> bool:
        """True when ``other`` lies under this kode (``5.1`` is a prefix of ``5.1.02``)."""
        return other.depth > self.depth and other.segments[:self.depth] == self.segments


def parse_kode(text: str) -> Kode | None:
    """The kode printed in ``text``, or None when the text is not a kode.

    Spaces are ignored (a kode broken over lines), a trailing separator kept in ``printed``.
    A kode needs at least one digit: ``X`` alone is not one.
    """
    t = "".join(text.split())
    if not t or not KODE_RE.match(t) or not any(ch.isdigit() for ch in t):
        return None
    return Kode(printed=t, segments=tuple(re.split(SEPARATOR, t.rstrip(".,"))))


LEADING_KODE = re.compile(rf"^\s*({SEGMENT}(?:\s*{SEPARATOR}\s*{SEGMENT})+{SEPARATOR}?)\s+(?=[A-Za-z\[(])")


def leading_kode(text: str) -> tuple[Kode, str] | None:
    """A kode opening a label cell (``1.03 URUSAN …``, a section row merged over Kode and Uraian)
    and the name after it. Only codes of two or more segments count: a lone number opening a
    label is a row number or a quantity."""
    m = LEADING_KODE.match(text)
    if not m:
        return None
    kode = parse_kode(m.group(1))
    return (kode, text[m.end():].strip()) if kode else None


def join_kode_cells(parts: list[str]) -> Kode | None:
    """One kode from the cells of adjacent kode columns (``["1", "01", "01"]`` → ``1.01.01``).

    Empty cells are skipped (a program row leaves its kegiatan cells empty); every non-empty
    cell must be a kode, or there is none.
    """
    filled = [p for p in parts if p.strip()]
    if len(filled) <= 1:
        return parse_kode(filled[0]) if filled else None
    kodes = [parse_kode(p) for p in filled]
    if any(k is None for k in kodes):
        return None
    printed = ".".join(k.printed.rstrip(".,") for k in kodes)
    return Kode(printed=printed, segments=tuple(s for k in kodes for s in k.segments))


@dataclass
class CodeGrammar:
    """A table's code grammar: its scheme, the usual width of each segment position and the
    level of each depth. ``evidence`` says, per depth, what decided its level."""

    scheme: str
    widths: tuple[int, ...]
    levels: dict[int, str]
    evidence: dict[int, str] = field(default_factory=dict)

    def level(self, kode: Kode) -> str | None:
        """The level of ``kode`` by its depth, or None when the grammar has no level for it."""
        return self.levels.get(kode.depth)


def _widths(kodes: list[Kode]) -> tuple[int, ...]:
    depth = max((k.depth for k in kodes), default=0)
    widths = []
    for pos in range(depth):
        counts = Counter(len(k.segments[pos]) for k in kodes if k.depth > pos)
        widths.append(counts.most_common(1)[0][0])
    return tuple(widths)


def scheme_of(widths: tuple[int, ...]) -> str:
    """The scheme whose segment widths these are (see the module docstring)."""
    if not widths:
        return "permendagri90"
    if widths[0] >= 3:
        return "local"
    if len(widths) >= 2 and widths[1] == 1:
        return "account"
    if len(widths) >= 4 and widths[3] >= 2:
        return "permendagri13"
    return "permendagri90"


def infer_grammar(kodes: list[Kode], named: list[tuple[int, str]], account: bool = False) -> CodeGrammar:
    """The grammar of a table from its codes and the level words of their names.

    ``kodes``: every kode the table prints. ``named``: (depth, level word) of each coded row
    whose name opens with a hierarchy level word. ``account``: the table's kind says it lists
    accounts (rincian belanja, LRA). A depth whose names agree on a level word
    (:data:`WORD_OVERRIDE_SHARE`) takes that level over the scheme's guess.
    """
    widths = _widths(kodes)
    scheme = "account" if account else scheme_of(widths)
    if scheme == "account" and not account and len(named) >= WORD_OVERRIDE_MIN_ROWS:
        scheme = "generic"  # account-like widths, but the names say planning levels
    levels = dict(SCHEME_LEVELS[scheme])
    evidence = {d: f"code:{scheme}" for d in levels}
    if scheme != "account":
        by_depth: dict[int, Counter] = {}
        for depth, word in named:
            by_depth.setdefault(depth, Counter())[word] += 1
        for depth, counts in by_depth.items():
            word, n = counts.most_common(1)[0]
            if n >= WORD_OVERRIDE_MIN_ROWS and n >= WORD_OVERRIDE_SHARE * sum(counts.values()) \
                    and levels.get(depth) != word:
                levels[depth] = word
                evidence[depth] = "code+words"
    return CodeGrammar(scheme=scheme, widths=widths, levels=levels, evidence=evidence)
