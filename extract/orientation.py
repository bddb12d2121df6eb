"""A page's reading frame: which way its text runs, and the box every box on it must lie in.

A landscape table is sometimes drawn turned a quarter turn on a portrait page whose ``/Rotate``
is 0 (the producer rotated the drawing, not the page). pdfplumber then reports its glyphs as not
``upright`` and its rules in the page's own frame, so the table would be read sideways. This
module tells, per page, which way the glyphs advance and maps the page's chars and graphics
(rule segments and fills, see :mod:`.graphics`) into the
*upright virtual page*: the page as a reader sees it after turning it so that text reads left to
right, the same convention pdfplumber uses for a page with ``/Rotate``.

Turns are in degrees, 0, 90, 180 or 270: the direction the text advances, measured anticlockwise
on the page as printed, which is also how far the page must be turned clockwise to read it
(``turn=90``: text runs up the page; the reader turns the page a quarter turn clockwise).

Coordinates are pdfplumber's: PDF points, origin top-left, ``width``/``height`` the page as
pdfplumber reports it. On the virtual page of a 90° or 270° turn, width and height swap.
The tolerances (``direction_snap_degrees``, ``turn_majority``, ``min_own_glyphs``) are fields of
:class:`.settings.ExtractSettings`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter, lt

from renjana.models import BBox

from .graphics import Fill, Segment, as_segments
from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

__all__ = ["PageView", "TURNS", "clamp_box", "glyph_turn", "page_views", "turn_box",
           "turn_chars", "turn_edges", "turn_fills", "turn_point", "turn_segments", "turned_size",
           "unturn_box"]

TURNS = (0, 90, 180, 270)

__getattr__ = legacy_constants(__name__, {
    "DIRECTION_SNAP_DEGREES": "direction_snap_degrees", "TURN_MAJORITY": "turn_majority",
    "MIN_OWN_GLYPHS": "min_own_glyphs",
})


# --------------------------------------------------------------------------- geometry
def turned_size(turn: int, width: float, height: float) -> tuple[float, float]:
    """(width, height) of the virtual page of a ``width`` × ``height`` page turned ``turn``."""
    return (height, width) if turn in (90, 270) else (width, height)


def turn_point(x: float, y: float, turn: int, width: float, height: float) -> tuple[float, float]:
    """A point of the printed page (top-left origin) → the same point on the virtual page."""
    if turn == 90:
        return height - y, x
    if turn == 180:
        return width - x, height - y
    if turn == 270:
        return y, width - x
    return x, y


def turn_box(x0: float, top: float, x1: float, bottom: float, turn: int, width: float,
             height: float) -> tuple[float, float, float, float]:
    """A box of the printed page → (x0, top, x1, bottom) of the same box on the virtual page."""
    ax, ay = turn_point(x0, top, turn, width, height)
    bx, by = turn_point(x1, bottom, turn, width, height)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def unturn_box(box: BBox, turn: int, width: float, height: float) -> BBox:
    """A box of the virtual page → the same box on the printed ``width`` × ``height`` page
    (the inverse of :func:`turn_box`)."""
    back = (360 - turn) % 360
    vw, vh = turned_size(turn, width, height)
    x0, top, x1, bottom = turn_box(box.x0, box.top, box.x1, box.bottom, back, vw, vh)
    return BBox(x0=x0, top=top, x1=x1, bottom=bottom)


def clamp_box(box: BBox, width: float, height: float) -> BBox:
    """``box`` cut to the page [0, width] × [0, height] (content drawn under a page-level scale
    or offset can stick out by a little). A box wholly outside collapses onto the page's edge."""
    if 0.0 <= box.x0 and box.x1 <= width and 0.0 <= box.top and box.bottom <= height:
        return box  # inside already (nearly every box): no copy

    def clamp(v: float, hi: float) -> float:
        return min(max(v, 0.0), hi)
    return BBox(x0=clamp(box.x0, width), top=clamp(box.top, height),
                x1=clamp(box.x1, width), bottom=clamp(box.bottom, height))


