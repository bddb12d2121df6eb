"""The text lines of a page image outside its tables, found from the ink itself at any size.

A fixed smear (say 12 pt wide) joins the words of body text but cuts a 36 pt title into single
words, and joins a small caption to whatever lies within 12 pt. Here each glyph (a connected
piece of ink) reaches sideways by a share of its *own* height, so the words of one line join at
any type size while lines and columns stay apart:

1. pieces of ink smaller than a speck are dropped; pieces taller than
   ``settings.max_glyph_height`` are no glyph (a logo, a stamp) and are not read;
2. each glyph is drawn as its middle band (its top and bottom ``settings.line_band`` share cut
   off, so the ascenders and descenders of neighbouring lines never touch), widened on each side
   by ``settings.line_word_gap`` of its height; the connected bands are the lines;
3. a small piece inside no band of its own size (a comma, an i's dot, an accent) joins the
   nearest line whose box, grown by ``settings.line_margin`` of its height, holds it; a line lower than
   ``settings.min_line_height`` that no line holds is a speck.

Coordinates are pixels of the page image (row 0 at the top).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .settings import OcrSettings


@dataclass
class TextLineRegion:
    """One line of text on the page image: its ink's box (px), the height of its tallest
    glyphs (px, the cap or ascender height: what the reading scale is chosen from) and the
    labels of its pieces of ink in the label image :func:`find_lines` returns."""

    x0: int
    top: int
    x1: int
    bottom: int
    glyph_height: float
    pieces: list[int] = field(default_factory=list)


def find_lines(ink: np.ndarray, settings: OcrSettings) -> tuple[np.ndarray, list[TextLineRegion]]:
    """(labels, lines): ``labels`` numbers the pieces of ink of ``ink`` (255 where dark, 0
    elsewhere; the connected-components labels of OpenCV, 0 the ground) and ``lines`` are the
    text lines they form, top to bottom."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    max_h = settings.px(settings.max_glyph_height)
    glyph = [i for i in range(1, count) if area[i] >= settings.min_speck_px and h[i] <= max_h]
    # Step 2: the bands; a glyph belongs to the band its middle lies in.
    bands = np.zeros(ink.shape, np.uint8)
    for i in glyph:
        cut = int(h[i] * settings.line_band)
        reach = int(round(h[i] * settings.line_word_gap))
        cv2.rectangle(bands, (int(x[i]) - reach, int(y[i]) + cut),
                      (int(x[i] + w[i]) - 1 + reach, int(y[i] + h[i]) - 1 - cut), 255, thickness=-1)
    _, band_labels = cv2.connectedComponents(bands, connectivity=8)
    groups: dict[int, list[int]] = {}
    for i in glyph:
        cy = int(y[i] + h[i] // 2)
        cx = int(x[i] + w[i] // 2)
        groups.setdefault(int(band_labels[cy, cx]), []).append(i)
    lines = [_region(members, x, y, w, h) for members in groups.values()]
    # Step 3: a line that fits inside a taller line's grown box is a mark of that line.
    lines.sort(key=lambda line: line.glyph_height, reverse=True)
    kept: list[TextLineRegion] = []
    min_height = settings.px(settings.min_line_height)
    for line in lines:
        hosts = [k for k in kept if _holds(k, line, settings)]
        # The nearest line holds it: an i's dot of a tightly set line lies in the grown box of
        # the line above too.
        host = min(hosts, key=lambda k: _gap(k, line, x, y, w, h), default=None)
        if host is None:
            if line.bottom - line.top >= min_height:
                kept.append(line)
            continue  # else a speck alone
        host.pieces.extend(line.pieces)
        host.x0, host.top = min(host.x0, line.x0), min(host.top, line.top)
        host.x1, host.bottom = max(host.x1, line.x1), max(host.bottom, line.bottom)
    kept.sort(key=lambda line: (line.top, line.x0))
    return labels, kept


def _region(members: list[int], x, y, w, h) -> TextLineRegion:
    heights = sorted(int(h[i]) for i in members)
    # The tallest glyphs stand for the line's size; the 90th percentile ignores a lone bracket.
    tall = heights[min(len(heights) - 1, int(0.9 * len(heights)))]
    return TextLineRegion(x0=int(min(x[i] for i in members)), top=int(min(y[i] for i in members)),
                          x1=int(max(x[i] + w[i] for i in members)), bottom=int(max(y[i] + h[i] for i in members)),
                          glyph_height=float(tall), pieces=list(members))


def _gap(host: TextLineRegion, mark: TextLineRegion, x, y, w, h) -> float:
    """The vertical distance (px) from ``mark``'s middle to the ink of ``host`` around it (the
    host's glyphs within one glyph height sideways; 0 when the middle lies within them): local,
    so a line skewed a degree, whose box is taller than its glyphs, does not claim the marks of
    the next line. Infinite when ``host`` has no glyph there."""
    pieces = np.asarray(host.pieces)
    reach = host.glyph_height
    near = pieces[(x[pieces] <= mark.x1 + reach) & (x[pieces] + w[pieces] >= mark.x0 - reach)]
    if not len(near):
        return float("inf")
    top, bottom = float(y[near].min()), float((y[near] + h[near]).max())
    middle = (mark.top + mark.bottom) / 2
    return max(0.0, top - middle, middle - bottom)


def _holds(host: TextLineRegion, line: TextLineRegion, settings: OcrSettings) -> bool:
    """``line`` lies inside ``host``'s box grown by ``settings.line_margin`` of host's glyph
    height, and its own glyphs are at most ``settings.line_mark_share`` of host's (marks, or the
    loose piece of a glyph such as a serif g's lower bowl; not a line of the same size)."""
    grow = settings.line_margin * host.glyph_height
    return (line.glyph_height <= settings.line_mark_share * host.glyph_height
            and line.x0 >= host.x0 - grow and line.x1 <= host.x1 + grow
            and line.top >= host.top - grow and line.bottom <= host.bottom + grow)
