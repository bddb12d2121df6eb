"""Rows of a table body that draws no rule between its rows: read from the text.

A body printed without row rules (rules around the header and under the last row only, shading,
or no rules at all) still tells its rows through its text:

- **gap**: cells wrap their text at the line pitch; a new row starts one cell padding lower, so
  the gap between two rows is larger than the pitch of a wrapped line;
- **anchor**: a line that opens a new code (kode, no) in the table's first code column starts a
  row, unless the code before it is visibly cut (ends in ``.``, ``-``, ``/``);
- **full number**: a cell holds one number; a line bringing a whole number to a column whose cell
  already ends in a whole number starts a row (a number cut by a narrow column leaves pieces
  that are not whole numbers on their own, ``20.928.647.`` / ``705,00``).

Each boundary records which evidence decided it; wrapped lines stay in their row.
Units: PDF points, origin top-left. The tolerances (``max_wrap_pitch``, ``row_gap_ratio``,
``min_wrap_pitch``, ``code_share``) are fields of :class:`.settings.ExtractSettings`; the
patterns that say what a code or a whole number looks like stay here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from renjana.models import TextLine

from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

__getattr__ = legacy_constants(__name__, {
    "MAX_WRAP_PITCH": "max_wrap_pitch", "ROW_GAP_RATIO": "row_gap_ratio", "MIN_WRAP_PITCH": "min_wrap_pitch",
    "CODE_SHARE": "code_share",
})

# A code column: most of its texts (``settings.code_share``) look like a kode or a row number.
CODE_TEXT = re.compile(r"^\d+([.,]\d+)*\.?$|^[A-Z]{1,2}(\.\d+)*\.?$|^[IVX]+\.?$")
# A code visibly cut at the end of its line.
CUT_CODE = re.compile(r"[.\-/,]$")
# A whole number on its own: Indonesian grouping, optional decimals, sign, parentheses, percent.
# A piece of a cut number (``000,00``, ``.840,00``, ``20.928.647.``) does not match.
ONE_DECIMAL = re.compile(r",\d\)?\s?%?$")
WHOLE_NUMBER = re.compile(r"^\(?[-–]?(0|[1-9]\d{0,2}(\.\d{3})*|[1-9]\d*)(,\d+)?\)?\s?%?$")


@dataclass
class RowSplit:
    """The body's rows: the lines of each row, and what decided each boundary."""

    rows: list[list[TextLine]]
    evidence: list[str]  # one per boundary: "gap", "anchor", "number"


def column_texts(line: TextLine, col_edges: list[float]) -> dict[int, str]:
    """The text of ``line`` in each column (by glyph centre), stripped; empty columns left out."""
    parts: dict[int, list[str]] = {}
    # Edges in order (as a table's are): a glyph's column found by bisection, not by a scan.
    column_of = _sorted_column_of if all(a <= b for a, b in zip(col_edges, col_edges[1:])) else _column_of
    for ch, (x0, x1) in zip(line.text, line.glyph_x):
        centre = (x0 + x1) / 2
        col = column_of(centre, col_edges)
        if col is not None:
            parts.setdefault(col, []).append(ch)
    return {c: "".join(chars).strip() for c, chars in parts.items() if "".join(chars).strip()}


def _column_of(x: float, edges: list[float]) -> int | None:
    """The first column ``i`` with ``edges[i] <= x < edges[i + 1]``, None when there is none."""
    for i in range(len(edges) - 1):
        if edges[i] <= x < edges[i + 1]:
            return i
    return None


def _sorted_column_of(x: float, edges: list[float]) -> int | None:
    """:func:`_column_of` for ``edges`` in ascending order: the last edge at or left of ``x``
    starts its column, when an edge right of ``x`` ends it."""
    i = bisect_right(edges, x) - 1
    return i if 0 <= i < len(edges) - 1 and x < edges[i + 1] else None