# --------------------------------------------------------------------------- glyph direction
def glyph_turn(ch: dict, settings: ExtractSettings = DEFAULT_SETTINGS) -> int | None:
    """The direction a pdfplumber char advances, as a turn (0, 90, 180, 270), from its text
    ``matrix`` (a, b is the advance in PDF space, y up); None for a glyph skewed more than
    ``settings.direction_snap_degrees`` off every quarter turn."""
    matrix = ch.get("matrix")
    if not matrix:
        return 0 if ch.get("upright", True) else None
    a, b = matrix[0], matrix[1]
    if b == 0 and a > 0:
        return 0  # the usual upright glyph (fast)
    if a == 0 and b == 0:
        return None
    angle = math.degrees(math.atan2(b, a)) % 360.0
    nearest = round(angle / 90.0) * 90 % 360
    off = min(abs(angle - nearest), 360.0 - abs(angle - nearest))
    return nearest if off <= settings.direction_snap_degrees else None


def _plainly_upright(ch: dict) -> bool:
    matrix = ch.get("matrix")
    return matrix[1] == 0 and matrix[0] > 0 if matrix else ch.get("upright", True)


def _all_plainly_upright(chars: list[dict]) -> bool:
    """``all(_plainly_upright(ch) for ch in chars)``, read without a Python step per char when
    every char has a matrix (this runs over every char of every page)."""
    try:
        matrices = list(map(itemgetter("matrix"), chars))
        # matrix[1] == 0 is `not matrix[1]` (NaN is neither); matrix[0] > 0 is 0 < matrix[0].
        return not any(map(itemgetter(1), matrices)) and all(map(partial(lt, 0), map(itemgetter(0), matrices)))
    except (KeyError, TypeError, IndexError):  # a char without a matrix: its upright flag decides
        return all(map(_plainly_upright, chars))


def _ink_count(chars: list[dict]) -> int:
    """How many of ``chars`` are not white space."""
    return len(chars) - sum(map(str.isspace, map(itemgetter("text"), chars)))


def turn_chars(chars: list[dict], turn: int, width: float, height: float) -> list[dict]:
    """Copies of ``chars`` placed on the virtual page: x0/x1/top/bottom (and y0/y1, width,
    height, doctop) moved, ``upright`` set, ``size`` the glyph box's height there (pdfminer's
    own measure for an upright glyph). ``turn == 0`` returns the chars unchanged."""
    if turn == 0:
        return chars
    _, vh = turned_size(turn, width, height)
    out = []
    for ch in chars:
        x0, top, x1, bottom = turn_box(ch["x0"], ch["top"], ch["x1"], ch["bottom"], turn, width, height)
        new = dict(ch, x0=x0, x1=x1, top=top, bottom=bottom, y0=vh - bottom, y1=vh - top,
                   width=x1 - x0, height=bottom - top, size=bottom - top, upright=True)
        if "doctop" in ch:
            new["doctop"] = ch["doctop"] - ch["top"] + top
        out.append(new)
    return out


def turn_edges(edges: list[dict], turn: int, width: float, height: float) -> list[dict]:
    """Copies of pdfplumber edge dicts placed on the virtual page; a quarter turn swaps their
    ``orientation`` ('h' ↔ 'v'). ``turn == 0`` returns the edges unchanged."""
    if turn == 0:
        return edges
    _, vh = turned_size(turn, width, height)
    swap = {"h": "v", "v": "h"}
    out = []
    for e in edges:
        x0, top, x1, bottom = turn_box(e["x0"], e["top"], e["x1"], e["bottom"], turn, width, height)
        orientation = e.get("orientation")
        if turn in (90, 270):
            orientation = swap.get(orientation, orientation)
        out.append(dict(e, x0=x0, x1=x1, top=top, bottom=bottom, y0=vh - bottom, y1=vh - top,
                        width=x1 - x0, height=bottom - top, orientation=orientation))
    return out


