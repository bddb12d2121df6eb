"""Group PDF characters into printed text lines, keeping each glyph's horizontal extent.

Three things make a printed line more than "chars with the same top":

* super- and subscripts (``m²``, a footnote marker ``*)``) are smaller glyphs set above or
  below the baseline; they belong to the line they touch, at their x position;
* letter-spaced (expanded) text has a uniform gap between all its letters, so the word gap is
  decided per run of glyphs from that run's own letter gap, not from the font size alone;
* a number whose glyphs touch is one number even when a stray space glyph sits between them.
"""

from __future__ import annotations

import statistics
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from renjana.models import BBox, GlyphEdges, TextLine

from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

# The tolerances (line tolerance, word gap, scripts, letter spacing, touching number glyphs) are
# fields of :class:`.settings.ExtractSettings`; these two are vocabulary, not tolerances.
# A raised digit 2 / 3 right after a letter is a power of a unit (m², cm³), read as printed.
SUPERSCRIPT_POWERS = {"2": "\u00b2", "3": "\u00b3"}
# Characters of a printed number: a space glyph between two of them whose ink touches is not
# a word space (a producer that writes a number as several text objects).
NUMBER_CHARS = frozenset("0123456789.,")

__getattr__ = legacy_constants(__name__, {
    "SAME_LINE_TOLERANCE": "same_line_tolerance", "WORD_GAP_RATIO": "word_gap_ratio",
    "SCRIPT_SIZE_RATIO": "script_size_ratio", "MAX_SCRIPT_GLYPHS": "max_script_glyphs",
    "SCRIPT_MIN_OVERLAP": "script_min_overlap", "SCRIPT_MAX_GAP": "script_max_gap",
    "TOUCH_TOLERANCE": "touch_tolerance", "RAISED_MIN_SHIFT": "raised_min_shift",
    "LETTER_SPACE_MAX": "letter_space_max", "LETTER_SPACED_MIN": "letter_spaced_min",
    "LETTER_GAP_TOLERANCE": "letter_gap_tolerance", "MIN_SPACED_GAPS": "min_spaced_gaps",
    "TOUCH_GAP": "touch_gap",
})


# Sort keys of glyph dicts (itemgetter: no Python call per glyph).
_TOP_X0 = itemgetter("top", "x0")
_X0 = itemgetter("x0")
_TOP = itemgetter("top")
_SIZE = itemgetter("size")
_UPRIGHT = itemgetter("upright")


@lru_cache(maxsize=256)
def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return "bold" in name or "black" in name or "heavy" in name


def group_lines(chars: Iterable[dict], settings: ExtractSettings = DEFAULT_SETTINGS) -> list[TextLine]:
    """Chars (pdfplumber dicts) → lines, top to bottom, each left to right.

    A space glyph kept at the end of a line sets ``trailing_space``; spaces inside a line are
    kept once; wide gaps become one space. Small raised or lowered glyphs printed next to a
    line's glyphs join that line (see :func:`attach_scripts`). ``settings``: the text-line
    tolerances (``same_line_tolerance``, ``word_gap_ratio``, the script and letter-spacing
    fields).
    """
    same_line = settings.same_line_tolerance
    ordered = sorted(chars, key=_TOP_X0)
    try:
        if not all(map(_UPRIGHT, ordered)):
            ordered = [ch for ch in ordered if ch["upright"]]
    except KeyError:  # a char without the flag counts as upright
        ordered = [ch for ch in ordered if ch.get("upright", True)]
    tops = list(map(_TOP, ordered))
    total = sum(tops)
    if total != total:  # a NaN top (or infinities): no order to rely on, each glyph tested in turn
        return _make_lines(_rows_one_by_one(ordered, same_line), settings)
    # Per row: its first glyph's top, how near (points) another glyph's top must be to join it,
    # and its glyphs. A glyph joins the newest of the last three rows it is near. The glyphs go
    # top-down, so those that join the newest row right after it starts are the next ones whose
    # top is less than ``reach`` below its own (``top - ref_top`` grows with ``top``): found by
    # bisection, then checked with the same subtraction (this runs on every glyph of every cell).
    rows: list[tuple[float, float, list[dict]]] = []
    n, i = len(ordered), 0
    while i < n:
        ch, top = ordered[i], tops[i]
        for ref_top, reach, members in reversed(rows[-3:-1]):
            if abs(top - ref_top) < reach:
                members.append(ch)
                i += 1
                break
        else:  # (the newest row is not near: its glyphs were all taken when it began)
            reach = same_line * max(ch["size"], 1.0)
            members = [ch]
            rows.append((top, reach, members))
            j = bisect_left(tops, top + reach, i + 1)
            while j > i + 1 and not tops[j - 1] - top < reach:
                j -= 1
            while j < n and tops[j] - top < reach:
                j += 1
            members.extend(ordered[i + 1:j])
            i = j
    return _make_lines([members for _, _, members in rows], settings)


