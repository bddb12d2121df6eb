"""Visible damage in a decoded JPEG scan whose decoder reported nothing.

A byte changed inside a JPEG's entropy-coded data is often decoded without a warning: libjpeg
(and Pillow, pdfium, simplejpeg strict) resynchronise on the next valid code and carry on. What
follows is decoded wrong in two ways that only a decoding error causes, because JPEG codes the
image as a stream of 8×8 blocks (MCUs) in raster order, each block's brightness (its DC
coefficient) as the difference from the block before:

* **DC drift**: every block after the damaged one carries the same brightness error, up to the
  image's end. The paper's grey level steps at a block boundary in the middle of a block row and
  stays changed; seen spatially, the change is a *staircase*: in that block row only the blocks
  right of the step change, in every row below the whole width does, and the level changes
  exactly at block boundaries (a plain block right above a plain block of the other level). A
  real shade (a filled cell, a shadow) is a region: the rows below it keep their paper level left
  of where it starts. A real edge (the border of the paper, of a shade) runs through pixels,
  blurred by the scanner's optics, so the blocks it crosses are not plain.
* **Block displacement**: the decoder reads one block too many or too few, so everything after is
  moved sideways by whole blocks. Vertical rules of a table then break at a block-row boundary
  and go on a whole number of blocks to the side, all of them by the same amount, with no rule
  crossing that boundary unbroken to the right of the break. A real table's rules end and start
  at a horizontal rule, or where the layout changes, not all at once off by a block.

:func:`visible_damage` looks for both in the decoded grey image (the one the damage check of
:mod:`renjana.stream_damage` decodes anyway) and says what it saw, or None. It is meant for
scanned pages: a paper ground and ruled tables are what it reads; a photograph has neither.
Thresholds are in :class:`JpegDamageSettings`; grey levels are 0 (black) … 255 (white), sizes
in pixels of the JPEG or in its blocks (MCUs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["JpegDamageSettings", "DEFAULT_JPEG_DAMAGE_SETTINGS", "mcu_size", "visible_damage"]


@dataclass(frozen=True)
class JpegDamageSettings:
    # A block whose pixels' standard deviation is at most this (grey levels) is plain: paper or a
    # fill. Scanner noise on paper is 1-2 levels after JPEG's smoothing; any glyph stroke is more.
    flat_std: float = 2.5
    # The paper level of a region: this percentile of its plain blocks' means (the paper is the
    # brightest plain ground; shaded cells and fills are darker and fewer).
    paper_percentile: float = 90.0
    # A region's paper level is known only from at least this many plain blocks.
    min_flat_blocks: int = 8
    # A DC drift is reported when the paper level steps by at least this (grey levels): the
    # paper level of clean scans varies by a few levels over a page, smoothly; the staircase
    # test (below) is what tells a drift from a shade, this only keeps the step visible.
    min_step: float = 6.0
    # A plain block is at a level when within this (grey levels) of it.
    level_tolerance: float = 2.0
    # Block rows above and below the step row whose paper level is compared.
    window_rows: int = 4
    # A step is a DC error only when at least this many plain blocks at the old level sit right
    # above plain blocks at the new one (the change falls exactly on a block boundary).
    min_sharp_pairs: int = 4
    # Pixels darker than this are ink (the rules' test).
    dark: int = 128
    # A vertical rule segment is ink in every pixel row of at least this many block rows in a
    # column (24 px at 8 px blocks: 3 mm at 200 dpi, taller than the body text's capitals).
    rule_blocks: int = 3
    # Block displacement is reported when at least this many rules break at one block-row
    # boundary and go on sideways by the same whole number of blocks.
    min_jogs: int = 3
    # A jog is a whole number of blocks (at most this many: a changed byte makes the decoder
    # read a few blocks too many or too few) to the side, within this many pixels.
    max_jog_blocks: int = 4
    jog_tolerance: int = 1


DEFAULT_JPEG_DAMAGE_SETTINGS = JpegDamageSettings()

# JPEG frame markers (SOF0-SOF15 without DHT, JPG and DAC): they give the components' sampling.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def mcu_size(data: bytes) -> tuple[int, int]:
    """The JPEG's MCU (width, height) in pixels from its frame header: 8 × the largest sampling
    factor of a colour image (16 × 16 for the usual 4:2:0), 8 × 8 for one component or when the
    header is not found."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:  # no length: SOI, TEM, fill, RSTn
            i += 1 if marker == 0xFF else 2
            continue
        if marker == 0xDA:  # start of scan: the frame header is before it
            break
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if marker in _SOF and i + 10 <= len(data):
            count = data[i + 9]
            factors = data[i + 11:i + 10 + 3 * count:3]
            if count <= 1 or len(factors) < count:
                return 8, 8
            return 8 * max(f >> 4 for f in factors), 8 * max(f & 15 for f in factors)
        i += 2 + length
    return 8, 8


