"""Group PDF characters into printed text lines, keeping each glyph's horizontal extent.

Three things make a printed line more than "chars with the same top":

* super- and subscripts (``m²``, a footnote marker ``*)``) are smaller glyphs set above or
  below the baseline; they belong to the line they touch, at their x position;
* letter-spaced (expanded) text has a uniform gap between all its letters, so the word gap is
  decided per run of glyphs from that run's own letter gap, not from the font size alone;
* a number whose glyphs touch is one number even when a stray space glyph sits between them.
"""

from __future__ import annotations

from functools import lru_cache

import statistics
from collections.abc import Iterable

from renjana.models import BBox, TextLine

# Two characters belong to one line when their tops differ by less than this share of the
# font size (sub-pixel baseline jitter, mixed fonts on one line).
SAME_LINE_TOLERANCE = 0.45
# A gap wider than this share of the font size between two glyphs is a word space, when the
# producer did not print a space glyph there (ReportLab justified text, some converters).
# In letter-spaced text the gap is measured above the run's own letter gap.
WORD_GAP_RATIO = 0.17

# --- super- and subscripts
# A glyph is a script of a line when its size is at most this share of the line's size
# (typical superscripts are 58-70 % of the body size; mixed body fonts differ far less).
SCRIPT_SIZE_RATIO = 0.85
# At most this many glyphs in a row form one script run (`²`, `*)`, `th`, `12)`); a longer run
# of small text is a line of its own.
MAX_SCRIPT_GLYPHS = 4
# The script's vertical extent overlaps the line's by at least this share of its own height
# (a raised or lowered glyph still overlaps its line; a small line above or below does not).
SCRIPT_MIN_OVERLAP = 0.25
# The script starts at most this share of the line's font size after (or ends before) a glyph
# of the line: it is printed right next to it.
SCRIPT_MAX_GAP = 0.35
# Glyph boxes may overlap this much (points) and still be side by side (kerning, rounding).
TOUCH_TOLERANCE = 0.3
# A small glyph is raised when its middle is above the middle of the line's body glyphs by
# more than this share of the body size (a small glyph on the baseline sits lower, not higher).
RAISED_MIN_SHIFT = 0.1
# A raised digit 2 / 3 right after a letter is a power of a unit (m², cm³), read as printed.
SUPERSCRIPT_POWERS = {"2": "\u00b2", "3": "\u00b3"}

# --- letter spacing
# Consecutive glyphs with a gap up to this share of the font size may be one letter-spaced
# word; a wider gap always separates words (or cells).
LETTER_SPACE_MAX = 0.6
# A run is letter-spaced when its typical gap between letters is at least this share of the
# font size (ordinary text: about 0; ReportLab `setCharSpace(1)` at 7 pt: 0.14).
LETTER_SPACED_MIN = 0.1
# ... and at least half of its gaps are within this share of the font size of that typical gap
# (the spacing is uniform; a justified line has near-zero gaps inside words instead).
LETTER_GAP_TOLERANCE = 0.08
# A run needs this many gaps to show its own letter spacing; a shorter run takes the spacing
# of a letter-spaced neighbour on its line when its gap matches it.
MIN_SPACED_GAPS = 2

# --- numbers
# Characters of a printed number: a space glyph between two of them whose ink touches is not
# a word space (a producer that writes a number as several text objects).
NUMBER_CHARS = frozenset("0123456789.,")
# Ink glyphs whose gap is at most this (points) touch.
TOUCH_GAP = 0.05


@lru_cache(maxsize=256)
def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return "bold" in name or "black" in name or "heavy" in name


def group_lines(chars: Iterable[dict]) -> list[TextLine]:
    """Chars (pdfplumber dicts) → lines, top to bottom, each left to right.

    A space glyph kept at the end of a line sets ``trailing_space``; spaces inside a line are
    kept once; wide gaps become one space. Small raised or lowered glyphs printed next to a
    line's glyphs join that line (see :func:`attach_scripts`).
    """
    rows: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if not ch.get("upright", True):
            continue
        for row in reversed(rows[-3:]):
            ref = row[0]
            if abs(ch["top"] - ref["top"]) < SAME_LINE_TOLERANCE * max(ref["size"], 1.0):
                row.append(ch)
                break
        else:
            rows.append([ch])
    rows = attach_scripts(rows)
    return [line for line in (_make_line(row) for row in rows) if line is not None]


# --------------------------------------------------------------------------- scripts
def _ink(row: list[dict]) -> list[dict]:
    return [c for c in row if not c["text"].isspace()]


def _runs(row: list[dict]) -> list[list[dict]]:
    """A row's ink glyphs, left to right, cut at space glyphs and at word-sized gaps."""
    runs: list[list[dict]] = []
    prev: dict | None = None
    for ch in sorted(row, key=lambda c: c["x0"]):
        if ch["text"].isspace():
            prev = None
            continue
        if prev is not None and ch["x0"] - prev["x1"] <= WORD_GAP_RATIO * ch["size"]:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        prev = ch
    return runs


