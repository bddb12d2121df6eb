"""Every tolerance of the extract stage, named, in one frozen dataclass (like pdfplumber's
``TableSettings``).

``ExtractSettings()`` holds the defaults the pipeline was tuned with; :data:`DEFAULT_SETTINGS`
is that instance. Pass another one to :func:`renjana.extract.extract_document` to change a
tolerance for one run::

    extract_document(path, ExtractSettings(join_tolerance=8.0))

Each extract module's public helpers take a ``settings: ExtractSettings = DEFAULT_SETTINGS``
keyword and pass it on, so one object decides every threshold of a run.

Units (each field's ``unit`` metadata, checked by ``__post_init__``):

- ``pt``: PDF points (origin top-left, as pdfplumber reports them);
- ``em``: a multiple of the font size of the text concerned;
- ``share``: a fraction in [0, 1] of some width, count or area named in the field's comment;
- ``ratio``: a multiple of some other length (named in the comment), not bounded by 1;
- ``count``: a whole number;
- ``deg``: degrees.

Every value must be finite and not negative; a ``share`` is at most 1; a count is an ``int``;
:attr:`~ExtractSettings.column_step` (a division) must be above 0. A wrong value raises
``ValueError`` (``TypeError`` for a count that is not an ``int``).

Three fields default to ``None`` and are derived from another field, as their constants were:
``side_reach`` = ``join_tolerance``, ``max_line_spread`` = 2 × ``align_tolerance`` and
``min_band_width`` = ``min_table_rule``. They are resolved when the object is made, so
``dataclasses.replace(settings, join_tolerance=8.0)`` keeps the *resolved* ``side_reach`` of
``settings``: build a new ``ExtractSettings(...)`` (or pass ``side_reach=None``) to derive again.

What is *not* here: patterns and character sets that define what text *is* (a caption line, a
code, a whole number, the characters of a column-number row, superscript digits) stay module
constants next to the code that reads them. They are vocabulary, not measures: there is no
amount to tune, and changing them changes what the stage recognises rather than how tolerant
it is. Small structural constants of an algorithm (how many previous rows a glyph is compared
with, the bucket grid of :func:`.glyphs.dedupe_overprint`, the 7 pt font size assumed for an
empty band) stay in their code too, and so do the one- and two-point slacks of containment
tests (a char or rule "inside" a region ± 1 pt, an inner vertical 2 pt inside a region's sides
in ``Region.ruled``): they absorb rounding, not a producer's habit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

__all__ = ["DEFAULT_SETTINGS", "ExtractSettings", "legacy_constants"]

_UNITS = ("pt", "em", "share", "ratio", "count", "deg")


def _pt(default: float | None):
    return field(default=default, metadata={"unit": "pt"})


def _em(default: float):
    return field(default=default, metadata={"unit": "em"})


def _share(default: float):
    return field(default=default, metadata={"unit": "share"})


def _ratio(default: float):
    return field(default=default, metadata={"unit": "ratio"})


def _count(default: int):
    return field(default=default, metadata={"unit": "count"})


def _deg(default: float):
    return field(default=default, metadata={"unit": "deg"})


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """The tolerances of the extract stage, grouped by the module that reads them (see the
    module docstring for units and validation)."""

    # ------------------------------------------------------------------ text_lines: glyphs → lines
    # Two characters belong to one line when their tops differ by less than this share of the
    # font size (sub-pixel baseline jitter, mixed fonts on one line).
    same_line_tolerance: float = _em(0.45)
    # A gap wider than this between two glyphs is a word space when the producer printed no
    # space glyph (ReportLab justified text, some converters); in letter-spaced text it is
    # measured above the run's own letter gap.
    word_gap_ratio: float = _em(0.17)
    # A glyph is a script of a line when its size is at most this share of the line's size
    # (superscripts are 58-70 % of the body size; mixed body fonts differ far less).
    script_size_ratio: float = _share(0.85)
    # At most this many glyphs in a row form one script run (`²`, `*)`, `th`, `12)`); a longer
    # run of small text is a line of its own.
    max_script_glyphs: int = _count(4)
    # A script's vertical extent overlaps the line's by at least this share of its own height
    # (a raised or lowered glyph still overlaps its line; a small line above or below does not).
    script_min_overlap: float = _share(0.25)
    # A script starts at most this far after (or ends before) a glyph of its line: printed
    # right next to it.
    script_max_gap: float = _em(0.35)
    # Glyph boxes may overlap this much and still be side by side (kerning, rounding).
    touch_tolerance: float = _pt(0.3)
    # A small glyph is raised when its middle is above the middle of the line's body glyphs by
    # more than this (of the body size): a small glyph on the baseline sits lower, not higher.
    raised_min_shift: float = _em(0.1)
    # Consecutive glyphs up to this gap may be one letter-spaced word; a wider gap always
    # separates words (or cells).
    letter_space_max: float = _em(0.6)
    # A run is letter-spaced when its typical letter gap is at least this (ordinary text: about
    # 0; ReportLab `setCharSpace(1)` at 7 pt: 0.14).
    letter_spaced_min: float = _em(0.1)
    # ... and at least half of its gaps lie this close to that typical gap (uniform spacing; a
    # justified line has near-zero gaps inside words instead).
    letter_gap_tolerance: float = _em(0.08)
    # A run needs this many gaps to show its own letter spacing; a shorter run takes the spacing
    # of a letter-spaced neighbour on its line when its gap matches it.
    min_spaced_gaps: int = _count(2)
    # Number glyphs whose ink gap is at most this touch: a space glyph between them is not a
    # word space (a producer that writes a number as several text objects).
    touch_gap: float = _pt(0.05)

    # ------------------------------------------------------------------ glyphs: fake-bold copies
    # Two copies of one glyph lie at most this far apart (each axis) when the second was drawn
    # to thicken the first: fake-bold offsets are a few tenths of a point.
    overprint_max_offset: float = _pt(1.0)
    # ... and their horizontal offset is below this share of the glyph's width: a real repeated
    # letter ("ll", "00") starts a whole advance width after the one before it.
    overprint_width_share: float = _share(0.5)
    # Font sizes closer than this are the same size (a copy has its original's size).
    overprint_same_size: float = _pt(0.1)

    # ------------------------------------------------------------------ graphics: segments, fills
    # A filled rectangle thinner than this in one direction is a rule drawn as a bar (browser
    # and office borders are 0.5-1 pt; the thinnest shaded text line is a few points tall).
    thin_fill: float = _pt(1.5)
    # A line or curve piece whose two ends differ by at most this across its run is horizontal
    # or vertical (rounding of the producer's coordinates).
    axis_tolerance: float = _pt(0.5)
    # A fill covering at least this share of the page's area is the page's background: its
    # colour is the background colour and it is no shading.
    background_share: float = _share(0.9)
    # Colour channels (RGB in [0, 1]) closer than this are one colour (8-bit rounding,
    # colour-space conversion).
    color_tolerance: float = _share(0.02)
    # Fills side by side whose tops and bottoms agree within this and that touch (gap at most
    # this) are one band: Word shades a row as one rectangle per cell.
    band_join: float = _pt(1.0)

    # ------------------------------------------------------------------ rulings: rules, regions
    # Collinear segments closer than this along their own axis are one rule: Writer draws each
    # cell border as its own segment (touching or overlapping by a hair), other producers stop
    # each segment up to ~3 pt short of the corner (gaps up to 6 pt), dashed rules leave gaps
    # of a few points. Also how far a vertical must reach to bridge the gap between two rules.
    join_tolerance: float = _pt(6.5)
    # A vertical this close outside a table's horizontal rules is its side: the producer stopped
    # the horizontal segments short of the corner. None: ``join_tolerance``.
    side_reach: float | None = _pt(None)
    # Segments whose positions differ by less than this are on one line (line width, rounding).
    align_tolerance: float = _pt(1.2)
    # Positions chained within ``align_tolerance`` stay one line only up to this spread: a bar's
    # jitter is sub-point, two parallel rules further apart are two rules. None: 2 ×
    # ``align_tolerance``.
    max_line_spread: float | None = _pt(None)
    # A horizontal rule shorter than this cannot bound a table (underlines, bullets).
    min_table_rule: float = _pt(60.0)
    # Rules whose x-extents overlap by less than this share of the shorter rule are different
    # tables.
    same_table_overlap: float = _share(0.5)
    # A fill narrower than this shades a cell or a text line, not a row: it bounds no row and
    # does not hold a table together. None: ``min_table_rule``.
    min_band_width: float | None = _pt(None)
    # Inside a table of horizontal rules only, a fill is a row band when it spans at least this
    # share of the table's width (Word shades a cell or a line of text with narrower fills).
    band_span_share: float = _share(0.9)
    # A band's edge this close to a drawn rule that runs along it is that rule.
    band_on_rule: float = _pt(2.0)
    # A table's top and bottom rules are more than this apart: it has something between them
    # (two rules closer together are a double rule).
    min_table_height: float = _pt(4.0)

    # ------------------------------------------------------------------ grid: cells
    # Edges closer than this are one edge (rules of one grid line drawn a hair apart).
    edge_cluster: float = _pt(2.0)
    # A space glyph starting this close to the end of the previous glyph belongs with it (a
    # trailing space may stick out past a narrow cell's edge).
    space_attach: float = _pt(0.5)

    # ------------------------------------------------------------------ columns: rules-only tables
    # Resolution of the column occupancy grid.
    column_step: float = _pt(0.25)
    # An empty run narrower than this is a word space, not a column gap.
    min_column_gap: float = _pt(1.6)
    # Glyphs of one body line closer than this count as one ink run (inside a word).
    word_join_ratio: float = _em(0.17)
    # Header glyphs closer than this are one ink run (across word spaces): a header phrase, whose
    # extent shows its column, must stay whole.
    phrase_join_ratio: float = _em(0.35)
    # How far a boundary guessed from the column numbers may move to reach a text gap.
    snap_distance: float = _pt(8.0)
    # Header phrases stacked in one cell are one block when each lies at most this far below the
    # one above it (a header cell's line pitch, with room for its leading).
    header_line_pitch: float = _em(1.6)

    # ------------------------------------------------------------------ rows: rows without rules
    # A line pitch up to this can be a wrapped line inside one cell; a larger pitch is always a
    # new row (Word, Writer, Calc and ReportLab wrap at 1.1-1.3 em).
    max_wrap_pitch: float = _em(1.45)
    # A gap this many times the table's wrap pitch is a new row (one cell padding above and
    # below, at least ~1 pt each, on a 7-9 pt pitch).
    row_gap_ratio: float = _ratio(1.12)
    # Consecutive line pitches below this are not wraps but lines of neighbouring cells printed
    # at slightly different heights (vertical centring, mixed fonts).
    min_wrap_pitch: float = _em(0.8)
    # A code column: at least this share of its texts look like a kode or a row number.
    code_share: float = _share(0.6)

    # ------------------------------------------------------------------ regions: text blocks
    # Two lines of one text block are at most this far apart (ink to ink): rows add a padding
    # above and below their text; a page number or footer sits further away.
    block_gap_ratio: float = _em(2.5)
    # Lines may overhang the table's rules by this much: text drawn to the cell edge.
    block_overhang: float = _pt(3.0)
    # A block needs a line at least this share of the table width to be a table's body, not a
    # page number or a short note.
    min_wide_line: float = _share(0.4)

    # ------------------------------------------------------------------ orientation: text direction
    # A glyph whose advance is within this of a quarter turn runs in that direction (producers'
    # rounding, slight skews of a retyped page; an italic font shears the glyph, not its advance).
    direction_snap_degrees: float = _deg(15.0)
    # The page's frame is a rotated direction only when more than this share of its
    # direction-known, non-space glyphs run that way: a few turned header labels do not turn it.
    turn_majority: float = _share(0.5)
    # A direction holding at least this many glyphs besides the page's frame is read on its own
    # for lattice tables (a second, turned table); fewer (a turned label, a margin note) are only
    # counted in the page's note.
    min_own_glyphs: int = _count(20)

    # ------------------------------------------------------------------ extract: tables of a page
    # A caption sits at most this far above its table.
    caption_max_gap: float = _pt(40.0)
    # Lines up to this much further up are read as the caption's upper lines (a caption wrapped
    # over a few lines).
    caption_reach: float = _pt(30.0)
    # Each upper line of a caption lies at most this far above the line below it (one line
    # pitch with its leading).
    caption_line_pitch: float = _em(1.2)
    # A rules-only table continues on the next page when its rules span the same x-extent
    # within this.
    same_extent: float = _pt(4.0)
    # A rule counts as drawn along a cell side when it covers that side but for this share of
    # its length at each end ...
    cover_share: float = _share(0.25)
    # ... and lies within ``edge_cluster`` plus this of the side (rules of a grid line wander).
    cover_slack: float = _pt(0.5)
    # A lattice's column edges lie at most this far outside its region (an outer vertical drawn
    # a little outside rules stopped short of the corner).
    lattice_edge_slack: float = _pt(3.0)
    # Header text joins across gaps this wide when deciding that a header cell spans columns;
    # printed space glyphs already join the words of one cell.
    header_join_ratio: float = _em(0.2)
    # Header bands searched for the column-number row of a rules-only table.
    max_header_bands: int = _count(6)
    # A body with this many bands between rules (per page piece) has its rows ruled: only a gap
    # splits a band.
    min_ruled_rows: int = _count(3)
    # Vertical rules running on this far past a lattice's outer rule leave it open there (a row
    # cut by the page break).
    open_side_min: float = _pt(4.0)
    # A rule closing a continued table spans at least this share of its width.
    closing_rule_share: float = _share(0.8)
    # A header line of unit labels (``K Rp %``) has at least this many tokens.
    min_unit_tokens: int = _count(3)

    def __post_init__(self) -> None:
        if self.side_reach is None:
            object.__setattr__(self, "side_reach", self.join_tolerance)
        if self.max_line_spread is None:
            object.__setattr__(self, "max_line_spread", 2 * self.align_tolerance)
        if self.min_band_width is None:
            object.__setattr__(self, "min_band_width", self.min_table_rule)
        for f in fields(self):
            value = getattr(self, f.name)
            unit = f.metadata["unit"]
            if unit == "count":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise TypeError(f"ExtractSettings.{f.name} is a count: {value!r} is not an int")
            elif not isinstance(value, (int, float)) or isinstance(value, bool):
                raise TypeError(f"ExtractSettings.{f.name} ({unit}): {value!r} is not a number")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"ExtractSettings.{f.name} ({unit}) must be finite and >= 0, not {value!r}")
            if unit == "share" and value > 1:
                raise ValueError(f"ExtractSettings.{f.name} is a share: {value!r} is above 1")
        if self.column_step <= 0:
            raise ValueError(f"ExtractSettings.column_step must be > 0, not {self.column_step!r}")

    @classmethod
    def units(cls) -> dict[str, str]:
        """Field name → its unit (``pt``, ``em``, ``share``, ``ratio``, ``count``, ``deg``)."""
        return {f.name: f.metadata["unit"] for f in fields(cls)}


DEFAULT_SETTINGS = ExtractSettings()


def legacy_constants(module: str, names: dict[str, str]):
    """A module ``__getattr__`` (PEP 562) that serves a module's former tolerance constants,
    ``names`` mapping each old name to its :class:`ExtractSettings` field, from
    :data:`DEFAULT_SETTINGS`: code that still imports ``JOIN_TOLERANCE`` by name reads the
    default. Setting such a name on the module changes nothing; pass settings instead."""

    def __getattr__(name: str):
        field_name = names.get(name)
        if field_name is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        return getattr(DEFAULT_SETTINGS, field_name)

    return __getattr__
