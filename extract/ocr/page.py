"""One scanned page read by OCR: its lattice tables as :class:`~renjana.models.PageTable` and the
text outside them as :class:`~renjana.models.TextLine` objects, in PDF points (origin top-left).

Steps: render at ``settings.dpi`` (pypdfium2), deskew from the long rules, find the grid with
line morphology (OpenCV), erase the rules, read each cell with Tesseract, read number columns
again with a number whitelist where the first reading is not a valid number, and repair a
number reading only by the Indonesian number grammar (:mod:`.numbers`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from renjana.models import BBox, PageTable, RawCell, TextLine

from .grid import ImageGrid, find_grids
from .image import line_masks, prepare, render_page
from .layout import find_lines
from .numbers import (decimals_of, is_number_reading, is_valid, leading_number, looks_numeric, repair, repair_leading_count,
                      repair_nil, NIL_LOOKALIKE)
from .read import NUMBER_WHITELIST, read_region
from .settings import DEFAULT_OCR_SETTINGS, OcrSettings

# A column prints one number format when at least this share of its valid readings (and at
# least MIN_FORMAT_CELLS of them) print the same decimals: its convention, which picks among
# grammar repairs that are otherwise ambiguous (a digit read twice vs ',0' appended).
COLUMN_FORMAT_SHARE = 0.9
MIN_FORMAT_CELLS = 5
# A column is a number column when at least this share of its non-empty body cells read as
# numbers: its cells that do not parse are read again with the number whitelist.
NUMBER_COLUMN_SHARE = 0.6


@dataclass
class OcrPage:
    """What OCR read on one page: tables, the lines outside them, the skew corrected (deg)."""

    tables: list[PageTable] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)
    skew: float = 0.0


def read_page(pdf_path: str, index: int, number: int, settings: OcrSettings = DEFAULT_OCR_SETTINGS,
              check: bool = False) -> OcrPage:
    """OCR page ``index`` (0-based; ``number`` is its 1-based page number for the models) of the
    PDF at ``pdf_path``. ``check``: reread the number cells with the second reader
    (:mod:`.check`; a disagreement lowers the cell's confidence and keeps both readings).
    Raises ``RuntimeError`` when OCR (or, with ``check``, the second reader) is not installed
    (see :func:`.engine.ocr_missing`, :func:`.check.check_missing`)."""
    image = prepare(render_page(pdf_path, index, settings), settings)
    horizontal, vertical = line_masks(image.ink, settings.px(settings.min_rule_length))
    grids = find_grids(horizontal, vertical, settings)
    # Rules erased: the page with its ruling lines (slightly widened) painted white.
    import cv2

    rules = cv2.dilate(_rules_to_erase(horizontal, vertical, grids, settings), np.ones((3, 3), np.uint8))
    clean = image.gray.copy()
    clean[rules > 0] = 255
    ink = image.ink.copy()
    ink[rules > 0] = 0
    tables = [_read_table(grid, clean, ink, number, settings, check) for grid in grids]
    lines = _read_outside(clean, ink, grids, settings)
    return OcrPage(tables=tables, lines=lines, skew=image.skew)


def _rules_to_erase(horizontal: np.ndarray, vertical: np.ndarray, grids: list[ImageGrid],
                    settings: OcrSettings) -> np.ndarray:
    """The rule mask (255 where a rule's ink is) of the rules to erase before reading: every
    rule inside a table's box, and outside the tables only the runs at least
    ``settings.free_rule_length`` long (underlines, separators). The short straight runs found
    outside the tables are the stems and bars of large letters (a title's 'I' at 18 pt is a
    13 pt vertical run): erased, they would leave the title unreadable."""
    import cv2

    both = cv2.bitwise_or(horizontal, vertical)
    keep = np.zeros_like(both)
    grow = settings.px(settings.edge_cluster)
    for g in grids:
        t, b = max(0, g.top - grow), g.bottom + grow + 1
        x0, x1 = max(0, g.x0 - grow), g.x1 + grow + 1
        keep[t:b, x0:x1] = both[t:b, x0:x1]
    outside = both.copy()
    outside[keep > 0] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(outside, connectivity=8)
    long_run = np.zeros(count, bool)
    long_run[1:] = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= \
        settings.px(settings.free_rule_length)
    keep[long_run[labels]] = 255
    return keep


def _read_table(grid: ImageGrid, clean: np.ndarray, ink: np.ndarray, number: int,
                settings: OcrSettings, check: bool = False) -> PageTable:
    pt = settings.pt
    cols, rows = grid.col_edges, grid.row_edges
    margin = settings.px(settings.cell_margin)
    boxes: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    readings: dict[tuple[int, int], list[TextLine]] = {}
    for r, c, rs, cs in grid.cells:
        x0, x1 = int(cols[c]) + margin, int(cols[c + cs]) - margin
        top, bottom = int(rows[r]) + margin, int(rows[r + rs]) - margin
        boxes[(r, c)] = (x0, top, x1, bottom)
        readings[(r, c)] = _read_cell(clean, ink, x0, top, x1, bottom, settings)
    # Number columns: most non-empty cells read as numbers; a cell there that is no valid
    # number is read again with the number whitelist, then repaired by the grammar.
    bottom = {(r, c) for r, c, rs, _ in grid.cells if r + rs == len(rows) - 1}
    by_col: dict[int, list[tuple[int, int]]] = {}
    number_cells: list[tuple[int, int]] = []  # the cells the second reader rereads
    for (r, c), lines in readings.items():
        if lines:
            by_col.setdefault(c, []).append((r, c))
    for c, keys in by_col.items():
        numeric = [k for k in keys if is_number_reading(_joined(readings[k])) or NIL_LOOKALIKE.match(_joined(readings[k]))]
        counts = [k for k in keys if leading_number(" ".join(line.text for line in readings[k]))]
        if len(counts) >= NUMBER_COLUMN_SHARE * len(keys):
            number_cells.extend(counts)
            for key in keys:
                first = readings[key][0]
                fixed, note = repair_leading_count(first.text)
                if note:
                    first.text = fixed
                    first.repair = note
                    first.confidence = min(first.confidence or 1.0, REPAIRED_CONFIDENCE)
        if len(numeric) < NUMBER_COLUMN_SHARE * len(keys):
            continue
        number_cells.extend(keys)
        decimals = _column_decimals([_joined(readings[k]) for k in keys])
        for key in keys:
            text = _joined(readings[key])
            if len(readings[key]) == 1:
                fixed, note = repair_nil(text)
                if note:
                    line = readings[key][0]
                    line.text, line.repair, line.glyph_x = fixed, note, line.glyph_x[:1]
                    line.confidence = min(line.confidence or 1.0, REPAIRED_CONFIDENCE)
                    continue
            if key in bottom:
                # The last row may be cut by the page break (``9.105.103.27`` + ``3`` on the next
                # page): its number is left as read, for the page join to complete.
                continue
            if not looks_numeric(text) or is_valid(text):
                continue
            again = _read_cell(clean, ink, *boxes[key], settings, whitelist=NUMBER_WHITELIST)
            if again and is_valid(_joined(again)):
                readings[key] = again
            _repair_cell(readings[key], decimals)
    for key in dict.fromkeys(number_cells):
        _note_unread_marks(ink, boxes[key], readings[key], settings)
    if check:
        from .check import check_cells

        check_cells(clean, [readings[k] for k in dict.fromkeys(number_cells) if _checkable(readings[k])], settings)
    cells = []
    for r, c, rs, cs in grid.cells:
        cells.append(RawCell(row=r, col=c, rowspan=rs, colspan=cs, lines=readings[(r, c)],
                             bbox=BBox(x0=pt(cols[c]), top=pt(rows[r]), x1=pt(cols[c + cs]),
                                       bottom=pt(rows[r + rs]))))
    col_pt = [pt(x) for x in cols]
    row_pt = [pt(y) for y in rows]
    return PageTable(page=number, ruled=True, col_edges=col_pt, row_edges=row_pt, cells=cells,
                     bbox=BBox(x0=col_pt[0], top=row_pt[0], x1=col_pt[-1], bottom=row_pt[-1]))


def _note_unread_marks(ink: np.ndarray, box: tuple[int, int, int, int], lines: list[TextLine],
                       settings: OcrSettings) -> None:
    """A number cell whose ink holds a mark no reading covers (a sign on a line of its own that
    the engine passed over, a digit it dropped): the reading may lack a character, so its lines'
    confidence drops to :data:`UNREAD_MARK_CONFIDENCE` and the repair note says where the mark is.
    Marks smaller than ``settings.min_unread_mark_px`` are scanner noise. Nothing is added to
    the reading."""
    import cv2

    if not lines:
        return
    x0, top, x1, bottom = box
    if x1 <= x0 or bottom <= top:
        return
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink[top:bottom, x0:x1], connectivity=8)
    px, grow = settings.px, settings.px(settings.cell_margin)
    covered = [(px(l.bbox.x0) - grow, px(l.bbox.top) - grow, px(l.bbox.x1) + grow, px(l.bbox.bottom) + grow)
               for l in lines]
    unread = []
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        if area < settings.min_unread_mark_px:
            continue
        a, t, b, u = x0 + x, top + y, x0 + x + w, top + y + h
        if not any(a < cb and b > ca and t < cu and u > ct for ca, ct, cb, cu in covered):
            unread.append((a, t, b, u))
    if not unread:
        return
    pt = settings.pt
    where = ", ".join(f"({pt(a):.0f}, {pt(t):.0f}) pt" for a, t, _, _ in unread[:3])
    note = f"{len(unread)} mark(s) in the cell not read by OCR, at {where}: the reading may lack a character"
    for line in lines:
        line.confidence = min(line.confidence if line.confidence is not None else 1.0, UNREAD_MARK_CONFIDENCE)
        line.repair = "; ".join(filter(None, [line.repair, note]))


def _checkable(lines: list[TextLine]) -> bool:
    """A number cell's reading the second reader rereads: a number (or one spoilt by a speck),
    or a count with its unit (``6 Unit``); not a lone nil sign."""
    text = _joined(lines)
    if not lines or NIL_LOOKALIKE.match(text):
        return False
    return looks_numeric(text) or leading_number(" ".join(line.text for line in lines))


def _joined(lines: list[TextLine]) -> str:
    return "".join(line.text.strip() for line in lines)


def _read_cell(clean: np.ndarray, ink: np.ndarray, x0: int, top: int, x1: int, bottom: int,
               settings: OcrSettings, whitelist: str | None = None) -> list[TextLine]:
    """Read one cell: its ink without specks, cropped to the ink, on a white ground (the erased
    rules' grey halo and scanner noise never reach the engine)."""
    import cv2

    if x1 <= x0 or bottom <= top:
        return []
    region = ink[top:bottom, x0:x1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    keep = np.zeros(count, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= settings.min_speck_px
    mask = keep[labels]
    if np.count_nonzero(mask) < settings.min_ink_share * mask.size:
        return []
    ys, xs = np.nonzero(mask)
    pad = settings.px(settings.cell_margin)
    a, b = max(0, xs.min() - pad), min(x1 - x0, xs.max() + pad + 1)
    t, u = max(0, ys.min() - pad), min(bottom - top, ys.max() + pad + 1)
    # Glyph edges are grey: keep the page's grey one pixel around the kept ink, white elsewhere.
    near = cv2.dilate(mask[t:u, a:b].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    crop = np.where(near, clean[top + t:top + u, x0 + a:x0 + b], 255).astype(np.uint8)
    lines = read_region(crop, x0 + a, top + t, settings, whitelist=whitelist)
    if not lines:
        # Ink the block reader passed over: a lone '-' (nil) or digit. Its largest mark is read
        # as one character (the other marks are scanner noise, or it would have read words).
        import tesserocr

        biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        x, y, w, h = (int(v) for v in stats[biggest, :4])
        mark = np.where(labels[y:y + h, x:x + w] == biggest, clean[top + y:top + y + h, x0 + x:x0 + x + w], 255)
        lines = read_region(mark.astype(np.uint8), x0 + x, top + y, settings, whitelist=whitelist,
                            psm=tesserocr.PSM.SINGLE_CHAR)
        if not lines and h <= settings.px(settings.dash_max_height) and w >= settings.dash_min_aspect * h:
            # A short flat bar that no reading took up is the printed '-' (nil).
            pt = settings.pt
            box = BBox(x0=pt(x0 + x), top=pt(top + y), x1=pt(x0 + x + w), bottom=pt(top + y + h))
            lines = [TextLine(text="-", bbox=box, font_size=round(pt(h) * 8, 2), glyph_x=[(box.x0, box.x1)],
                              source="ocr", confidence=DASH_CONFIDENCE,
                              repair="a flat bar alone in the cell, read as '-'")]
    return lines


def _column_decimals(texts: list[str]) -> int | None:
    """The decimals a column prints: the count that at least :data:`COLUMN_FORMAT_SHARE` of its
    valid number readings (and at least :data:`MIN_FORMAT_CELLS` of them) print; else None."""
    counts = Counter(decimals_of(t) for t in texts if is_valid(t) and any(ch.isdigit() for ch in t))
    if not counts:
        return None
    value, n = counts.most_common(1)[0]
    total = sum(counts.values())
    return value if n >= MIN_FORMAT_CELLS and n >= COLUMN_FORMAT_SHARE * total else None


def _repair_cell(lines: list[TextLine], decimals: int | None = None) -> None:
    """Repair the cell's number reading by the grammar (lines joined without spaces, as a
    number wrapped in its cell is), ``decimals`` the column's printed decimals
    (:func:`_column_decimals`); the edit goes back into the line that holds it."""
    joined = _joined(lines)
    fixed, note = repair(joined, decimals)
    if note is None:
        return
    # Put the repaired text back line by line, keeping each line's share of the characters.
    lengths = [len(line.text.strip()) for line in lines]
    delta = len(fixed) - len(joined)
    pos = 0
    for i, (line, n) in enumerate(zip(lines, lengths)):
        take = n + (delta if i == len(lines) - 1 else 0)
        piece = fixed[pos:pos + take]
        pos += take
        if piece != line.text.strip():
            line.text = piece
            line.glyph_x = line.glyph_x[:len(piece)] + [line.glyph_x[-1]] * max(0, len(piece) - len(line.glyph_x))
            line.repair = note
            line.confidence = min(line.confidence or 1.0, REPAIRED_CONFIDENCE)


# A '-' taken from the shape of its mark (no engine read it) is this sure.
DASH_CONFIDENCE = 0.7
# A reading changed by the grammar is less sure than one read as printed.
REPAIRED_CONFIDENCE = 0.8
# A number cell with ink no reading covers may lack a character (a lost sign): not proof.
UNREAD_MARK_CONFIDENCE = 0.6


def _read_outside(clean: np.ndarray, ink: np.ndarray, grids: list[ImageGrid],
                  settings: OcrSettings) -> list[TextLine]:
    """The text outside the tables (title, captions, headings, page numbers), line by line
    (:func:`.layout.find_lines`), each line scaled so that its capitals are
    ``settings.line_glyph_px`` high: a 20 pt title and 8 pt print are read at one size."""
    import cv2

    rest = ink.copy()
    for g in grids:
        rest[g.top:g.bottom + 1, g.x0:g.x1 + 1] = 0
    if not np.count_nonzero(rest):
        return []
    labels, regions = find_lines(rest, settings)
    lines: list[TextLine] = []
    pad = settings.px(settings.cell_margin)
    for region in regions:
        t, u = max(0, region.top - pad), min(clean.shape[0], region.bottom + pad)
        a, b = max(0, region.x0 - pad), min(clean.shape[1], region.x1 + pad)
        # Only this line's ink, with the page's grey one pixel around it: a neighbouring line's
        # descenders or a mark of another line never reach the engine.
        mine = np.isin(labels[t:u, a:b], region.pieces).astype(np.uint8)
        near = cv2.dilate(mine, np.ones((3, 3), np.uint8)) > 0
        crop = np.where(near, clean[t:u, a:b], 255).astype(np.uint8)
        scale = min(settings.line_max_scale,
                    max(settings.line_min_scale, settings.line_glyph_px / max(1.0, region.glyph_height)))
        # The engine's single-block mode: one line reads as with the single-line mode (measured
        # alike), and a crop that holds two lines (a raised footnote mark) is still read whole.
        for line in read_region(crop, a, t, settings, scale=scale):
            if (line.confidence or 0) * 100 >= settings.min_line_confidence or len(line.text) > 3:
                lines.append(line)
    return _reading_order(lines)


def _reading_order(lines: list[TextLine]) -> list[TextLine]:
    """``lines`` top to bottom, and left to right within a row: a line whose middle lies within
    the first line of the row's height is on that row (a page number beside a heading)."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda line: line.bbox.top):
        middle = (line.bbox.top + line.bbox.bottom) / 2
        if rows and rows[-1][0].bbox.top <= middle <= rows[-1][0].bbox.bottom:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda line: line.bbox.x0)]
