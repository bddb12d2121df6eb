"""Every tolerance of the OCR path, named, in one frozen dataclass.

Units: ``dpi`` dots per inch; ``pt`` PDF points (1/72 inch, origin top-left); ``px`` pixels of the
page image rendered at :attr:`OcrSettings.dpi`; ``share`` a fraction in [0, 1]; ``deg`` degrees.
Lengths that the image work needs are given in points and turned into pixels with
:meth:`OcrSettings.px`, so a change of resolution keeps their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OcrSettings:
    # Render resolution (dpi). Tesseract reads 7-8 pt table text best at 300 dpi (x-height of
    # about 20 px); 200 dpi lost small commas in the trial, 400 dpi doubled the time for nothing.
    dpi: int = 300
    # A rule is a dark run at least this long (pt): longer than any glyph stroke of body text
    # (a 10 pt em dash is about 10 pt), shorter than the narrowest column (a K column, ~15 pt).
    min_rule_length: float = 12.0
    # Outside the tables a straight run is a rule to erase only when at least this long (pt):
    # the stems and bars of a large title's letters are straight runs too (a 20 pt capital is
    # 14 pt tall, a 36 pt one 26 pt), while underlines and separators are longer.
    free_rule_length: float = 60.0
    # Deskew: only runs at least this long (pt) measure the page's skew (the long table rules);
    # the angle is the median of theirs, ignored when below ``min_skew`` or above ``max_skew``
    # (deg: a larger angle is a page turned on purpose, not a scanner's skew).
    skew_rule_length: float = 150.0
    min_skew: float = 0.05
    max_skew: float = 5.0
    # Rules closer than this (pt) are one grid edge (a rule 2-4 px thick, a doubled border).
    edge_cluster: float = 3.0
    # A grid edge is drawn between two atomic cells when the rule mask covers at least this share
    # of the boundary (a scanned rule has gaps where the toner or the threshold broke it).
    edge_cover: float = 0.6
    # A table is a group of connected rules at least this wide and tall (pt): smaller groups are
    # boxes around a logo or a signature, not a table with cells.
    min_table_width: float = 100.0
    min_table_height: float = 30.0
    # Pixels within this margin (pt) of a rule's centre line are left out when a cell is read (the
    # rule itself is erased): a sign printed against the rule (`0 -` right-aligned) must survive.
    cell_margin: float = 0.4
    # A cell whose ink (specks wiped) covers less than this share of its inner area is empty. A
    # lone '-' of a 7 pt font is about 30 px at 300 dpi, 0.1 % of a wide, tall cell: lower still.
    min_ink_share: float = 0.0002
    # Ink blobs smaller than this (px at 300 dpi: well under a printed full stop of a 7 pt font,
    # about 16 px) are scanner noise and are wiped before a cell is read.
    min_speck_px: int = 6
    # A sign (``-``, ``%``) further from its neighbour than this share of the line's cap height
    # is a separate word even when Tesseract joined them (``0 -``, ``80 %`` printed with a space):
    # a word space leaves an ink gap of about 0.4 cap height, a glyph next to a sign about 0.15.
    space_gap: float = 0.3
    # Text outside the tables: lines whose mean word confidence is under this (0-100) are noise.
    min_line_confidence: float = 30.0
    # Text lines outside the tables (:mod:`.layout`), found at any type size: each glyph reaches
    # sideways this share of its own height (a word space is about 0.4 of a capital's height and
    # a lower-case letter is 0.7 of one; a justified line's spaces reach a capital's height), its top and bottom this share cut off (so neighbouring
    # lines never touch); marks (commas, dots, accents) join the line whose box grown by this
    # share of its height holds them, when their own height is at most this share of the line's
    # (a serif g's lower bowl, broken off by a light scan, is half a capital's height).
    line_word_gap: float = 1.0
    line_band: float = 0.25
    line_margin: float = 0.35
    line_mark_share: float = 0.6
    # A line lower than this (pt) that holds no mark of a line is a speck; a piece of ink taller
    # than this (pt) is no glyph (a logo, a stamp: a 48 pt capital is 35 pt tall).
    min_line_height: float = 3.0
    max_glyph_height: float = 48.0
    # Each line is scaled so that its tallest glyphs (capitals, ascenders) are this high (px)
    # before it is read, an x-height of about 23 px, where Tesseract reads best: a 20 pt title
    # (60 px capitals at 300 dpi) is scaled down, 7 pt print up, each within the bounds below.
    # Measured on the scanned corpus pages and on drawn text pages (8-24 pt, skew, noise):
    # 28-36 px read alike (a word or two apart in 2,800); 22 px lost digits there ('1' as '4').
    line_glyph_px: float = 32.0
    line_min_scale: float = 0.25
    line_max_scale: float = 3.0

    # Two look-alike characters of a line whose boxes overlap by this share of the narrower one
    # are one glyph the engine read twice (``0O``).
    double_overlap: float = 0.6
    # A mark alone in a cell that no reading took up is a '-' when it is a flat bar: at most
    # this tall (pt; a hyphen's stroke is about 0.1 em, a 10 pt font's 1 pt) and at least this
    # many times as wide as tall.
    dash_max_height: float = 1.5
    dash_min_aspect: float = 2.0
    # Each crop is scaled by this before it is read: Tesseract's LSTM reads best with a text
    # height of 30-40 px; a 7-8 pt line at 300 dpi is 20-25 px, and a lone digit that small is
    # misread ('1' as '4') more often.
    upscale: float = 1.5
    # A mark of a number cell that no reading covers counts (lowers the cell's confidence) when
    # it is at least this big (px at 300 dpi): a '-' of a 7 pt font is about 15 × 3 px; specks
    # the scanner left are smaller (cells are wiped of marks under ``min_speck_px`` anyway).
    min_unread_mark_px: int = 20

    # Glyph maps (:mod:`.glyphmap`): a font without a Unicode map, read from its glyphs' shapes.
    # The page is rendered so that the smallest such glyph's em is this tall (px): both engines
    # read text lines 30-50 px high best (RapidOCR scales every line to 48 px).
    glyph_em_px: float = 40.0
    # ... at no more than this many pixels in all (a page drawn 200 inches wide stays bounded).
    glyph_max_pixels: int = 40_000_000
    # A glyph's ink may reach this far (em) out of its box (italics, kerned pairs, a glyph
    # program drawing past its advance): its pieces of ink are looked for that far around.
    glyph_overhang: float = 0.25
    # A glyph's box holds ink when its darkest pixel is darker than this (0 black … 255 white).
    glyph_ink_level: int = 128
    # Ruling lines are whitened this far (pt) around their centre line before a run is cut, so a
    # rule crossing a glyph's box is never read as a stroke (rules are 0.5-1.5 pt thick).
    glyph_rule_halo: float = 1.0
    # The glyphs of one font read as one line: on one baseline (tops within this share of the
    # size), each starting at most this far (em) right of the previous one's end (a word space
    # is 0.25-0.35 em; a wider gap is another cell), at most this many glyphs.
    glyph_same_line: float = 0.2
    glyph_run_gap: float = 0.6
    glyph_run_max: int = 60
    # An engine's reading of a code counts when at least this share of the runs it read
    # (aligned: as many characters as inked glyphs) give the code that character.
    glyph_min_share: float = 0.8
    # A code with this many aligned readings from Tesseract is settled: runs whose codes are
    # all settled are not read again (a long document costs a few pages of reading); the
    # second engine, which checks Tesseract's readings, reads until it has this many per code.
    glyph_enough_votes: int = 12
    glyph_check_votes: int = 4
    # Two glyph shapes are one when their pictures, scaled to this height (px), have at most
    # this share of their ink pixels more than a pixel away from the other's ink.
    glyph_shape_px: int = 32
    glyph_same_shape: float = 0.05
    # A page where more than this share of the font's glyphs show no ink in their box cannot be
    # mapped (the glyph boxes miss the drawing: a broken font matrix): it is read as a scan.
    glyph_max_blank: float = 0.5

    def px(self, points: float) -> int:
        """``points`` (pt) as a whole number of pixels at :attr:`dpi` (at least 1)."""
        return max(1, round(points * self.dpi / 72.0))

    def pt(self, pixels: float) -> float:
        """``pixels`` at :attr:`dpi` as PDF points."""
        return pixels * 72.0 / self.dpi


DEFAULT_OCR_SETTINGS = OcrSettings()
