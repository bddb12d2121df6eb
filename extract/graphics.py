"""A page's vector graphics read as table evidence: rule *segments* and shading *fills*.

Producers draw the same table in different ways. A rule may be a stroked line, a side of a
stroked rectangle, or a thin filled rectangle (Chromium, PDFium and Office print cell borders as
0.5-1 pt bars); a shaded cell, a shaded text line (Word) or a zebra row band is a larger filled
rectangle. pdfplumber's ``page.edges`` turns every rectangle into four edges, so a bar becomes two
rules a hair apart and a shading rectangle becomes four rules. This module reads pdfplumber's
page objects (``page.lines``, ``page.rects``, ``page.curves``) instead:

- **segments**: every stroked line, every side of a stroked rectangle and every axis-parallel
  piece of a stroked curve becomes a centre-line segment; a filled rectangle thinner than
  ``ExtractSettings.thin_fill`` in one direction becomes *one* segment along its long axis;
- **fills**: larger filled rectangles (shading, row bands), returned with their colour and never
  as rules. Fills in the page's background colour (white, unless a fill covers the page) are
  invisible and left out.

Coordinates are pdfplumber's: PDF points, origin top-left. Colours are RGB triples in [0, 1].
The tolerances (``thin_fill``, ``axis_tolerance``, ``background_share``, ``color_tolerance``,
``band_join``) are fields of :class:`.settings.ExtractSettings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

__all__ = ["Fill", "PageGraphics", "Segment", "as_segments", "fill_bands", "page_graphics",
           "to_rgb"]

# A PDF page is white unless something covers it.
WHITE = (1.0, 1.0, 1.0)

__getattr__ = legacy_constants(__name__, {
    "THIN_FILL": "thin_fill", "AXIS_TOLERANCE": "axis_tolerance", "BACKGROUND_SHARE": "background_share",
    "COLOR_TOLERANCE": "color_tolerance", "BAND_JOIN": "band_join",
})


@dataclass(frozen=True)
class Segment:
    """A straight piece of a rule: ``orientation`` 'h' (``pos`` is its y) or 'v' (``pos`` is its
    x); it runs from ``start`` to ``end`` (start <= end) along its own axis."""

    orientation: str
    pos: float
    start: float
    end: float


@dataclass(frozen=True)
class Fill:
    """A filled rectangle (x0 < x1, top < bottom, points) and its RGB colour (None when the
    colour is a pattern or cannot be told)."""

    x0: float
    top: float
    x1: float
    bottom: float
    color: tuple[float, float, float] | None = None

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageGraphics:
    """What a page draws: rule segments and shading fills."""

    segments: list[Segment] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)


def to_rgb(color) -> tuple[float, float, float] | None:
    """A pdfplumber colour (gray ``(g,)``, RGB, CMYK tuple, a bare number, or None: the PDF
    default, black) → an RGB triple in [0, 1]; None for a pattern or anything else."""
    if color is None:
        return (0.0, 0.0, 0.0)
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not all(isinstance(c, (int, float)) for c in color):
        return None
    if len(color) == 1:
        g = float(color[0])
        return (g, g, g)
    if len(color) == 3:
        return tuple(float(c) for c in color)  # type: ignore[return-value]
    if len(color) == 4:
        c, m, y, k = (float(v) for v in color)
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _same_color(a: tuple[float, float, float] | None, b: tuple[float, float, float] | None,
                tolerance: float) -> bool:
    """Two colours whose channels differ by at most ``tolerance``."""
    return a is not None and b is not None and all(abs(x - y) <= tolerance for x, y in zip(a, b))


def _box_segments(x0: float, top: float, x1: float, bottom: float) -> list[Segment]:
    """The four sides of a stroked rectangle (a side of zero length is left out)."""
    out = []
    if x1 > x0:
        out += [Segment("h", top, x0, x1), Segment("h", bottom, x0, x1)]
    if bottom > top:
        out += [Segment("v", x0, top, bottom), Segment("v", x1, top, bottom)]
    return out


def _bar_segment(x0: float, top: float, x1: float, bottom: float, thin: float) -> Segment | None:
    """A thin box (a bar) → one centre-line segment along its long axis; None for a dot (no
    side ``thin`` points long)."""
    w, h = x1 - x0, bottom - top
    if max(w, h) < thin:
        return None
    if h <= w:
        return Segment("h", (top + bottom) / 2, x0, x1)
    return Segment("v", (x0 + x1) / 2, top, bottom)


def _piece(a: tuple[float, float], b: tuple[float, float], axis: float) -> Segment | None:
    """The straight piece a → b as a segment when it is horizontal or vertical (its ends differ
    by at most ``axis`` points across)."""
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= axis and abs(ax - bx) > axis:
        return Segment("h", (ay + by) / 2, min(ax, bx), max(ax, bx))
    if abs(ax - bx) <= axis and abs(ay - by) > axis:
        return Segment("v", (ax + bx) / 2, min(ay, by), max(ay, by))
    return None


def _is_box(points: list[tuple[float, float]], x0: float, top: float, x1: float, bottom: float,
            axis: float) -> bool:
    """Every point of a closed path lies on a corner of its bounding box, within ``axis``
    points (a rectangle drawn as a path rather than with ``re``)."""
    return len(points) >= 4 and all(
        min(abs(x - x0), abs(x - x1)) <= axis and min(abs(y - top), abs(y - bottom)) <= axis
        for x, y in points)


def page_graphics(lines: Iterable[dict], rects: Iterable[dict], curves: Iterable[dict],
                  width: float, height: float, settings: ExtractSettings = DEFAULT_SETTINGS) -> PageGraphics:
    """pdfplumber's ``page.lines``, ``page.rects``, ``page.curves`` of a ``width`` × ``height``
    page → its rule segments and visible fills (see the module's docstring).

    A line or curve that is not stroked draws nothing as a rule; a diagonal line is no rule. A
    rectangle both stroked and filled gives its sides and its fill. ``settings``: ``thin_fill``,
    ``axis_tolerance``, ``background_share``, ``color_tolerance``.
    """
    thin_fill, axis = settings.thin_fill, settings.axis_tolerance
    background_share = settings.background_share
    segments: list[Segment] = []
    boxes: list[tuple[float, float, float, float, tuple[float, float, float] | None]] = []

    for obj in lines:
        if not obj.get("stroke", True):
            continue
        pts = obj.get("pts") or [(obj["x0"], obj["top"]), (obj["x1"], obj["bottom"])]
        for a, b in zip(pts, pts[1:]):
            seg = _piece(a, b, axis)
            if seg is not None:
                segments.append(seg)

    def shape(x0: float, top: float, x1: float, bottom: float, stroke: bool, fill: bool,
              color, box_sides: bool) -> None:
        if min(x1 - x0, bottom - top) < thin_fill:
            if stroke or fill:
                boxes.append((x0, top, x1, bottom, to_rgb(color) if fill and not stroke else None))
            return
        if stroke and box_sides:
            segments.extend(_box_segments(x0, top, x1, bottom))
        if fill:
            boxes.append((x0, top, x1, bottom, to_rgb(color)))

    for obj in rects:
        shape(obj["x0"], obj["top"], obj["x1"], obj["bottom"], bool(obj.get("stroke")),
              bool(obj.get("fill")), obj.get("non_stroking_color"), box_sides=True)

    for obj in curves:
        x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        pts = obj.get("pts") or []
        stroke, fill = bool(obj.get("stroke")), bool(obj.get("fill"))
        if stroke and min(x1 - x0, bottom - top) >= thin_fill:
            for a, b in zip(pts, pts[1:]):
                seg = _piece(a, b, axis)
                if seg is not None:
                    segments.append(seg)
        if (fill and _is_box(pts, x0, top, x1, bottom, axis)) or min(x1 - x0, bottom - top) < thin_fill:
            shape(x0, top, x1, bottom, stroke, fill, obj.get("non_stroking_color"), box_sides=False)

    background = WHITE
    area = width * height
    page_size = [b for b in boxes if area > 0 and (b[2] - b[0]) * (b[3] - b[1]) >= background_share * area]
    if page_size:
        background = page_size[-1][4] or WHITE
    fills: list[Fill] = []
    for x0, top, x1, bottom, color in boxes:
        thin = min(x1 - x0, bottom - top) < thin_fill
        if _same_color(color, background, settings.color_tolerance):
            continue  # invisible on the page (a stroked bar carries no colour here: kept)
        if thin:
            seg = _bar_segment(x0, top, x1, bottom, thin_fill)
            if seg is not None:
                segments.append(seg)
        elif (x1 - x0) * (bottom - top) < background_share * area:
            fills.append(Fill(x0, top, x1, bottom, color))
    return PageGraphics(segments=segments, fills=fills)


def as_segments(items: Iterable) -> list[Segment]:
    """Segments, or pdfplumber edge dicts (``page.edges``: 'orientation', x0, x1, top, bottom)
    read as centre-line segments; anything else is an error (TypeError)."""
    out: list[Segment] = []
    for item in items:
        if isinstance(item, Segment):
            out.append(item)
        elif isinstance(item, dict):
            if item.get("orientation") == "h":
                out.append(Segment("h", (item["top"] + item["bottom"]) / 2, item["x0"], item["x1"]))
            elif item.get("orientation") == "v":
                out.append(Segment("v", (item["x0"] + item["x1"]) / 2, item["top"], item["bottom"]))
        else:
            raise TypeError(f"not a segment or an edge: {item!r}")
    return out


def fill_bands(fills: Iterable[Fill], settings: ExtractSettings = DEFAULT_SETTINGS) -> list[Fill]:
    """Fills joined into bands: fills of one colour (within ``settings.color_tolerance``) side
    by side on the same top and bottom (within ``settings.band_join`` points) that touch become
    one fill (a row shaded cell by cell)."""
    join, color_tolerance = settings.band_join, settings.color_tolerance
    bands: list[Fill] = []
    for f in sorted(fills, key=lambda f: (round(f.top), round(f.bottom), f.x0)):
        for i in range(len(bands) - 1, max(-1, len(bands) - 8), -1):
            b = bands[i]
            if (abs(b.top - f.top) <= join and abs(b.bottom - f.bottom) <= join
                    and f.x0 <= b.x1 + join and f.x1 >= b.x0 - join
                    and (_same_color(b.color, f.color, color_tolerance) or b.color == f.color)):
                bands[i] = Fill(min(b.x0, f.x0), min(b.top, f.top), max(b.x1, f.x1),
                                max(b.bottom, f.bottom), b.color)
                break
        else:
            bands.append(f)
    return bands