def visible_damage(gray: np.ndarray, mcu: tuple[int, int] = (8, 8),
                   settings: JpegDamageSettings = DEFAULT_JPEG_DAMAGE_SETTINGS) -> str | None:
    """What in the decoded image ``gray`` (rows × columns, uint8, row 0 at the top, as the JPEG
    stores it) shows that its data was corrupted, in words; None when nothing does. ``mcu``:
    the JPEG's block (width, height) in pixels (:func:`mcu_size`)."""
    if gray.ndim != 2:
        return None
    height = gray.shape[0]
    drift = _dc_drift(gray, mcu, settings)
    if drift is not None:
        row, before, after = drift
        return (f"decodes without a warning, but its paper's grey level steps from {before:.0f} to {after:.0f} "
                f"at a JPEG block boundary {_down(row, height)}, part-way along a row of blocks and across the "
                "whole width below it (the brightness error a corrupted byte passes on to every later block)")
    jog = _displacement(gray, mcu, settings)
    if jog is not None:
        row, rules, shift = jog
        return (f"decodes without a warning, but {rules} of its vertical rules break {_down(row, height)} and go on "
                f"{abs(shift)} px to the {'right' if shift > 0 else 'left'}, a whole number of JPEG blocks (a "
                "corrupted byte shifts every later block sideways)")
    return None


def _down(row: int, height: int) -> str:
    return f"{100 * row / max(1, height):.0f} % down the image"


def _blocks(gray: np.ndarray, mcu: tuple[int, int], settings: JpegDamageSettings) -> tuple[np.ndarray, np.ndarray]:
    """(block means, plain blocks) over the whole blocks of the image, block rows × columns."""
    width, height = mcu
    rows, cols = gray.shape[0] // height, gray.shape[1] // width
    blocks = gray[:rows * height, :cols * width].reshape(rows, height, cols, width).astype(np.float32)
    return blocks.mean(axis=(1, 3)), blocks.std(axis=(1, 3)) <= settings.flat_std


def _paper(means: np.ndarray, flat: np.ndarray, settings: JpegDamageSettings) -> float | None:
    values = means[flat]
    return float(np.percentile(values, settings.paper_percentile)) if values.size >= settings.min_flat_blocks else None


def _dc_drift(gray: np.ndarray, mcu: tuple[int, int],
              settings: JpegDamageSettings) -> tuple[int, float, float] | None:
    """(pixel row of the step, paper level before, after) of the first staircase step of the
    paper level, or None. Row ``r`` is a step when the paper above and below it differ by at
    least ``min_step``, its own plain blocks are at the level above on the left and at the level
    below on the right, split at one block (no block of either level on the wrong side), the
    rows below are at the new level on that left part too, and the rows above at the old level
    on the right part, at least ``min_sharp_pairs`` plain blocks change level exactly at a
    block boundary (:func:`_sharp`), and the paper changes by the step between the pixel rows
    either side of the step's two boundaries (a real edge, skewed, runs through the rows near it)."""
    means, flat = _blocks(gray, mcu, settings)
    rows = means.shape[0]
    w, tol = settings.window_rows, settings.level_tolerance
    for r in range(1, rows - 1):
        above = _paper(means[max(0, r - w):r], flat[max(0, r - w):r], settings)
        below = _paper(means[r + 1:r + 1 + w], flat[r + 1:r + 1 + w], settings)
        if above is None or below is None or abs(below - above) < settings.min_step:
            continue
        old = np.nonzero(flat[r] & (np.abs(means[r] - above) <= tol))[0]
        new = np.nonzero(flat[r] & (np.abs(means[r] - below) <= tol))[0]
        if len(old) < 2 or len(new) < 2 or old.max() >= new.min():
            continue
        left, right = int(old.max()) + 1, int(new.min())
        below_left = _paper(means[r + 1:r + 1 + w, :left], flat[r + 1:r + 1 + w, :left], settings)
        above_right = _paper(means[max(0, r - w):r, right:], flat[max(0, r - w):r, right:], settings)
        if below_left is None or above_right is None:
            continue
        if abs(below_left - below) > tol or abs(above_right - above) > tol:
            continue
        # The level changes between two plain blocks, above and below one boundary (row r's
        # right part under row r - 1, row r + 1's left part under row r): no pixel in either
        # block passes from one level to the other. A real edge (a page's border, a shade's)
        # passes through pixels, blurred by the optics over a few, and leaves its blocks plain
        # on neither side; a DC error lifts a whole block at once.
        sharp = _sharp(means[r - 1, right:], flat[r - 1, right:], means[r, right:], flat[r, right:], above, below, tol)
        sharp += _sharp(means[r, :left], flat[r, :left], means[r + 1, :left], flat[r + 1, :left], above, below, tol)
        if sharp < settings.min_sharp_pairs:
            continue
        # And along the whole step the paper changes by the step between the pixel rows either
        # side of the boundary (the paper of a pixel row: its ``paper_percentile``; ink is the
        # lesser part of a row). A real edge, skewed, runs through the rows near it.
        y, x_right, x_left = r * mcu[1], right * mcu[0], left * mcu[0]
        pairs = [(gray[y - 1, x_right:], gray[y, x_right:]), (gray[y + mcu[1] - 1, :x_left], gray[y + mcu[1], :x_left])]
        q = settings.paper_percentile
        if all(abs(float(np.percentile(lower, q)) - float(np.percentile(upper, q)) - (below - above)) <= tol
               for upper, lower in pairs):
            return y, above, below
    return None