def _make_lines(rows: list[list[dict]], settings: ExtractSettings) -> list[TextLine]:
    """The lines of :func:`group_lines`'s rows, scripts attached."""
    grouped = attach_scripts(rows, settings)
    return [line for line in (_make_line(row, settings) for row in grouped) if line is not None]


def _rows_one_by_one(ordered: list[dict], same_line: float) -> list[list[dict]]:
    """:func:`group_lines`'s rows, each glyph tested in turn (``ordered``: upright glyphs by top, x0)."""
    rows: list[tuple[float, float, list[dict]]] = []
    newest: tuple[float, float, list[dict]] | None = None  # rows[-1]
    for ch in ordered:
        top = ch["top"]
        if newest is not None and abs(top - newest[0]) < newest[1]:
            newest[2].append(ch)
            continue
        for ref_top, reach, members in reversed(rows[-3:-1]):
            if abs(top - ref_top) < reach:
                members.append(ch)
                break
        else:
            newest = (top, same_line * max(ch["size"], 1.0), [ch])
            rows.append(newest)
    return [members for _, _, members in rows]


# --------------------------------------------------------------------------- scripts
def _ink(row: list[dict]) -> list[dict]:
    return [c for c in row if not c["text"].isspace()]


def _runs(row: list[dict], word_gap: float) -> list[list[dict]]:
    """A row's ink glyphs, left to right, cut at space glyphs and at word-sized gaps (gaps
    wider than ``word_gap`` em)."""
    runs: list[list[dict]] = []
    prev: dict | None = None
    for ch in sorted(row, key=lambda c: c["x0"]):
        if ch["text"].isspace():
            prev = None
            continue
        if prev is not None and ch["x0"] - prev["x1"] <= word_gap * ch["size"]:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        prev = ch
    return runs


def _row_body(ink: list[dict], script_size: float) -> tuple[float, list[dict], float, float] | None:
    """A row's body size (median), its body-size glyphs (larger than ``script_size`` of it) and
    their vertical extent; None if no ink (``ink``: the row's :func:`_ink`)."""
    if not ink:
        return None
    body = statistics.median(c["size"] for c in ink)
    big = [c for c in ink if c["size"] > script_size * body]
    return body, big, min(c["top"] for c in big), max(c["bottom"] for c in big)


def _may_have_host(own: int, ink: list[dict], bodies: list, script_size: float) -> bool:
    """A fast test before :func:`_host_of`: some other row is large enough to carry this row's
    smallest glyph and overlaps it vertically (``ink``: the row's :func:`_ink`)."""
    if not ink:
        return False
    smallest = min(c["size"] for c in ink)
    top, bottom = min(c["top"] for c in ink), max(c["bottom"] for c in ink)
    return any(i != own and info is not None and smallest <= script_size * info[0]
               and min(bottom, info[3]) > max(top, info[2]) for i, info in enumerate(bodies))


