"""Ruling lines: merge the drawn segments into rules and group rules into table regions.

Segments come from :mod:`.graphics` (a page's lines, rectangle sides and thin bars as centre
lines). Shading is no rule, but a wide shaded band (zebra rows) is evidence of where rows begin
and end when no lattice is drawn around it: :func:`with_fill_rules` adds its top and bottom.
Units: PDF points, origin top-left. The tolerances (``join_tolerance``, ``side_reach``,
``align_tolerance``, ``max_line_spread``, ``min_table_rule``, ``same_table_overlap``,
``min_band_width``, ``band_span_share``, ``band_on_rule``) are fields of
:class:`.settings.ExtractSettings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .graphics import Fill, as_segments, fill_bands
from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants

__getattr__ = legacy_constants(__name__, {
    "JOIN_TOLERANCE": "join_tolerance", "SIDE_REACH": "side_reach", "ALIGN_TOLERANCE": "align_tolerance",
    "MAX_LINE_SPREAD": "max_line_spread", "MIN_TABLE_RULE": "min_table_rule",
    "SAME_TABLE_OVERLAP": "same_table_overlap", "MIN_BAND_WIDTH": "min_band_width",
    "BAND_SPAN_SHARE": "band_span_share", "BAND_ON_RULE": "band_on_rule",
})


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


def merge_segments(segments: list[tuple[float, float, float]],
                   settings: ExtractSettings = DEFAULT_SETTINGS) -> list[Rule]:
    """(pos, start, end) segments → rules: collinear segments that touch become one rule.

    Segments are on one line when their positions chain within ``settings.align_tolerance`` (a
    line spans at most ``settings.max_line_spread``): borders drawn cell by cell wander by a
    fraction of a point. On a line, segments whose extents touch (gaps up to
    ``settings.join_tolerance``) join; the rule lies at the length-weighted mean position of its
    segments.
    """
    align, spread, join = settings.align_tolerance, settings.max_line_spread, settings.join_tolerance
    lines: list[list[tuple[float, float, float]]] = []
    for seg in sorted(segments):
        if lines and seg[0] - lines[-1][-1][0] <= align and seg[0] - lines[-1][0][0] <= spread:
            lines[-1].append(seg)
        else:
            lines.append([seg])
    rules: list[Rule] = []
    for line in lines:
        runs: list[list[tuple[float, float, float]]] = []
        reach = None
        for seg in sorted(line, key=lambda s: (s[1], s[2])):
            if runs and seg[1] <= reach + join:
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


def page_rules(segments: Iterable, settings: ExtractSettings = DEFAULT_SETTINGS) -> tuple[list[Rule], list[Rule]]:
    """Rule segments (:class:`.graphics.Segment`, or pdfplumber edge dicts such as
    ``page.edges``) → (horizontal, vertical) rules, collinear touching segments merged (see
    :func:`merge_segments`)."""
    segs = as_segments(segments)
    horizontal = [(s.pos, s.start, s.end) for s in segs if s.orientation == "h"]
    vertical = [(s.pos, s.start, s.end) for s in segs if s.orientation == "v"]
    return merge_segments(horizontal, settings), merge_segments(vertical, settings)


def with_fill_rules(horizontal: list[Rule], vertical: list[Rule], fills: Iterable[Fill],
                    settings: ExtractSettings = DEFAULT_SETTINGS) -> list[Rule]:
    """``horizontal`` plus the top and bottom edges of the shaded row bands among ``fills``
    (marked ``from_fill``), sorted by position.

    A band counts where it can be a row: at least ``settings.min_band_width`` wide, not inside a
    lattice that the drawn rules make (there, rules bound the rows and shading is decoration),
    and inside a table of horizontal rules only when it spans ``settings.band_span_share`` of
    its width. An edge lying on a drawn rule (within ``settings.band_on_rule``) adds nothing.
    """
    on_rule = settings.band_on_rule
    regions = find_regions(horizontal, vertical, settings=settings)
    extra: list[tuple[float, float, float]] = []
    for band in fill_bands(fills, settings):
        if band.width < settings.min_band_width:
            continue
        cx, cy = (band.x0 + band.x1) / 2, (band.top + band.bottom) / 2
        host = next((r for r in regions if r.x0 - 2 <= cx <= r.x1 + 2 and r.top - 1 <= cy <= r.bottom + 1), None)
        if host is not None and (host.ruled or band.width < settings.band_span_share * (host.x1 - host.x0)):
            continue
        for y in (band.top, band.bottom):
            if not any(abs(h.pos - y) <= on_rule and h.covers(band.x0, band.x1, slack=on_rule)
                       for h in horizontal):
                extra.append((y, band.x0, band.x1))
    added = merge_segments(extra, settings)
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
    # The boxes of the chars a rules-only region holds (extract's BOX_KEYS, arrays), set when the
    # page's were read as arrays: its table is built pages later and reads them again otherwise.
    glyph_boxes: list | None = field(default=None, repr=False, compare=False)

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
                 fills: Iterable[Fill] = (), settings: ExtractSettings = DEFAULT_SETTINGS) -> list[Region]:
    """Group horizontal rules, top to bottom, into table regions.

    Only rules at least ``settings.min_table_rule`` long count. A rule joins the region above it
    when their x-extents overlap (by ``settings.same_table_overlap`` of the shorter), and (for a
    lattice) some vertical rule within ``settings.side_reach`` of the region bridges the gap
    (reaching it within ``settings.join_tolerance``), and ``is_break(top, bottom)`` does not see
    a caption between. A gap inside one shaded band (``fills``, at least
    ``settings.min_band_width`` wide) is one row: it never breaks the table.
    """
    join, side, on_rule = settings.join_tolerance, settings.side_reach, settings.band_on_rule
    same_overlap = settings.same_table_overlap
    bands = [b for b in fill_bands(fills, settings) if b.width >= settings.min_band_width]
    regions: list[Region] = []
    # The last region grew since its vertical rules were found: they are found again only when
    # a decision needs them (whether it is a lattice), not at every rule it takes.
    stale = False
    for rule in sorted((r for r in horizontal if r.length >= settings.min_table_rule), key=lambda r: r.pos):
        current = regions[-1] if regions else None
        if current is not None:
            shorter = min(rule.length, current.x1 - current.x0)
            same_width = _overlap(rule.start, rule.end, current.x0, current.x1) >= same_overlap * shorter
            gap_top, gap_bottom = current.bottom, rule.pos
            bridged = any(v.start <= gap_top + join and v.end >= gap_bottom - join
                          for v in vertical if current.x0 - side <= v.pos <= current.x1 + side)
            joins = same_width
            if same_width and not bridged:
                if stale:
                    current.vertical = [v for v in vertical if _in_region(v, current, side)]
                    stale = False
                lattice = current.ruled or any(current.x0 - side <= v.pos <= current.x1 + side
                                               for v in vertical if v.start <= gap_bottom and v.end >= gap_top)
                shaded = any(b.top <= gap_top + on_rule and b.bottom >= gap_bottom - on_rule
                             and _overlap(b.x0, b.x1, current.x0, current.x1) > 0 for b in bands)
                joins = not lattice and (shaded or not is_break(gap_top, gap_bottom))
            if joins:
                current.horizontal.append(rule)
                current.x0, current.x1 = min(current.x0, rule.start), max(current.x1, rule.end)
                stale = True
                continue
        region = Region(rule.start, rule.end, [rule])
        region.vertical = []
        regions.append(region)
        stale = False
    for region in regions:
        region.vertical = [v for v in vertical if _in_region(v, region, side)]
        # Outer verticals stand a little outside rules stopped short of the corners.
        if region.vertical:
            region.x0 = min(region.x0, min(v.pos for v in region.vertical))
            region.x1 = max(region.x1, max(v.pos for v in region.vertical))
    # A table has at least two rules with something between them.
    return [r for r in regions if len(r.horizontal) >= 2 and r.bottom - r.top > settings.min_table_height]


def _in_region(v: Rule, region: Region, side_reach: float) -> bool:
    return (region.x0 - side_reach <= v.pos <= region.x1 + side_reach
            and _overlap(v.start, v.end, region.top - 1, region.bottom + 1) > 1)