def _row_body(row: list[dict]) -> tuple[float, list[dict], float, float] | None:
    """A row's body size (median), its body-size glyphs and their vertical extent; None if no ink."""
    ink = _ink(row)
    if not ink:
        return None
    body = statistics.median(c["size"] for c in ink)
    big = [c for c in ink if c["size"] > SCRIPT_SIZE_RATIO * body]
    return body, big, min(c["top"] for c in big), max(c["bottom"] for c in big)


def _may_have_host(own: int, row: list[dict], bodies: list) -> bool:
    """A fast test before :func:`_host_of`: some other row is large enough to carry this row's
    smallest glyph and overlaps it vertically."""
    ink = _ink(row)
    if not ink:
        return False
    smallest = min(c["size"] for c in ink)
    top, bottom = min(c["top"] for c in ink), max(c["bottom"] for c in ink)
    return any(i != own and info is not None and smallest <= SCRIPT_SIZE_RATIO * info[0]
               and min(bottom, info[3]) > max(top, info[2]) for i, info in enumerate(bodies))


def _host_of(run: list[dict], bodies: list, own: int) -> int | None:
    """Index of the row ``run`` is a super- or subscript of, or None (``bodies`` from
    :func:`_row_body`, one per row)."""
    x0, x1 = min(c["x0"] for c in run), max(c["x1"] for c in run)
    top, bottom = min(c["top"] for c in run), max(c["bottom"] for c in run)
    size = max(c["size"] for c in run)
    height = max(bottom - top, 0.1)
    for i, info in enumerate(bodies):
        if i == own or info is None:
            continue
        body, big, big_top, big_bottom = info
        if size > SCRIPT_SIZE_RATIO * body:
            continue
        if min(bottom, big_bottom) - max(top, big_top) < SCRIPT_MIN_OVERLAP * height:
            continue
        if any(min(x1, c["x1"]) - max(x0, c["x0"]) > TOUCH_TOLERANCE for c in big):
            continue  # printed over the line's own glyphs: not beside them
        reach = SCRIPT_MAX_GAP * body
        if any(-TOUCH_TOLERANCE <= x0 - c["x1"] <= reach or -TOUCH_TOLERANCE <= c["x0"] - x1 <= reach
               for c in big):
            return i
    return None


def attach_scripts(rows: list[list[dict]]) -> list[list[dict]]:
    """Rows of chars (each a candidate line) → rows with super- and subscripts moved into the
    line they belong to.

    A run of at most ``MAX_SCRIPT_GLYPHS`` glyphs joins another row when its glyphs are at most
    ``SCRIPT_SIZE_RATIO`` of that row's size, its vertical extent overlaps that row's glyphs and
    it sits right beside one of them. Rows left empty are dropped; the order of the other rows
    is kept.
    """
    sizes = [c["size"] for r in rows for c in r if not c["text"].isspace()]
    if len(rows) < 2 or not sizes or min(sizes) > SCRIPT_SIZE_RATIO * max(sizes):
        return rows  # one size of type throughout: nothing can be a script
    rows = [list(r) for r in rows]
    bodies = [_row_body(r) for r in rows]
    largest = max((b[0] for b in bodies if b is not None), default=0.0)
    for own in range(len(rows)):
        if not _may_have_host(own, rows[own], bodies):
            continue
        for run in _runs(rows[own]):
            if len(run) > MAX_SCRIPT_GLYPHS or max(c["size"] for c in run) > SCRIPT_SIZE_RATIO * largest:
                continue  # too long, or no line on the page is large enough to carry it
            host = _host_of(run, bodies, own)
            if host is None:
                continue
            moved = {id(c) for c in run}
            rows[own] = [c for c in rows[own] if id(c) not in moved]
            rows[host].extend(run)
            bodies[own] = _row_body(rows[own])
    # A row left with space glyphs only has no line of its own.
    return [r for r in rows if _ink(r)]


# --------------------------------------------------------------------------- word gaps
def _letter_gaps(chars: list[dict]) -> dict[int, float]:
    """For each ink glyph (by id) that follows another in the same run, the letter gap of that
    run in points: 0 for ordinary text, the uniform spacing for letter-spaced text.

    ``chars`` is one line sorted by x0.
    """
    runs: list[list[tuple[dict, float]]] = []  # (glyph, gap before it)
    prev: dict | None = None
    for ch in chars:
        if ch["text"].isspace():
            prev = None
            continue
        gap = ch["x0"] - prev["x1"] if prev is not None else None
        if gap is not None and gap <= LETTER_SPACE_MAX * ch["size"]:
            runs[-1].append((ch, gap))
        else:
            runs.append([(ch, 0.0)])
        prev = ch

    def spacing(gaps: list[float], size: float) -> float | None:
        # Fewer than half the gaps that wide: the median is narrower (ordinary text, fast).
        if sum(g >= LETTER_SPACED_MIN * size for g in gaps) * 2 < len(gaps):
            return None
        typical = statistics.median(gaps)
        if typical < LETTER_SPACED_MIN * size:
            return None
        close = sum(abs(g - typical) <= LETTER_GAP_TOLERANCE * size for g in gaps)
        return typical if close * 2 >= len(gaps) else None

    run_space: list[float | None] = []
    for run in runs:
        gaps = [g for _, g in run[1:]]
        size = max(c["size"] for c, _ in run)
        run_space.append(spacing(gaps, size) if len(gaps) >= MIN_SPACED_GAPS else None)
    out: dict[int, float] = {}
    for i, run in enumerate(runs):
        space = run_space[i]
        gaps = [g for _, g in run[1:]]
        if space is None and gaps:
            size = max(c["size"] for c, _ in run)
            for j in (i - 1, i + 1):  # a short word of a letter-spaced phrase
                other = run_space[j] if 0 <= j < len(runs) else None
                if other is not None and all(abs(g - other) <= LETTER_GAP_TOLERANCE * size for g in gaps):
                    space = other
                    break
        for ch, _ in run[1:]:
            out[id(ch)] = space or 0.0
    return out