def _host_of(run: list[dict], bodies: list, own: int, settings: ExtractSettings) -> int | None:
    """Index of the row ``run`` is a super- or subscript of, or None (``bodies`` from
    :func:`_row_body`, one per row)."""
    script_size, min_overlap = settings.script_size_ratio, settings.script_min_overlap
    touch, max_gap = settings.touch_tolerance, settings.script_max_gap
    x0, x1 = min(c["x0"] for c in run), max(c["x1"] for c in run)
    top, bottom = min(c["top"] for c in run), max(c["bottom"] for c in run)
    size = max(c["size"] for c in run)
    height = max(bottom - top, 0.1)
    for i, info in enumerate(bodies):
        if i == own or info is None:
            continue
        body, big, big_top, big_bottom = info
        if size > script_size * body:
            continue
        if min(bottom, big_bottom) - max(top, big_top) < min_overlap * height:
            continue
        if any(min(x1, c["x1"]) - max(x0, c["x0"]) > touch for c in big):
            continue  # printed over the line's own glyphs: not beside them
        reach = max_gap * body
        if any(-touch <= x0 - c["x1"] <= reach or -touch <= c["x0"] - x1 <= reach
               for c in big):
            return i
    return None


def attach_scripts(rows: list[list[dict]], settings: ExtractSettings = DEFAULT_SETTINGS) -> list[list[dict]]:
    """Rows of chars (each a candidate line) → rows with super- and subscripts moved into the
    line they belong to.

    A run of at most ``settings.max_script_glyphs`` glyphs joins another row when its glyphs are
    at most ``settings.script_size_ratio`` of that row's size, its vertical extent overlaps that row's glyphs and
    it sits right beside one of them. Rows left empty are dropped; the order of the other rows
    is kept.
    """
    script_size = settings.script_size_ratio
    if len(rows) < 2:
        return rows  # one row: nothing to move (most cells, fast)
    # All glyphs, spaces too, in one size of type (read in C; no NaN among them): then the ink
    # glyphs are too, and nothing can be a script (most multi-row inputs, fast).
    every = list(map(_SIZE, chain.from_iterable(rows)))
    total = sum(every)
    if total == total and min(every) > script_size * max(every):
        return rows
    sizes = [c["size"] for r in rows for c in r if not c["text"].isspace()]
    if not sizes or min(sizes) > script_size * max(sizes):
        return rows  # one size of type throughout: nothing can be a script
    rows = [list(r) for r in rows]
    inks = [_ink(r) for r in rows]  # each row's ink glyphs, kept up to date as glyphs move
    bodies = [_row_body(ink, script_size) for ink in inks]
    largest = max((b[0] for b in bodies if b is not None), default=0.0)
    for own in range(len(rows)):
        if not _may_have_host(own, inks[own], bodies, script_size):
            continue
        for run in _runs(rows[own], settings.word_gap_ratio):
            if len(run) > settings.max_script_glyphs or max(c["size"] for c in run) > script_size * largest:
                continue  # too long, or no line on the page is large enough to carry it
            host = _host_of(run, bodies, own, settings)
            if host is None:
                continue
            moved = {id(c) for c in run}
            rows[own] = [c for c in rows[own] if id(c) not in moved]
            rows[host].extend(run)
            inks[own] = _ink(rows[own])
            inks[host] = inks[host] + run  # a run is ink glyphs only
            bodies[own] = _row_body(inks[own], script_size)
    # A row left with space glyphs only has no line of its own.
    return [r for r, ink in zip(rows, inks) if ink]