def turn_segments(segments: list[Segment], turn: int, width: float, height: float) -> list[Segment]:
    """Rule segments placed on the virtual page; a quarter turn swaps 'h' and 'v'.
    ``turn == 0`` returns the segments unchanged."""
    if turn == 0:
        return segments
    out = []
    for s in segments:
        if s.orientation == "h":
            x0, top, x1, bottom = turn_box(s.start, s.pos, s.end, s.pos, turn, width, height)
        else:
            x0, top, x1, bottom = turn_box(s.pos, s.start, s.pos, s.end, turn, width, height)
        horizontal = (s.orientation == "h") != (turn in (90, 270))
        if horizontal:
            out.append(Segment("h", (top + bottom) / 2, x0, x1))
        else:
            out.append(Segment("v", (x0 + x1) / 2, top, bottom))
    return out


def turn_fills(fills: list[Fill], turn: int, width: float, height: float) -> list[Fill]:
    """Fills placed on the virtual page. ``turn == 0`` returns the fills unchanged."""
    if turn == 0:
        return fills
    return [Fill(*turn_box(f.x0, f.top, f.x1, f.bottom, turn, width, height), color=f.color) for f in fills]


# --------------------------------------------------------------------------- views of a page
@dataclass
class PageView:
    """One reading of a page: its glyphs of one direction and all its rule segments and fills,
    on the virtual page of ``turn`` (``width`` × ``height``). ``glyphs`` counts its non-space
    chars."""

    turn: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    glyphs: int = 0


def page_views(chars: list[dict], segments: list, width: float,
               height: float, fills: list[Fill] = (),
               settings: ExtractSettings = DEFAULT_SETTINGS) -> tuple[list[PageView], int]:
    """Split a page's chars by the direction they run and map each direction onto its virtual
    page, with the page's rule ``segments`` (:class:`.graphics.Segment`, or pdfplumber edge
    dicts) and ``fills``.

    Returns ``(views, unread)``: ``views[0]`` is the page's frame (0 unless more than
    ``settings.turn_majority`` of the glyphs run in one other direction), then each other
    direction holding at least ``settings.min_own_glyphs`` glyphs, most glyphs first; ``unread`` counts the
    non-space glyphs in no view (skewed glyphs, small turned groups). Space chars go with the
    direction of the glyph before them in the content stream; they never decide a direction.
    """
    by_turn: dict[int | None, list[dict]] = {}
    last: int | None = 0
    if _all_plainly_upright(chars):
        by_turn[0] = list(chars)  # the usual page: every glyph upright (fast)
        chars = ()
    for ch in chars:
        if ch["text"].isspace():
            by_turn.setdefault(last, []).append(ch)
            continue
        last = glyph_turn(ch, settings)
        by_turn.setdefault(last, []).append(ch)
    counts = Counter({t: _ink_count(group) for t, group in by_turn.items() if t is not None})
    total = sum(counts.values())
    frame = 0
    if total:
        best, n = max(counts.items(), key=lambda kv: (kv[1], kv[0] == 0))
        if best != 0 and n > settings.turn_majority * total:
            frame = best
    order = [frame] + [t for t, n in counts.most_common()
                       if t != frame and n >= settings.min_own_glyphs]
    segments = as_segments(segments)
    fills = list(fills)
    views = []
    for turn in order:
        vw, vh = turned_size(turn, width, height)
        group = by_turn.get(turn, [])
        views.append(PageView(turn=turn, width=vw, height=vh,
                              chars=turn_chars(group, turn, width, height),
                              segments=turn_segments(segments, turn, width, height),
                              fills=turn_fills(fills, turn, width, height),
                              glyphs=counts.get(turn, 0)))
    read = sum(v.glyphs for v in views)
    skewed = _ink_count(by_turn.get(None, []))
    return views, total - read + skewed