def _may_be_letter_spaced(chars: list[dict]) -> bool:
    """Some two neighbouring ink glyphs stand apart by a letter spacing (a fast test: most
    lines set their letters edge to edge)."""
    prev = None
    for ch in chars:
        if ch["text"].isspace():
            prev = None
            continue
        if prev is not None and ch["x0"] - prev["x1"] >= LETTER_SPACED_MIN * ch["size"]:
            return True
        prev = ch
    return False


def _raised(ink: list[dict]) -> set[int]:
    """Ids of the line's superscript glyphs (``ink``: its non-space glyphs): smaller than the
    line's body size and set higher."""
    sizes = [c["size"] for c in ink]
    if not ink or min(sizes) == max(sizes):
        return set()  # one type size: nothing is raised (most lines, fast)
    body = statistics.median(sizes)
    big = [c for c in ink if c["size"] > SCRIPT_SIZE_RATIO * body]
    if not big or len(big) == len(ink):
        return set()
    middle = statistics.median((c["top"] + c["bottom"]) / 2 for c in big)
    return {id(c) for c in ink if c["size"] <= SCRIPT_SIZE_RATIO * body
            and (c["top"] + c["bottom"]) / 2 < middle - RAISED_MIN_SHIFT * body}


def _touching_number(prev: dict | None, nxt: dict | None) -> bool:
    """Two number glyphs whose ink touches (the space glyph between them takes no room)."""
    return (prev is not None and nxt is not None and prev["text"] in NUMBER_CHARS
            and nxt["text"] in NUMBER_CHARS and nxt["x0"] - prev["x1"] <= TOUCH_GAP)


def _make_line(chars: list[dict]) -> TextLine | None:
    chars.sort(key=lambda c: c["x0"])
    ink = [c for c in chars if not c["text"].isspace()]
    if not ink:
        return None
    letter_gap = _letter_gaps(chars) if _may_be_letter_spaced(chars) else None
    raised = _raised(ink)
    word_gap = WORD_GAP_RATIO
    text: list[str] = []
    glyphs: list[tuple[float, float]] = []
    prev: dict | None = None  # the last glyph, space or ink
    last_ink: dict | None = None
    for i, ch in enumerate(chars):
        t = ch["text"]
        if t.isspace():
            if last_ink is not None and last_ink["text"] in NUMBER_CHARS:
                nxt = next((c for c in chars[i + 1:] if not c["text"].isspace()), None)
                if _touching_number(last_ink, nxt):
                    continue
            if text and text[-1] != " ":
                text.append(" ")
                glyphs.append((ch["x0"], ch["x1"]))
            prev = ch
            continue
        if prev is not None and text and text[-1] != " ":
            gap = ch["x0"] - prev["x1"]
            spacing = letter_gap.get(id(ch), 0.0) if letter_gap else 0.0
            if gap > spacing + word_gap * ch["size"]:
                text.append(" ")
                glyphs.append((prev["x1"], prev["x1"]))  # no glyph here: zero width
        if (raised and id(ch) in raised and t in SUPERSCRIPT_POWERS and text and text[-1].isalpha()
                and last_ink is not None and id(last_ink) not in raised):
            t = SUPERSCRIPT_POWERS[t]
        text.append(t)
        glyphs.append((ch["x0"], ch["x1"]))
        prev = ch
        last_ink = ch
    trailing = bool(text) and text[-1] == " "
    while text and text[-1] == " ":
        text.pop()
        glyphs.pop()
    while text and text[0] == " ":
        text.pop(0)
        glyphs.pop(0)
    if not text:
        return None
    bold = sum(_is_bold(c.get("fontname", "")) for c in ink) * 2 > len(ink)
    return TextLine(
        text="".join(text),
        bbox=BBox(x0=min(c["x0"] for c in ink), top=min(c["top"] for c in ink),
                  x1=max(c["x1"] for c in ink), bottom=max(c["bottom"] for c in ink)),
        font_size=max(c["size"] for c in ink),
        bold=bold,
        trailing_space=trailing,
        glyph_x=glyphs,
    )