# --------------------------------------------------------------------------- word gaps
def _letter_gaps(chars: list[dict], settings: ExtractSettings) -> dict[int, float]:
    """For each ink glyph (by id) that follows another in the same run, the letter gap of that
    run in points: 0 for ordinary text, the uniform spacing for letter-spaced text.

    ``chars`` is one line sorted by x0.
    """
    space_max, spaced_min = settings.letter_space_max, settings.letter_spaced_min
    gap_tolerance, min_gaps = settings.letter_gap_tolerance, settings.min_spaced_gaps
    runs: list[list[tuple[dict, float]]] = []  # (glyph, gap before it)
    prev: dict | None = None
    for ch in chars:
        if ch["text"].isspace():
            prev = None
            continue
        gap = ch["x0"] - prev["x1"] if prev is not None else None
        if gap is not None and gap <= space_max * ch["size"]:
            runs[-1].append((ch, gap))
        else:
            runs.append([(ch, 0.0)])
        prev = ch

    def spacing(gaps: list[float], size: float) -> float | None:
        # Fewer than half the gaps that wide: the median is narrower (ordinary text, fast).
        if sum(g >= spaced_min * size for g in gaps) * 2 < len(gaps):
            return None
        typical = statistics.median(gaps)
        if typical < spaced_min * size:
            return None
        close = sum(abs(g - typical) <= gap_tolerance * size for g in gaps)
        return typical if close * 2 >= len(gaps) else None

    run_space: list[float | None] = []
    for run in runs:
        gaps = [g for _, g in run[1:]]
        size = max(c["size"] for c, _ in run)
        run_space.append(spacing(gaps, size) if len(gaps) >= min_gaps else None)
    out: dict[int, float] = {}
    for i, run in enumerate(runs):
        space = run_space[i]
        gaps = [g for _, g in run[1:]]
        if space is None and gaps:
            size = max(c["size"] for c, _ in run)
            for j in (i - 1, i + 1):  # a short word of a letter-spaced phrase
                other = run_space[j] if 0 <= j < len(runs) else None
                if other is not None and all(abs(g - other) <= gap_tolerance * size for g in gaps):
                    space = other
                    break
        for ch, _ in run[1:]:
            out[id(ch)] = space or 0.0
    return out


def _may_be_letter_spaced(chars: list[dict], blank: list[bool], spaced_min: float, space_max: float) -> bool:
    """Some two neighbouring ink glyphs stand apart by a letter spacing: at least
    ``spaced_min`` em, and at most ``space_max`` em (a wider gap parts two runs, see
    :func:`_letter_gaps`). A fast test: most lines set their letters edge to edge, and
    without such a gap no run of :func:`_letter_gaps` is letter-spaced. ``blank``: for each
    char, whether it is a space glyph."""
    prev = None
    for ch, space in zip(chars, blank):
        if space:
            prev = None
            continue
        if prev is not None and spaced_min * ch["size"] <= ch["x0"] - prev["x1"] <= space_max * ch["size"]:
            return True
        prev = ch
    return False


def _raised(ink: list[dict], settings: ExtractSettings, sizes: list[float] | None = None) -> set[int]:
    """Ids of the line's superscript glyphs (``ink``: its non-space glyphs; ``sizes``: their
    sizes when the caller has them): smaller than the line's body size and set higher."""
    if sizes is None:
        sizes = [c["size"] for c in ink]
    if not ink or min(sizes) == max(sizes):
        return set()  # one type size: nothing is raised (most lines, fast)
    script_size = settings.script_size_ratio
    body = statistics.median(sizes)
    big = [c for c in ink if c["size"] > script_size * body]
    if not big or len(big) == len(ink):
        return set()
    middle = statistics.median((c["top"] + c["bottom"]) / 2 for c in big)
    return {id(c) for c in ink if c["size"] <= script_size * body
            and (c["top"] + c["bottom"]) / 2 < middle - settings.raised_min_shift * body}


def _touching_number(prev: dict | None, nxt: dict | None, touch_gap: float) -> bool:
    """Two number glyphs whose ink touches (gap at most ``touch_gap`` points: the space glyph
    between them takes no room)."""
    return (prev is not None and nxt is not None and prev["text"] in NUMBER_CHARS
            and nxt["text"] in NUMBER_CHARS and nxt["x0"] - prev["x1"] <= touch_gap)