def wrap_pitch(lines: list[TextLine], settings: ExtractSettings = DEFAULT_SETTINGS) -> float | None:
    """The pitch of a wrapped line in this body (points): a pitch between
    ``settings.min_wrap_pitch`` and ``settings.max_wrap_pitch`` em; None when no line looks
    wrapped."""
    tops = sorted(line.bbox.top for line in lines)
    size = max((line.font_size for line in lines), default=7.0)
    low, high = settings.min_wrap_pitch * size, settings.max_wrap_pitch * size
    diffs = sorted(b - a for a, b in zip(tops, tops[1:]) if low <= b - a <= high)
    if not diffs:
        return None
    return diffs[len(diffs) // 4]


def code_columns(lines: list[TextLine], col_edges: list[float], limit: int = 2,
                 settings: ExtractSettings = DEFAULT_SETTINGS) -> list[int]:
    """The first columns (at most ``limit``) whose texts are mostly (``settings.code_share``)
    codes or row numbers."""
    texts: dict[int, list[str]] = {}
    for line in lines:
        for col, text in column_texts(line, col_edges).items():
            texts.setdefault(col, []).append(text)
    found = []
    for col in sorted(texts):
        values = texts[col]
        if sum(bool(CODE_TEXT.match(t)) for t in values) >= settings.code_share * len(values):
            found.append(col)
            if len(found) == limit:
                break
        elif found or len(values) >= 2:
            break  # the code columns come first; a text column ends the search
    return found


def split_rows(lines: list[TextLine], col_edges: list[float], pitch: float | None = None,
               gap_only: bool = False, settings: ExtractSettings = DEFAULT_SETTINGS) -> RowSplit:
    """Group a body's text lines (top to bottom) into rows.

    ``col_edges`` are the table's column boundaries (points, left to right). Lines are the
    band's printed lines across the whole width (see ``group_lines``). ``pitch`` is the wrap
    pitch of the whole table (``wrap_pitch`` over all its body lines; estimated from ``lines``
    when None). ``gap_only``: a body whose rows are ruled is split only where a gap proves a
    missing rule, never by content. ``settings``: ``max_wrap_pitch``, ``row_gap_ratio``,
    ``min_wrap_pitch``, ``code_share``.
    """
    lines = sorted(lines, key=lambda ln: ln.bbox.top)
    if not lines:
        return RowSplit(rows=[], evidence=[])
    pitch = pitch if pitch is not None else wrap_pitch(lines, settings)
    anchors = [] if gap_only else code_columns(lines, col_edges, settings=settings)
    rows: list[list[TextLine]] = [[lines[0]]]
    evidence: list[str] = []
    current = dict(column_texts(lines[0], col_edges))
    for prev, line in zip(lines, lines[1:]):
        texts = column_texts(line, col_edges)
        reason = _boundary(line.bbox.top - prev.bbox.top, pitch, max(prev.font_size, line.font_size), texts,
                           current, anchors, not gap_only, settings)
        if reason:
            rows.append([line])
            evidence.append(reason)
            current = dict(texts)
        else:
            rows[-1].append(line)
            for col, text in texts.items():
                current[col] = text  # the last line printed in each column of the row
    return RowSplit(rows=rows, evidence=evidence)


def _boundary(pitch_here: float, pitch: float | None, size: float, texts: dict[int, str],
              current: dict[int, str], anchors: list[int], by_content: bool,
              settings: ExtractSettings) -> str | None:
    if pitch is None:
        # No line of this body wraps: only a pitch no wrap could have is a gap.
        if pitch_here > settings.max_wrap_pitch * size:
            return "gap"
    elif pitch_here > pitch * settings.row_gap_ratio:
        return "gap"
    if not by_content:
        return None
    for col in anchors:
        if col in texts and current.get(col) and not CUT_CODE.search(current[col]):
            return "anchor"
    for col, text in texts.items():
        if _opens_number(text) and _whole_number(current.get(col, "")):
            return "number"
    return None


def _whole_number(text: str) -> bool:
    """A whole number that a cut could not have left: not ending in one decimal digit (``1,0``
    may be ``1,00`` cut after its first decimal)."""
    return bool(WHOLE_NUMBER.match(text)) and not ONE_DECIMAL.search(text)


def _opens_number(text: str) -> bool:
    """A whole number that is not a cut's tail: more than one digit, or grouped or decimal."""
    return bool(WHOLE_NUMBER.match(text)) and (len(re.sub(r"\D", "", text)) > 1 or "," in text)


def row_boundaries(rows: list[list[TextLine]]) -> list[float]:
    """The y between each pair of consecutive rows: halfway across the gap between their ink."""
    out = []
    for above, below in zip(rows, rows[1:]):
        bottom = max(line.bbox.bottom for line in above)
        top = min(line.bbox.top for line in below)
        out.append((bottom + top) / 2)
    return out