def _sharp(upper: np.ndarray, upper_flat: np.ndarray, lower: np.ndarray, lower_flat: np.ndarray,
           before: float, after: float, tol: float) -> int:
    """How many plain blocks at level ``before`` sit right above a plain block at ``after``."""
    return int(np.count_nonzero(upper_flat & lower_flat & (np.abs(upper - before) <= tol)
                                & (np.abs(lower - after) <= tol)))


def _displacement(gray: np.ndarray, mcu: tuple[int, int],
                  settings: JpegDamageSettings) -> tuple[int, int, int] | None:
    """(pixel row of the break, rules broken, shift in px) of the first block-row boundary where
    at least ``min_jogs`` vertical rules end exactly there and go on from exactly there, shifted by
    the same whole number of blocks, and no rule crosses the boundary unbroken right of the
    leftmost jog; or None. A table's corner is no jog: where a vertical rule meets a horizontal
    one, the horizontal rule's ink fills the row on both sides of the meeting point, so the rule
    going on does not start exactly at the boundary."""
    from numpy.lib.stride_tricks import sliding_window_view

    width, height = mcu
    rows = gray.shape[0] // height
    n = settings.rule_blocks
    if rows < 2 * n:
        return None
    ink = gray[:rows * height] < settings.dark
    full = ink.reshape(rows, height, gray.shape[1]).all(axis=1)  # a column inked through a block row
    runs = sliding_window_view(full, n, axis=0).all(axis=2)  # runs[i]: inked through rows i … i+n-1
    for r in range(n, rows - n + 1):
        ends = _centres(np.nonzero(runs[r - n] & ~full[r])[0])
        starts = _centres(np.nonzero(runs[r] & ~full[r - 1])[0])
        if len(ends) < settings.min_jogs or len(starts) < settings.min_jogs:
            continue
        y = r * height
        # Displaced blocks break a rule exactly at the boundary: inked in the last pixel row above
        # it and not in the first below (the rule that goes on: the other way round).
        ends = [x for x in ends if ink[y - 1, round(x)] and not ink[y, round(x)]]
        starts = [x for x in starts if ink[y, round(x)] and not ink[y - 1, round(x)]]
        by_shift: dict[int, list[float]] = {}
        for end in ends:
            for start in starts:
                shift = start - end
                blocks = round(shift / width)
                if blocks == 0 or abs(blocks) > settings.max_jog_blocks or \
                        abs(shift - blocks * width) > settings.jog_tolerance:
                    continue
                by_shift.setdefault(blocks, []).append(min(start, end))
        for blocks, xs in by_shift.items():
            if len(xs) < settings.min_jogs:
                continue
            crossing = np.nonzero(runs[r - n] & runs[r])[0]
            if not (crossing >= min(xs)).any():
                return y, len(xs), blocks * width
    return None


def _centres(columns: np.ndarray) -> list[float]:
    """The middle column of each run of adjacent columns (one rule a few pixels thick)."""
    if columns.size == 0:
        return []
    return [float(group.mean()) for group in np.split(columns, np.nonzero(np.diff(columns) > 1)[0] + 1)]