def _make_line(chars: list[dict], settings: ExtractSettings) -> TextLine | None:
    """The line printed by ``chars`` (one row of :func:`group_lines`), None when it prints no ink."""
    chars.sort(key=_X0)
    plain = _plain_line(chars, settings)
    return plain if plain is not None else _any_line(chars, settings)


def _plain_line(chars: list[dict], settings: ExtractSettings) -> TextLine | None:
    """The line of ``chars`` (sorted by x0) read in one pass, for a line set in one type size
    and one font, none of whose runs of letters may be letter-spaced (most lines); None for any
    other line (or one without ink), which :func:`_any_line` reads.

    The same reading as :func:`_any_line`'s (this runs once per line of every cell, band and
    page): no glyph is raised (one size; the em-based tolerances are then the same points for
    every glyph); no run is letter-spaced, as :func:`_letter_gaps` tells
    a run that is not before it takes its median (fewer than ``min_spaced_gaps`` gaps, or fewer
    than half of them at least ``letter_spaced_min`` em wide); the space glyphs after an ink
    glyph are written as one space when the next ink glyph comes, unless the two are number
    glyphs that touch; kept after the last ink glyph, they make the trailing space.
    """
    touch_gap, min_gaps = settings.touch_gap, settings.min_spaced_gaps
    gaps = wide = 0  # the current run of letters (see _letter_gaps): its gaps, those letter-spacing wide
    text: list[str] = []
    edges: list[float] = []  # left and right edge of each character of text, one after the other
    last_ink: dict | None = None
    last_x1, last_t = 0.0, ""  # last_ink's right edge and text (read only once last_ink is set)
    space: dict | None = None  # the first space glyph after last_ink, not written yet
    for ch in chars:
        t = ch["text"]
        if t.isspace():
            if space is None and last_ink is not None:
                space = ch
            continue
        left, right = ch["x0"], ch["x1"]
        if last_ink is None:
            first, body = ch, ch["size"]
            if body != body:
                return None  # no size to compare with (NaN)
            # In points, for the one size: the word gap, and the least and most letter spacing.
            word_gap = settings.word_gap_ratio * body
            spaced_min = settings.letter_spaced_min * body
            space_max = settings.letter_space_max * body
            font = ch.get("fontname", "")
            top, x1, bottom = ch["top"], right, ch["bottom"]
        else:
            if ch["size"] != body or ch.get("fontname", "") != font or "confidence" in ch:
                return None  # mixed sizes (a glyph may be raised) or fonts, or read from glyph shapes
            gap = left - last_x1
            if space is None and gap <= space_max:  # the run goes on
                gaps += 1
                if gap >= spaced_min:
                    wide += 1
            elif gaps >= min_gaps and wide * 2 >= gaps:
                return None  # the run that ended may be letter-spaced
            else:
                gaps = wide = 0
            # (_touching_number, inlined: this runs once per word of every line)
            if space is not None and not (last_t in NUMBER_CHARS and t in NUMBER_CHARS and gap <= touch_gap):
                text.append(" ")
                edges += (space["x0"], space["x1"])
            elif gap > word_gap:
                text.append(" ")
                edges += (last_x1, last_x1)  # no glyph here: zero width
            space = None
            # As min and max keep the first of equal values: only a strictly lower or higher one counts.
            if ch["top"] < top:
                top = ch["top"]
            if right > x1:
                x1 = right
            if ch["bottom"] > bottom:
                bottom = ch["bottom"]
        text.append(t)
        edges += (left, right)
        last_ink, last_x1, last_t = ch, right, t
    if last_ink is None or "confidence" in first or (gaps >= min_gaps and wide * 2 >= gaps):
        return None  # no ink; read from glyph shapes; the last run may be letter-spaced
    return TextLine(
        text="".join(text),
        bbox=BBox(x0=first["x0"], top=top, x1=x1, bottom=bottom),
        font_size=body,
        bold=_is_bold(font),
        trailing_space=space is not None,
        glyph_x=GlyphEdges.packed(array("d", edges)),  # packed: kept until normalize is done, a million of them in a long PDF
    )


