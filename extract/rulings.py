"""Ruling lines: merge the drawn segments into rules and group rules into table regions.

Segments come from :mod:`.graphics` (a page's lines, rectangle sides and thin bars as centre
lines). Shading is no rule, but a wide shaded band (zebra rows) is evidence of where rows begin
and end when no lattice is drawn around it: :func:`with_fill_rules` adds its top and bottom.
Units: PDF points, origin top-left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .graphics import Fill, as_segments, fill_bands

# Segments closer than this (points) along their own axis are one rule: Writer draws each cell
# border as its own segment (they touch or overlap by a hair), other producers stop each cell's
# segment short of the corner (up to ~3 pt at each end: gaps up to 6 pt), dashed rules leave
# gaps of a few points.
JOIN_TOLERANCE = 6.5
# A vertical this close (points) outside a table's horizontal rules is its side: the producer
# stopped the horizontal segments short of the corner.
SIDE_REACH = JOIN_TOLERANCE
# Segments whose positions differ by less than this are on one line (line width, rounding).
ALIGN_TOLERANCE = 1.2
# Positions chained within ALIGN_TOLERANCE stay one line only up to this spread (points): a
# bar's jitter is sub-point, two parallel rules further apart are two rules.
MAX_LINE_SPREAD = 2 * ALIGN_TOLERANCE
# A horizontal rule shorter than this cannot bound a table (underlines, bullets).
MIN_TABLE_RULE = 60.0
# Rules whose x-extents overlap by less than this share of the shorter rule are different tables.
SAME_TABLE_OVERLAP = 0.5
# A fill narrower than this (points) shades a cell or a text line, not a row: it bounds no row.
MIN_BAND_WIDTH = MIN_TABLE_RULE
# Inside a table drawn with horizontal rules only, a fill is a row band when it spans at least
# this share of the table's width (Word shades a cell or a line of text with narrower fills).
BAND_SPAN_SHARE = 0.9
# A band's edge this close (points) to a drawn rule that runs along it is that rule.
BAND_ON_RULE = 2.0


@dataclass
class Rule:
    """A straight rule: ``pos`` is its y (horizontal) or x (vertical); [start, end] its extent."""

    pos: float
    start: float
    end: float
    # The rule is the top or bottom edge of a shaded band, not a drawn line.
    from_fill: bool = False

    @property
    def length(self) -> float:
        return self.end - self.start

    def covers(self, a: float, b: float, slack: float = 1.0) -> bool:
        """True when the rule runs over the whole interval [a, b] (less ``slack`` each end)."""
        return self.start <= a + slack and self.end >= b - slack


def merge_segments(segments: list[tuple[float, float, float]]) -> list[Rule]:
    """(pos, start, end) segments → rules: collinear segments that touch become one rule.

    Segments are on one line when their positions chain within :data:`ALIGN_TOLERANCE` (a
    line spans at most :data:`MAX_LINE_SPREAD`): borders drawn cell by cell wander by a fraction
    of a point. On a line, segments whose extents touch (gaps up to :data:`JOIN_TOLERANCE`)
    join; the rule lies at the length-weighted mean position of its segments.
    """
    lines: list[list[tuple[float, float, float]]] = []
    for seg in sorted(segments):
        if lines and seg[0] - lines[-1][-1][0] <= ALIGN_TOLERANCE and seg[0] - lines[-1][0][0] <= MAX_LINE_SPREAD:
            lines[-1].append(seg)
        else:
            lines.append([seg])
    rules: list[Rule] = []
    for line in lines:
        runs: list[list[tuple[float, float, float]]] = []
        reach = None
        for seg in sorted(line, key=lambda s: (s[1], s[2])):
            if runs and seg[1] <= reach + JOIN_TOLERANCE:
                runs[-1].append(seg)
                reach = max(reach, seg[2])
            else:
                runs.append([seg])
                reach = seg[2]
        for run in runs:
            weight = sum(max(e - s, 1e-6) for _, s, e in run)
            pos = sum(p * max(e - s, 1e-6) for p, s, e in run) / weight
            rules.append(Rule(pos, min(s for _, s, _ in run), max(e for _, _, e in run)))
    rules.sort(key=lambda r: (r.pos, r.start))
    return rules


def page_rules(segments: Iterable) -> tuple[list[Rule], list[Rule]]:
    """Rule segments (:class:`.graphics.Segment`, or pdfplumber edge dicts such as
    ``page.edges``) → (horizontal, vertical) rules, collinear touching segments merged."""
    segs = as_segments(segments)
    horizontal = [(s.pos, s.start, s.end) for s in segs if s.orientation == "h"]
    vertical = [(s.pos, s.start, s.end) for s in segs if s.orientation == "v"]
    return merge_segments(horizontal), merge_segments(vertical)


def with_fill_rules(horizontal: list[Rule], vertical: list[Rule], fills: Iterable[Fill]) -> list[Rule]:
    """``horizontal`` plus the top and bottom edges of the shaded row bands among ``fills``
    (marked ``from_fill``), sorted by position.

    A band counts where it can be a row: at least :data:`MIN_BAND_WIDTH` wide, not inside a
    lattice that the drawn rules make (there, rules bound the rows and shading is decoration),
    and inside a table of horizontal rules only when it spans :data:`BAND_SPAN_SHARE` of its
    width. An edge lying on a drawn rule adds nothing.
    """
    regions = find_regions(horizontal, vertical)
    extra: list[tuple[float, float, float]] = []
    for band in fill_bands(fills):
        if band.width < MIN_BAND_WIDTH:
            continue
        cx, cy = (band.x0 + band.x1) / 2, (band.top + band.bottom) / 2
        host = next((r for r in regions if r.x0 - 2 <= cx <= r.x1 + 2 and r.top - 1 <= cy <= r.bottom + 1), None)
        if host is not None and (host.ruled or band.width < BAND_SPAN_SHARE * (host.x1 - host.x0)):
            continue
        for y in (band.top, band.bottom):
            if not any(abs(h.pos - y) <= BAND_ON_RULE and h.covers(band.x0, band.x1, slack=BAND_ON_RULE)
                       for h in horizontal):
                extra.append((y, band.x0, band.x1))
    added = merge_segments(extra)
    for rule in added:
        rule.from_fill = True
    return sorted(horizontal + added, key=lambda r: (r.pos, r.start))


@dataclass
class Region:
    """The rules of one table on one page."""

    x0: float
    x1: float
    horizontal: list[Rule] = field(default_factory=list)
    vertical: list[Rule] = field(default_factory=list)
    # Where the text, not a rule, bounds the table: a body running on below its last rule
    # (``text_bottom``), a continuation page printed without a top rule (``text_top``).
    text_top: float | None = None
    text_bottom: float | None = None

    @property
    def top(self) -> float:
        return self.text_top if self.text_top is not None else self.horizontal[0].pos

    @property
    def bottom(self) -> float:
        return self.text_bottom if self.text_bottom is not None else self.horizontal[-1].pos

    @property
    def continued(self) -> bool:
        """A piece that starts without a top rule: the body of a table from the page before."""
        return self.text_top is not None

    @property
    def ends_on_fill(self) -> bool:
        """The lowest rule is a shaded band's edge: rows printed unshaded may follow below it."""
        return self.text_bottom is None and bool(self.horizontal) and self.horizontal[-1].from_fill

    @property
    def open_bottom(self) -> bool:
        """The body runs past the last rule (the table may go on on the next page)."""
        return self.text_bottom is not None

    @property
    def ruled(self) -> bool:
        """A lattice: inner vertical rules drawn, not only horizontal ones."""
        inner = [v for v in self.vertical if self.x0 + 2 < v.pos < self.x1 - 2]
        return len(inner) >= 2


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def find_regions(horizontal: list[Rule], vertical: list[Rule],
                 is_break: callable = lambda top, bottom: False,
                 fills: Iterable[Fill] = ()) -> list[Region]:
    """Group horizontal rules, top to bottom, into table regions.

    A rule joins the region above it when their x-extents overlap, and (for a lattice) some
    vertical rule bridges the gap, and ``is_break(top, bottom)`` does not see a caption between.
    A gap inside one shaded band (``fills``, at least :data:`MIN_BAND_WIDTH` wide) is one row:
    it never breaks the table.
    """
    bands = [b for b in fill_bands(fills) if b.width >= MIN_BAND_WIDTH]
    regions: list[Region] = []
    for rule in sorted((r for r in horizontal if r.length >= MIN_TABLE_RULE), key=lambda r: r.pos):
        current = regions[-1] if regions else None
        if current is not None:
            shorter = min(rule.length, current.x1 - current.x0)
            same_width = _overlap(rule.start, rule.end, current.x0, current.x1) >= SAME_TABLE_OVERLAP * shorter
            gap_top, gap_bottom = current.bottom, rule.pos
            bridged = any(v.start <= gap_top + JOIN_TOLERANCE and v.end >= gap_bottom - JOIN_TOLERANCE
                          for v in vertical if current.x0 - SIDE_REACH <= v.pos <= current.x1 + SIDE_REACH)
            lattice = current.ruled or any(current.x0 - SIDE_REACH <= v.pos <= current.x1 + SIDE_REACH
                                           for v in vertical if v.start <= gap_bottom and v.end >= gap_top)
            shaded = any(b.top <= gap_top + BAND_ON_RULE and b.bottom >= gap_bottom - BAND_ON_RULE
                         and _overlap(b.x0, b.x1, current.x0, current.x1) > 0 for b in bands)
            if same_width and (bridged or (not lattice and (shaded or not is_break(gap_top, gap_bottom)))):
                current.horizontal.append(rule)
                current.x0, current.x1 = min(current.x0, rule.start), max(current.x1, rule.end)
                current.vertical = [v for v in vertical if _in_region(v, current)]
                continue
        region = Region(rule.start, rule.end, [rule])
        region.vertical = []
        regions.append(region)
    for region in regions:
        region.vertical = [v for v in vertical if _in_region(v, region)]
        # Outer verticals stand a little outside rules stopped short of the corners.
        if region.vertical:
            region.x0 = min(region.x0, min(v.pos for v in region.vertical))
            region.x1 = max(region.x1, max(v.pos for v in region.vertical))
    # A table has at least two rules with something between them.
    return [r for r in regions if len(r.horizontal) >= 2 and r.bottom - r.top > 4]


def _in_region(v: Rule, region: Region) -> bool:
    return (region.x0 - SIDE_REACH <= v.pos <= region.x1 + SIDE_REACH
            and _overlap(v.start, v.end, region.top - 1, region.bottom + 1) > 1)