def _any_line(chars: list[dict], settings: ExtractSettings) -> TextLine | None:
    """The line of ``chars`` (sorted by x0), None when it prints no ink: for any line (letter-
    spaced, raised glyphs, several sizes or fonts, glyphs read from their shapes)."""
    word_gap, touch_gap = settings.word_gap_ratio, settings.touch_gap
    # Which chars are space glyphs, tested once: every pass below needs it (this runs once per
    # glyph of every cell and page).
    blank = [c["text"].isspace() for c in chars]
    ink = [c for c, space in zip(chars, blank) if not space]
    if not ink:
        return None
    letter_gap = (_letter_gaps(chars, settings)
                  if _may_be_letter_spaced(chars, blank, settings.letter_spaced_min, settings.letter_space_max)
                  else None)
    sizes = [c["size"] for c in ink]
    raised = _raised(ink, settings, sizes)
    text: list[str] = []
    edges: list[float] = []  # left and right edge of each character of text, one after the other
    prev: dict | None = None  # the last glyph, space or ink
    last_ink: dict | None = None
    in_word = False  # text ends with a character that is not a space
    for i, (ch, space) in enumerate(zip(chars, blank)):
        if space:
            if last_ink is not None and last_ink["text"] in NUMBER_CHARS:
                nxt = next((c for c, b in zip(chars[i + 1:], blank[i + 1:]) if not b), None)
                if _touching_number(last_ink, nxt, touch_gap):
                    continue
            if in_word:
                text.append(" ")
                edges += (ch["x0"], ch["x1"])
                in_word = False
            prev = ch
            continue
        t = ch["text"]
        if in_word and prev is not None:
            gap = ch["x0"] - prev["x1"]
            spacing = letter_gap.get(id(ch), 0.0) if letter_gap else 0.0
            if gap > spacing + word_gap * ch["size"]:
                text.append(" ")
                edges += (prev["x1"], prev["x1"])  # no glyph here: zero width
                in_word = False
        if (raised and id(ch) in raised and t in SUPERSCRIPT_POWERS and text and text[-1].isalpha()
                and last_ink is not None and id(last_ink) not in raised):
            t = SUPERSCRIPT_POWERS[t]
        text.append(t)
        edges += (ch["x0"], ch["x1"])
        in_word = True
        prev = ch
        last_ink = ch
    trailing = bool(text) and text[-1] == " "
    while text and text[-1] == " ":
        text.pop()
        del edges[-2:]
    while text and text[0] == " ":
        text.pop(0)
        del edges[:2]
    if not text:
        return None
    # Bold when most glyphs are; a line is mostly set in one font, tested once then.
    fonts = {c.get("fontname", "") for c in ink}
    if len(fonts) == 1:
        bold = _is_bold(fonts.pop())
    else:
        bold = sum([_is_bold(c.get("fontname", "")) for c in ink]) * 2 > len(ink)
    # Glyphs read from their shapes (a font without a Unicode map, extract/ocr/glyphmap.py):
    # the line is as sure as its least sure glyph, and says how it was read.
    mapped = [c for c in ink if "confidence" in c]
    read = {}
    if mapped:
        read = {"source": "ocr", "confidence": min(c["confidence"] for c in mapped),
                "repair": "; ".join(dict.fromkeys(c["repair"] for c in mapped if c.get("repair"))) or None}
    return TextLine(
        text="".join(text),
        # ink is sorted by x0: its first glyph is the leftmost.
        bbox=BBox(x0=ink[0]["x0"], top=min([c["top"] for c in ink]),
                  x1=max([c["x1"] for c in ink]), bottom=max([c["bottom"] for c in ink])),
        font_size=max(sizes),
        bold=bold,
        trailing_space=trailing,
        glyph_x=GlyphEdges.packed(array("d", edges)),  # packed: kept until normalize is done, a million of them in a long PDF
        **read,
    )
