"""Stage 1, extract: every table on every page of a born-digital PDF, with each cell's text
lines and box, and the text around the tables (captions, cover, headings).

One call, :func:`extract_document`, opens the PDF once and walks its pages once. Every
tolerance of the stage is a field of :class:`ExtractSettings` (``extract/settings.py``); pass
one to ``extract_document(path, settings)`` and it is handed down to every step.
"""

from __future__ import annotations

import bisect
import re
from operator import itemgetter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from renjana.collection import fewer_collections
from renjana.hashing import file_sha256
from renjana.progress import page_done
from renjana.wording import count
from renjana.models import BBox, ExtractedDocument, PageTable, PageText, TextLine, UnreadPage

from .columns import NUMBER_ROW_TOKEN, Band, infer_column_edges, is_number_row
from .glyphs import BOX_KEYS, dedupe_overprint, glyph_column
from .graphics import Fill, Segment
from .grid import build_cells, cluster_positions
from .handover import FROM_OCR, FROM_PAGE, FROM_RULES_ONLY, TableHandover
from .header_groups import group_label_cuts
from .orientation import PageView, clamp_box, page_views, turned_size, unturn_box
from .reader import ReaderError, open_reader
from .regions import block_at_top, block_below
from .rows import row_boundaries, split_rows, wrap_pitch
from .ocr import ocr_missing, ocr_mode, ocr_pages
from .rulings import Region, Rule, find_regions, page_rules, with_fill_rules
from .settings import DEFAULT_SETTINGS, ExtractSettings, legacy_constants
from .text_lines import group_lines
from .textlayer import UNREADABLE_REASON, page_problem, suspect

__all__ = ["extract_document", "ExtractError", "ExtractSettings", "DEFAULT_SETTINGS"]

# The tolerances of this module (caption gap, same extent, cover share, header join ratio,
# header bands, ruled rows, open side, closing rule, unit tokens) are ExtractSettings fields;
# the patterns below say what a caption, a column-number row or a unit label looks like.
__getattr__ = legacy_constants(__name__, {
    "CAPTION_MAX_GAP": "caption_max_gap", "SAME_EXTENT": "same_extent", "COVER_SHARE": "cover_share",
    "HEADER_JOIN_RATIO": "header_join_ratio", "MAX_HEADER_BANDS": "max_header_bands",
    "MIN_RULED_ROWS": "min_ruled_rows", "OPEN_SIDE_MIN": "open_side_min",
    "CLOSING_RULE_SHARE": "closing_rule_share", "MIN_UNIT_TOKENS": "min_unit_tokens",
})

# "Tabel 2.1 …", "Formulir E.81 …", or a section number "3.1 Penyesuaian …" (not a kode: those
# have more segments, and a body row's name is not what follows a section number).
CAPTION_LINE = re.compile(r"^\s*((tabel|table|formulir|lampiran)\b|\d{1,2}\.\d{1,2}\.?\s+[A-Z][a-z])", re.IGNORECASE)
# A "label : value" line (``Lokasi : Kota Batu``) is never part of a caption.
LABEL_VALUE_LINE = re.compile(r"^[^\W\d_][\w /().,-]{0,48}?\s*:\s+\S")
# The words of a caption, without the section-number form (see CAPTION_LINE).
CAPTION_WORD = re.compile(r"^\s*(tabel|table|formulir|lampiran)\b", re.IGNORECASE)
# The characters a column-number row is printed with ("1 2 3", "(4)", "8=(7-5)", "13 = 12/7 x 100%").
NUMBER_ROW_CHARS = frozenset("0123456789()=+-x×X/*%.,:")
# A header line of unit labels under the group labels: every token this short (``K Rp %``).
# Words of a wrapped label that may share a line with a row of unit labels.
MAX_LABEL_WORDS_BESIDE_UNITS = 2
UNIT_TOKEN = re.compile(r"^\(?([^\W\d_]{1,3}\.?|%)\)?$")


class ExtractError(Exception):
    """The file cannot be read as a PDF; the message names the file and the reason."""


def sha256_of(path: Path) -> str:
    """The file's SHA-256 as hex (:func:`renjana.hashing.file_sha256`)."""
    return file_sha256(path)


@fewer_collections  # a document's glyphs and cells live until it is done: see renjana/collection.py
def extract_document(path: str | Path, settings: ExtractSettings | None = None,
                     reader: str | None = None, ocr: bool | None = None,
                     ocr_check: bool | None = None,
                     on_table: Callable[[PageTable], None] | None = None) -> ExtractedDocument:
    """Every table and the text around it, page by page, of the PDF at ``path``.

    ``settings`` holds every tolerance of the stage (None: :data:`DEFAULT_SETTINGS`), e.g.
    ``extract_document(path, ExtractSettings(join_tolerance=8.0))``. ``reader`` names the PDF
    reader (``"pdfplumber"``, ``"playa"``; None: ``$RENJANA_READER``, else the default; see
    :mod:`.reader`). ``ocr``: read pages that need it (no text layer, or one that fails the
    health check of :mod:`.textlayer`) by OCR (``extract/ocr``); off, or without Tesseract, they
    are noted as not read; ``ocr_check``: reread the number cells of OCR'd tables with a second
    reader (``extract/ocr/check.py``). None for either: from ``$RENJANA_OCR`` (``off``, ``on``,
    ``check``; default ``on``). ``on_table``: each table is handed to it, in document order (page,
    then top), as soon as it is final (see :mod:`.handover`), instead of being kept in
    ``doc.tables``, which then stays empty: a long document's tables are not all held here.
    Raises :class:`ExtractError` when the file is not a readable PDF, ValueError for an unknown
    reader or OCR mode.
    """
    settings = DEFAULT_SETTINGS if settings is None else settings
    mode = ocr_mode()
    ocr = mode != "off" if ocr is None else ocr
    ocr_check = mode == "check" if ocr_check is None else ocr_check
    if not isinstance(settings, ExtractSettings):
        raise TypeError(f"settings must be an ExtractSettings, not {type(settings).__name__}")
    path = Path(path)
    try:
        pdf = open_reader(path, reader, settings)
    except ReaderError as exc:
        raise ExtractError(f"{path.name}: not a readable PDF ({exc})") from exc
    doc = ExtractedDocument(file=path.name, path=str(path), sha256=sha256_of(path), pages=0)
    pending: list[tuple[int, Region, list[dict], bool, int]] = []  # rules-only regions, columns pooled later
    need_ocr: dict[int, str] = {}  # page → why its text layer is not read (no text, unreadable, …)
    open_table: tuple[float, float, bool] | None = None  # the table that ended the page before
    glyph_maps = None  # made when a page holds fonts without a Unicode map
    unsure_pages: dict[int, str] = {}  # glyph-mapped page → the codes its maps left unsure
    unsure_cells: dict[int, int] = {}  # such a page → how many of its table cells print them

    table_pages: set[int] = set()  # pages where a table was found

    def finish(table: PageTable) -> None:
        _finish_table(table, doc, settings)
        table_pages.add(table.page)
        if table.page in unsure_pages:  # counted here: the table may not be kept in doc.tables
            unsure_cells[table.page] = unsure_cells.get(table.page, 0) + _unsure_cells(table)

    handover = TableHandover(finish=finish, deliver=doc.tables.append if on_table is None else on_table)
    with pdf:
        doc.pages = pdf.page_count
        for page in _reported(pdf.pages(), doc.pages):
            number, width, height, graphics = page.number, page.width, page.height, page.graphics
            # Rules-only tables that cannot go on to this page are built now: their glyphs
            # are released, so memory stays flat over a long document.
            finished, pending = _finished_pieces(pending, number, settings)
            handover.add(_rules_only_tables(finished, settings), FROM_RULES_ONLY)
            # Every page before this one is read: its tables are final unless a pending rules-only
            # table or a page left for OCR may still put one before them.
            handover.release(before=min([number, *need_ocr, *(item[0] for item in pending)]))
            doc.page_sizes.append((width, height))
            if page.decoded and not (page.glyphs or graphics.segments or graphics.fills or page.has_images):
                doc.empty_pages.append(number)
            if page.damaged and not page.decoded:  # the library gave up on the page: nothing of it
                doc.unread_pages.append(UnreadPage(page=number, status="unreadable",
                                                   reason=f"not read: its content is damaged ({page.damaged})"))
                doc.notes.append(f"page {number}: not read: its content could not be decoded ({page.damaged})")
            elif page.damaged:  # what was read of the page stays; the page is not counted as read
                doc.unread_pages.append(UnreadPage(page=number, status="unreadable",
                                                   reason=f"partly read: its content is damaged ({page.damaged})"))
                doc.notes.append(f"page {number}: partly read: its content did not decode whole ({page.damaged})")
            problem = page.glyphs and suspect(page) and page_problem(str(path), number, page.glyphs,
                                                                   unread_fonts=page.unreadable_fonts)
            if problem == UNREADABLE_REASON and ocr and not ocr_missing():
                # Fonts without a Unicode map: their glyphs read from their shapes, the page's
                # rules and mapped text then read like any born-digital page.
                from .ocr.glyphmap import GlyphMaps  # numpy and the engines: only when needed

                glyph_maps = glyph_maps or GlyphMaps()
                left_unsure = _mapped_page(glyph_maps, path, page, doc)
                if left_unsure is not None:
                    problem = None
                    if left_unsure:
                        unsure_pages[number] = left_unsure
            if problem:  # a text layer that must not be read as data: OCR reads the image
                need_ocr[number] = problem
                open_table = None
                continue
            views, unread = page_views(dedupe_overprint(page.glyphs, settings), graphics.segments, width, height,
                                       graphics.fills, settings)
            if not any(view.glyphs for view in views):
                if page.has_images:
                    need_ocr[number] = "no text layer"
                open_table = None
                continue
            main = views[0]
            page_height = turned_size(main.turn, width, height)[1]
            tables, rules_only, outside, open_table = _page_tables(number, main.chars, main.segments,
                                                                  main.fills, page_height, open_table, settings)
            for table in tables:
                table.turn = main.turn
            if main.turn:
                what = "table" if tables or rules_only else "text"
                how = "upside down" if main.turn == 180 else "sideways"
                doc.notes.append(f"page {number}: {what} drawn {how} ({main.turn}°), read turned upright")
            turned: list[PageTable] = []
            for view in views[1:]:
                unread += _other_direction(number, view, tables, (width, height), turned, doc.notes, settings)
            handover.add(turned + tables, FROM_PAGE)
            pending.extend((*item, main.turn) for item in rules_only)
            doc.text.append(PageText(page=number, turn=main.turn, lines=group_lines(outside, settings)))
            if unread:
                doc.notes.append(f"page {number}: {count(unread, 'glyph')} running in another direction "
                                 f"{'was' if unread == 1 else 'were'} not read")
    handed = len(doc.tables)  # ocr_pages adds the tables it reads to doc.tables: taken from there
    ocr_pages(doc, need_ocr, enabled=ocr, check=ocr_check)
    handover.add(doc.tables[handed:], FROM_OCR)
    del doc.tables[handed:]
    handover.add(_rules_only_tables(pending, settings), FROM_RULES_ONLY)
    handover.release()
    _note_unsure_cells(doc, unsure_pages, unsure_cells)
    _note_pages_after_unread(doc, table_pages)
    _clamp_text_to_pages(doc)
    return doc


def _note_pages_after_unread(doc: ExtractedDocument, table_pages: set[int]) -> None:
    """A note for the pages right after an unread (or partly read) page that hold text but no
    table: a table that began on the unread page (its header, which names it and its columns)
    may run on over them, and without its start nothing there is read as a table. Their text
    stays in ``doc.text``; the note says what may be missing (``table_pages``: pages where a
    table was found)."""
    unread = {item.page for item in doc.unread_pages}
    with_text = {text.page for text in doc.text if text.lines}
    for start in sorted(unread):
        after = []
        number = start + 1
        while number in with_text and number not in table_pages and number not in unread:
            after.append(number)
            number += 1
        if after:
            doc.notes.append(f"{_page_ranges(after)}: no table found though text is printed there: a table begun on "
                             f"page {start}, which was not read whole, may continue there unread")


def _mapped_page(glyph_maps, path: Path, page, doc: ExtractedDocument) -> str | None:
    """Put the glyph maps' reading of ``page``'s fonts without a Unicode map into its glyphs
    (:mod:`.ocr.glyphmap`). The page is then read like any born-digital page: not listed as
    unread, no note (each glyph's cell says how it was read); what the maps left unsure is
    returned (see :func:`_note_unsure_cells`, "" when nothing). None when the map cannot be made
    for the page (it is then read as a scan)."""
    try:
        mapped = glyph_maps.read_page(str(path), page)
    except Exception as exc:  # the engines or the image library failed: read the page as a scan
        doc.notes.append(f"page {page.number}: glyph shapes not read ({type(exc).__name__}: {exc})")
        return None
    if mapped is None:
        return None
    page.glyphs = mapped.glyphs
    return mapped.unsure if mapped.unsure_glyphs else ""


def _unsure_cells(table: PageTable) -> int:
    """How many of the table's cells print a glyph the maps left unsure (``�``)."""
    from .ocr.glyphmap import UNSURE

    return sum(UNSURE in cell.text for cell in table.cells)


def _note_unsure_cells(doc: ExtractedDocument, unsure: dict[int, str], cells: dict[int, int]) -> None:
    """A note per glyph-mapped page whose maps left codes unsure (``unsure``: page → what was
    left unsure), with how many table cells print them (``cells``: page → count, see
    :func:`_unsure_cells`; ``�``: no number is made of them)."""
    for number, what in sorted(unsure.items()):
        doc.notes.append(f"page {number}: {what}; {count(cells.get(number, 0), 'table cell')} unreadable")


def _finish_table(table: PageTable, doc: ExtractedDocument, settings: ExtractSettings) -> None:
    """The table's caption (from ``doc.text``, which holds its page by now), then its boxes cut
    to its (virtual) page."""
    table.caption = _caption_above(table, doc.text, settings)
    _clamp_table(table, doc.page_sizes)


def _reported(pages, total: int):
    """The reader's pages, each reported done (:mod:`renjana.progress`) once the loop has
    finished with it (whichever way its body ended)."""
    for page in pages:
        yield page
        page_done(page.number, total)


def _other_direction(number: int, view: PageView, main_tables: list[PageTable], size: tuple[float, float],
                     found: list[PageTable], notes: list[str], settings: ExtractSettings) -> int:
    """Read the lattice tables of a page's second text direction into ``found`` (and say so in
    ``notes``).

    Both readings see every grid of the page: where a table of ``view`` and one of the page's
    own frame (``main_tables``, edited in place) are the same grid, the reading whose glyphs fill
    it keeps it (the page's frame when both hold text). Returns how many of the view's glyphs
    were not read.
    """
    page_height = turned_size(view.turn, *size)[1]
    tables, _, _, _ = _page_tables(number, view.chars, view.segments, view.fills, page_height, None, settings)
    read = 0
    for table in tables:
        glyphs = _glyph_count(table)
        if not glyphs:
            continue
        box = unturn_box(table.bbox, view.turn, *size)
        same = [t for t in main_tables if _overlaps(box, unturn_box(t.bbox, t.turn, *size))]
        if any(_glyph_count(t) for t in same):
            continue
        for t in same:
            main_tables.remove(t)
        table.turn = view.turn
        found.append(table)
        notes.append(f"page {number}: a table drawn turned ({view.turn}°) beside the page's text, "
                     "read turned upright")
        read += glyphs
    return max(0, view.glyphs - read)


def _glyph_count(table: PageTable) -> int:
    return sum(len(line.text.replace(" ", "")) for cell in table.cells for line in cell.lines)


def _overlaps(a: BBox, b: BBox) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.bottom, b.bottom) > max(a.top, b.top)


def _clamp(item, width: float, height: float) -> None:
    """The item's box cut to its (virtual) page. A box already inside is left as it is (no
    assignment: the models validate every assignment)."""
    box = clamp_box(item.bbox, width, height)
    if box is not item.bbox:
        item.bbox = box


def _clamp_table(table: PageTable, page_sizes: list[tuple[float, float]]) -> None:
    """The table's, its cells' and their lines' boxes cut to its (virtual) page."""
    width, height = turned_size(table.turn, *page_sizes[table.page - 1])
    _clamp(table, width, height)
    for cell in table.cells:
        _clamp(cell, width, height)
        for line in cell.lines:
            _clamp(line, width, height)


def _clamp_text_to_pages(doc: ExtractedDocument) -> None:
    """Every line of the running text cut to its (virtual) page."""
    for text in doc.text:
        width, height = turned_size(text.turn, *doc.page_sizes[text.page - 1])
        for line in text.lines:
            _clamp(line, width, height)


def _page_ranges(pages: list[int]) -> str:
    """[1, 2, 3, 7] → 'pages 1-3, 7'."""
    spans: list[list[int]] = []
    for p in pages:
        if spans and p == spans[-1][1] + 1:
            spans[-1][1] = p
        else:
            spans.append([p, p])
    text = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in spans)
    return ("pages " if len(pages) > 1 else "page ") + text


def _page_tables(number: int, chars: list[dict], segments: list[Segment], fills: list[Fill],
                 page_height: float, open_table: tuple[float, float, bool] | None, settings: ExtractSettings):
    """The tables of one page. ``open_table`` is (x0, x1, closed) of the rules-only table that
    ended the page before: it may go on here without a header or top rule (``closed``: its
    last row had a rule under it, so only rows whose top rule is missing can continue it)."""
    horizontal, vertical = page_rules(segments, settings)
    horizontal = with_fill_rules(horizontal, vertical, fills, settings)
    cache: list[list[TextLine]] = []

    def page_lines() -> list[TextLine]:
        # Grouped only when a decision needs the page's running text (a lattice page never does).
        if not cache:
            cache.append(group_lines(chars, settings))
        return cache[0]

    def caption_between(top: float, bottom: float, pattern: re.Pattern = CAPTION_LINE) -> bool:
        return any(top < line.bbox.top and line.bbox.bottom < bottom and pattern.match(line.text)
                   for line in page_lines())

    # Between two rules of one table only a caption word ("Tabel 3.1 …") breaks it: a body row
    # may start with a two-segment kode and a name ("2.17 Bidang …"), like a section number.
    regions = find_regions(horizontal, vertical, lambda top, bottom: caption_between(top, bottom, CAPTION_WORD),
                           fills, settings)
    for region in regions:
        if region.ruled:
            _open_at_page_break(region, settings.open_side_min)
    if open_table is not None:
        continued = _continuation(open_table[:2], page_lines(), horizontal, regions, page_height, settings,
                                  closed=open_table[2])
        if continued is not None:
            regions.insert(0, continued)
    # Each char's centre, on arrays (every char of the page is tested against every region); a
    # region's chars are taken in the order of their centre's y (a stable sort).
    boxes = [glyph_column(chars, key) for key in BOX_KEYS]  # x0, x1, top, bottom
    cx, cy = (boxes[0] + boxes[1]) / 2, (boxes[2] + boxes[3]) / 2
    for i, region in enumerate(regions):
        if (not region.ruled and not region.continued
                and (region.ends_on_fill or _ends_with_header(region, chars, (cx, cy), settings))):
            stop = min((r.top for r in regions[i + 1:] if r.top > region.bottom), default=page_height)
            bottom = block_below(page_lines(), region.bottom, region.x0, region.x1, stop, settings)
            if bottom is not None:
                region.text_bottom = bottom
    tables: list[PageTable] = []
    rules_only: list[tuple[int, Region, list[dict], bool]] = []
    by_y = np.argsort(cy, kind="stable")
    inside_any = np.zeros(len(chars), dtype=bool)
    for region in regions:
        region.horizontal = [h for h in horizontal if region.top - 1 <= h.pos <= region.bottom + 1
                             and h.end > region.x0 + 1 and h.start < region.x1 - 1]
        inside = ((region.x0 - 1 <= cx) & (cx <= region.x1 + 1)
                  & (region.top <= cy) & (cy <= region.bottom))
        taken = by_y[inside[by_y]]
        inside_any[taken] = True
        mine = [chars[i] for i in taken.tolist()]
        if region.ruled:
            tables.append(_lattice_table(number, region, mine, settings, [column[taken] for column in boxes]))
        else:
            captioned = caption_between(region.top - settings.caption_max_gap, region.top)
            region.glyph_boxes = [column[taken] for column in boxes]
            rules_only.append((number, region, mine, captioned))
    outside = [chars[i] for i in np.flatnonzero(~inside_any).tolist()]
    last = rules_only[-1][1] if rules_only else None
    # The page's last rules-only table may go on on the next page: open when its body ran past
    # its last rule; closed (only its next row's missing top rule can continue it) otherwise.
    still_open = ((last.x0, last.x1, not last.open_bottom) if last is not None and last is regions[-1]
                  else None)
    return tables, rules_only, outside, still_open


def _ends_with_header(region: Region, chars: list[dict], centres: tuple[np.ndarray, np.ndarray],
                      settings: ExtractSettings) -> bool:
    """The region's rules enclose only its header: one band, or a last band of column numbers.
    ``centres``: the (x, y) centres of ``chars`` as arrays (tested on arrays: a page's every char
    against each such region)."""
    row_edges = cluster_positions([h.pos for h in region.horizontal], settings.edge_cluster)
    if len(row_edges) == 2:
        return True
    cx, cy = centres
    # The chars of the region's last band, by their centre, in the page's order.
    last = ((region.x0 - 1 <= cx) & (cx <= region.x1 + 1) & (region.top <= cy) & (cy <= region.bottom)
            & (row_edges[-2] <= cy) & (cy < row_edges[-1]))
    band = [chars[i] for i in np.flatnonzero(last).tolist()]
    return is_number_row(" ".join(line.text for line in group_lines(band, settings)))


def _continuation(extent: tuple[float, float], lines: list[TextLine], horizontal: list[Rule],
                  regions: list[Region], page_height: float, settings: ExtractSettings,
                  closed: bool = False) -> Region | None:
    """The body of a table from the page before, printed here without a header or top rule.
    After a ``closed`` table only the page's first rules-only region of the same width is
    extended up to the text right above it (its first row drawn without a top rule)."""
    x0, x1 = extent
    stop = min((r.top for r in regions), default=page_height)
    block = block_at_top(lines, x0, x1, stop, settings)
    if block is None:
        return None
    top, bottom = block
    width = x1 - x0
    first = next((r for r in regions if r.top == stop), None)
    size = max((ln.font_size for ln in lines if top <= ln.bbox.top <= bottom), default=7.0)
    if (first is not None and not first.ruled and abs(first.x0 - x0) <= settings.same_extent
            and abs(first.x1 - x1) <= settings.same_extent
            and stop - bottom <= settings.block_gap_ratio * size
            and not any(bottom <= ln.bbox.top < stop and CAPTION_LINE.match(ln.text) for ln in lines)):
        # The page's first rules belong to the same table (a total row ruled above and below):
        # the text above them is its continued body, so that region starts at the text.
        first.text_top = top
        return None
    if closed:
        return None
    closing = [h for h in horizontal if top < h.pos <= bottom + settings.caption_max_gap and h.pos < stop
               and min(h.end, x1) - max(h.start, x0) >= settings.closing_rule_share * width]
    if closing:
        rule = min(closing, key=lambda h: h.pos)
        return Region(x0, x1, horizontal=[rule], text_top=top)
    return Region(x0, x1, horizontal=[], text_top=top, text_bottom=bottom)


def _covers(rules: list[Rule], pos: float, a: float, b: float, settings: ExtractSettings) -> bool:
    """A rule at ``pos`` (within ``edge_cluster`` + ``cover_slack``) runs over the middle of
    [a, b] (all but ``cover_share`` of it at each end)."""
    margin = (b - a) * settings.cover_share
    near = settings.edge_cluster + settings.cover_slack
    # A loop, not any() over a generator: this runs for every side of every atomic cell.
    for r in rules:
        if abs(r.pos - pos) <= near and r.start <= a + margin and r.end >= b - margin:
            return True
    return False


def _open_at_page_break(region: Region, open_side_min: float) -> None:
    """A lattice whose vertical rules run on past its first or last horizontal rule (by more
    than ``open_side_min`` points) is open there: a row cut by the page break, printed without
    a rule at the break (Chromium, Word). The region then reaches as far as most of its inner
    verticals do."""
    inner = [v for v in region.vertical if region.x0 + 2 < v.pos < region.x1 - 2]
    if len(inner) < 2:
        return
    first, last = region.horizontal[0].pos, region.horizontal[-1].pos
    below = sorted(v.end for v in inner if v.end > last + open_side_min)
    above = sorted(v.start for v in inner if v.start < first - open_side_min)
    if len(below) * 2 >= len(inner):
        region.text_bottom = below[len(below) // 2]
    if len(above) * 2 >= len(inner):
        region.text_top = above[len(above) // 2]


def _number_row_cuts(row_edges: list[float], chars: list[dict], settings: ExtractSettings,
                     boxes: list[np.ndarray] | None = None, space: np.ndarray | None = None) -> list[float]:
    """A column-number line at the top of a grid band that holds more lines below it is a header
    row of its own whose bottom rule is missing (a producer that split a row there). ``boxes``:
    the chars' :data:`BOX_KEYS` as arrays, ``space``: which are space glyphs, when the caller
    has them."""
    cuts = []
    for band in _number_row_bands(row_edges, chars, boxes, space):
        first_top = min((c["top"] for c in band if not c["text"].isspace()), default=None)
        if first_top is None:
            continue
        # Only a band whose first line reads as column numbers is grouped into lines (fast).
        first = [c for c in band if abs(c["top"] - first_top) < 1.0]
        if not all(c["text"] in NUMBER_ROW_CHARS or c["text"].isspace() for c in first):
            continue
        head = group_lines(first, settings)
        if len(first) == len(band) or not head or not is_number_row(head[0].text):
            continue
        lines = group_lines(band, settings)
        if len(lines) >= 2 and is_number_row(lines[0].text) and not is_number_row(lines[1].text):
            cuts.append((lines[0].bbox.bottom + lines[1].bbox.top) / 2)
    return cuts


def _number_row_bands(row_edges: list[float], chars: list[dict],
                      boxes: list[np.ndarray] | None = None, space: np.ndarray | None = None) -> list[list[dict]]:
    """The chars of each band (:func:`_chars_by_band`) whose first line (its ink within 1 pt of
    the band's highest ink glyph) may be a column-number line: every char of it is printed with
    :data:`NUMBER_ROW_CHARS` or is a space. Tested on arrays: this runs on every char of every
    lattice, and few bands pass. ``space``: which chars are space glyphs, when the caller has it."""
    n_bands = len(row_edges) - 1
    if n_bands < 1 or not chars:
        return []
    top, bottom = (boxes[2], boxes[3]) if boxes is not None else (glyph_column(chars, "top"),
                                                                  glyph_column(chars, "bottom"))
    if np.isnan(top).any():
        return _chars_by_band(row_edges, chars, boxes)  # no order among the tops: every band is tested
    texts = list(map(itemgetter("text"), chars))
    if space is None:
        space = np.fromiter(map(str.isspace, texts), dtype=bool, count=len(chars))
    numeric = np.fromiter(map(NUMBER_ROW_CHARS.__contains__, texts), dtype=bool, count=len(chars))
    band = np.searchsorted(row_edges, (top + bottom) / 2, side="right") - 1
    placed = (band >= 0) & (band < n_bands)
    ink = placed & ~space
    first_top = np.full(n_bands, np.inf)
    np.minimum.at(first_top, band[ink], top[ink])
    first = placed & (np.abs(top - first_top[band.clip(0, n_bands - 1)]) < 1.0)
    other = np.zeros(n_bands, dtype=bool)  # a char of the first line that is not a number-row char
    other[band[first & ~numeric & ~space]] = True
    wanted = np.isfinite(first_top) & ~other
    # The chars of the wanted bands, each band's in the order of chars (a stable sort by band).
    taken = np.flatnonzero(placed & wanted[band.clip(0, n_bands - 1)])
    taken = taken[np.argsort(band[taken], kind="stable")]
    starts = np.searchsorted(band[taken], np.flatnonzero(wanted), side="left").tolist()
    picked = [chars[i] for i in taken.tolist()]
    return [picked[start:end] for start, end in zip(starts, [*starts[1:], len(picked)])]


def _chars_by_band(row_edges: list[float], chars: list[dict], boxes: list[np.ndarray] | None = None) -> list[list[dict]]:
    """The chars of each band between consecutive row edges, by the centre of each char
    (``boxes``: the chars' :data:`BOX_KEYS` as arrays, when the caller has them)."""
    n_bands = len(row_edges) - 1
    if n_bands < 1:
        return []
    top, bottom = (boxes[2], boxes[3]) if boxes is not None else (glyph_column(chars, "top"),
                                                                  glyph_column(chars, "bottom"))
    centres = (top + bottom) / 2
    # Band i holds the centres from row_edges[i] up to (not including) row_edges[i + 1]; the chars
    # of each band keep their order (a stable sort by band), cut where the band changes.
    band = np.searchsorted(row_edges, centres, side="right") - 1
    order = np.argsort(band, kind="stable")
    ends = np.searchsorted(band[order], np.arange(n_bands + 1), side="left").tolist()
    taken = [chars[i] for i in order.tolist()]
    return [taken[start:end] for start, end in zip(ends, ends[1:])]


def _lattice_table(number: int, region: Region, chars: list[dict], settings: ExtractSettings,
                   boxes: list[np.ndarray] | None = None) -> PageTable:
    """The lattice table of ``region`` from its ``chars`` (``boxes``: their :data:`BOX_KEYS` as
    arrays, when the caller has them)."""
    verticals = [v.pos for v in region.vertical]
    # The rules' ends stand for a side only where no vertical is drawn there (a producer may stop
    # its horizontal segments short of the outer verticals).
    join = settings.join_tolerance
    sides = [x for x in (region.x0, region.x1) if not any(abs(x - v) <= join for v in verticals)]
    col_edges = cluster_positions(verticals + sides, settings.edge_cluster)
    slack = settings.lattice_edge_slack
    col_edges = [x for x in col_edges if region.x0 - slack <= x <= region.x1 + slack]
    row_edges = cluster_positions([h.pos for h in region.horizontal]
                                  + [y for y in (region.text_top, region.text_bottom) if y is not None],
                                  settings.edge_cluster)
    # Which chars are space glyphs, read once for the number-row cuts and the cells.
    space = np.fromiter(map(str.isspace, map(itemgetter("text"), chars)), dtype=bool, count=len(chars))
    cuts = _number_row_cuts(row_edges, chars, settings, boxes, space)
    row_edges = sorted(row_edges + cuts)
    # The rules near each edge (as _covers takes them), found once: every atomic cell's sides are
    # tested against them, and a table has hundreds of cells and of rule segments.
    near = settings.edge_cluster + settings.cover_slack
    vertical = [[v for v in region.vertical if abs(v.pos - x) <= near] for x in col_edges]
    horizontal = [[h for h in region.horizontal if abs(h.pos - y) <= near] for y in row_edges]
    cells = build_cells(
        col_edges, row_edges,
        has_vertical=lambda r, c: _covers(vertical[c], col_edges[c], row_edges[r], row_edges[r + 1], settings),
        has_horizontal=lambda k, c: (row_edges[k] in cuts
                                     or _covers(horizontal[k], row_edges[k], col_edges[c], col_edges[c + 1],
                                                settings)),
        chars=chars,
        settings=settings,
        boxes=boxes,
        space=space,
    )
    return PageTable(page=number, ruled=True, col_edges=col_edges, row_edges=row_edges, cells=cells,
                     bbox=BBox(x0=col_edges[0], top=row_edges[0], x1=col_edges[-1], bottom=row_edges[-1]))


def _bands(row_edges: list[float], chars: list[dict], settings: ExtractSettings,
           known: dict[tuple[float, float], Band] | None = None, boxes: list[np.ndarray] | None = None) -> list[Band]:
    """The band between each two consecutive ``row_edges``. ``known``: bands built before, by
    their (top, bottom) edges: a band between the same two edges holds the same chars, so it is
    taken as it is. ``boxes``: the chars' :data:`BOX_KEYS` as arrays, when the caller has them."""
    known = known or {}
    by_band = _chars_by_band(row_edges, chars, boxes)
    bands = []
    for edges, band_chars in zip(zip(row_edges, row_edges[1:]), by_band):
        if edges in known:
            bands.append(known[edges])
            continue
        bands.append(_band_of(group_lines(band_chars, settings)))
    return bands


def _band_of(lines: list[TextLine]) -> Band:
    """The band printed by ``lines`` (its chars' :func:`group_lines`)."""
    # Printed space glyphs count as ink: a phrase is continuous inside its cell, and the gap
    # between two cells (where no space glyph is printed) stays empty.
    glyphs = [(line.bbox.top, [g for g in line.glyph_x if g[1] > g[0]]) for line in lines]
    size = max((line.font_size for line in lines), default=7.0)
    return Band(lines=glyphs, text=" ".join(line.text for line in lines), font_size=size,
                line_texts=[line.text for line in lines], text_lines=lines)


def _header_band_count(bands: list[Band], max_bands: int, min_unit_tokens: int = 3) -> int:
    """Bands above the body: through the column-number row when there is one among the first
    ``max_bands``, else the first and the unit-label rows (``K Rp K Rp``) right under it."""
    for i, band in enumerate(bands[:max_bands]):
        if is_number_row(band.text):
            return i + 1
    count = 1
    while count < min(max_bands, len(bands) - 1) and _is_units_row(bands[count].text, min_unit_tokens):
        count += 1
    return count


def _finished_pieces(pending: list[tuple[int, Region, list[dict], bool, int]], number: int,
                     settings: ExtractSettings) -> tuple[list, list]:
    """``pending`` rules-only pieces split into (those of tables that ended before page
    ``number - 1``, the rest): a table whose last piece is on page ``number - 1`` may go on on
    page ``number``; grouping the rest again later gives the same tables."""
    groups = _piece_groups(pending, settings)
    if not groups:
        return [], pending
    last = groups[-1]
    if last[-1][0] >= number - 1:
        return [item for group in groups[:-1] for item in group], last
    return pending, []


def _piece_groups(pending: list[tuple[int, Region, list[dict], bool, int]],
                  settings: ExtractSettings) -> list[list[tuple[int, Region, list[dict], bool, int]]]:
    """Rules-only pieces grouped into tables: a region continues the table of the page before
    when it has the same width and no caption."""
    groups: list[list[tuple[int, Region, list[dict], bool, int]]] = []
    for item in pending:
        number, region, _, captioned, turn = item
        last = groups[-1][-1] if groups else None
        if (last and not captioned and number - last[0] == 1 and last[4] == turn
                and abs(last[1].x0 - region.x0) <= settings.same_extent
                and abs(last[1].x1 - region.x1) <= settings.same_extent):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _rules_only_tables(pending: list[tuple[int, Region, list[dict], bool, int]],
                       settings: ExtractSettings) -> list[PageTable]:
    """Tables with horizontal rules only: pool the body text of a table's pages for its columns.

    A region continues the table of the page before when it has the same width and no caption.
    """
    tables: list[PageTable] = []
    for group in _piece_groups(pending, settings):
        body: list[Band] = []
        header: list[Band] = []
        numbers: list[Band] = []
        layouts: list[tuple[list[float], int, list[float], list[Band]]] = []
        pieces_boxes = []
        for _, region, chars, _, _ in group:
            # The chars' boxes as arrays, read once for every step of the piece (bands, cells):
            # those of the page's arrays when _page_tables kept them.
            boxes = (region.glyph_boxes if region.glyph_boxes is not None
                     else [glyph_column(chars, key) for key in BOX_KEYS])
            pieces_boxes.append(boxes)
            row_edges, header_cuts, known = _piece_edges(region, chars, settings, boxes)
            bands = _bands(row_edges, chars, settings, known, boxes)
            n_header = 0 if region.continued else _header_band_count(bands, settings.max_header_bands, settings.min_unit_tokens)
            if n_header:
                header.append(bands[0])
                if is_number_row(bands[n_header - 1].text):
                    numbers.append(bands[n_header - 1])  # column numbers sit one per leaf column
                # Unit labels (K | Rp) sit one per leaf column of their group too.
                numbers.extend(b for b in bands[1:n_header] if _is_units_row(b.text, settings.min_unit_tokens))
            body.extend(bands[n_header:])
            layouts.append((row_edges, n_header, header_cuts, bands))
        x0 = min(item[1].x0 for item in group)
        x1 = max(item[1].x1 for item in group)
        col_edges = infer_column_edges(x0, x1, body, header, numbers, settings)
        # Rows ruled one by one in the table as a whole (a last page with one or two rows of a
        # ruled table is ruled too); a body drawn without row rules has one band per piece.
        body_bands = sum(len(edges) - 1 - n for edges, n, _, _ in layouts)
        ruled_rows = body_bands >= settings.min_ruled_rows * len(layouts)
        for (number, region, chars, _, turn), (row_edges, n_header, header_cuts, bands), boxes in zip(
                group, layouts, pieces_boxes):
            table = _text_columns_table(number, region, chars, col_edges, row_edges, n_header, header_cuts,
                                        ruled_rows, bands, settings, boxes)
            table.turn = turn
            tables.append(table)
    return tables


def _piece_edges(region: Region, chars: list[dict], settings: ExtractSettings,
                 boxes: list[np.ndarray] | None = None
                 ) -> tuple[list[float], list[float], dict[tuple[float, float], Band]]:
    """The row edges of a rules-only piece: its rules, where the text bounds it, and the header's
    own rows (column numbers, unit labels) when the header is drawn as one band; and, apart,
    those header cuts (no rule is drawn there), and the header band by its edges when no cut
    divides it (its lines were grouped to look for cuts: :func:`_bands` takes it as it is)."""
    positions = [h.pos for h in region.horizontal]
    if region.text_top is not None:
        positions.append(region.text_top)
    if region.text_bottom is not None:
        positions.append(region.text_bottom)
    edges = cluster_positions(positions, settings.edge_cluster)
    if region.continued or len(edges) < 2:
        return edges, [], {}
    cuts, lines = _header_cuts(edges[0], edges[1], chars, settings, boxes)
    if cuts:
        return sorted(edges + cuts), cuts, {}
    return edges, cuts, {(edges[0], edges[1]): _band_of(lines)}


def _header_cuts(top: float, bottom: float, chars: list[dict], settings: ExtractSettings,
                 boxes: list[np.ndarray] | None = None) -> tuple[list[float], list[TextLine]]:
    """Row cuts inside a header band drawn without inner rules: above each line of column
    numbers and each line of unit labels (``K Rp K Rp``), which are header rows of their own;
    and the band's lines (the chars whose centre is in [top, bottom), as :func:`_chars_by_band`
    takes a band's). ``boxes``: the chars' :data:`BOX_KEYS` as arrays, when the caller has them."""
    if boxes is None:
        boxes = [glyph_column(chars, key) for key in BOX_KEYS]
    centres = (boxes[2] + boxes[3]) / 2
    lines = group_lines([chars[i] for i in np.flatnonzero((top <= centres) & (centres < bottom)).tolist()], settings)
    cuts = []
    for i in range(1, len(lines)):
        line = lines[i]
        if (is_number_row(line.text) or _is_units_row(line.text, settings.min_unit_tokens)
                or _ends_in_units(line.text, settings.min_unit_tokens)):
            # A formula wrapped in its narrow cell is printed centred on the number row: its
            # first line ("9 = 7/5 x") stands a little above, and belongs below the cut.
            j = i
            while (j > 1 and is_number_row(line.text) and _formula_fragment(lines[j - 1].text)
                   and lines[j].bbox.top - lines[j - 1].bbox.top <= settings.header_line_pitch * line.font_size):
                j -= 1
            cuts.append((lines[j - 1].bbox.bottom + lines[j].bbox.top) / 2)
    return sorted(set(cuts)), lines


def _formula_fragment(text: str) -> bool:
    """A line of column-number tokens only (``9 = 7/5 x``), too short to be a number row."""
    tokens = text.split()
    return bool(tokens) and all(NUMBER_ROW_TOKEN.match(t) for t in tokens) and not is_number_row(text)


def _ends_in_units(text: str, min_tokens: int) -> bool:
    """A line of unit labels that shares its baseline with the last words of a label wrapped in
    a column to its left ("KEGIATAN K Rp K Rp K Rp"): at most two words, then only unit labels."""
    tokens = text.split()
    units = 0
    while units < len(tokens) and UNIT_TOKEN.match(tokens[len(tokens) - 1 - units]):
        units += 1
    return units >= min_tokens and 0 < len(tokens) - units <= MAX_LABEL_WORDS_BESIDE_UNITS


def _is_units_row(text: str, min_tokens: int) -> bool:
    """A header line of unit labels: at least ``min_tokens`` tokens, each a short label."""
    tokens = text.split()
    return len(tokens) >= min_tokens and all(UNIT_TOKEN.match(t) for t in tokens)




def _group_label_spans(runs: list[list[tuple[float, float]]], n_header: int,
                       col_edges: list[float]) -> set[tuple[int, int]]:
    """Header edges a group label spans without its ink crossing them: a label centred over
    sub-columns of unequal width (TARGET over a narrow K and a wide Rp) may sit inside the wide
    one. A label within one column of header row ``r`` spans its neighbour when that neighbour
    prints nothing in row ``r``, both print sub-labels in row ``r + 1``, and the label's centre
    is nearer the middle of the two than the middle of its own column. Returns (row, edge index)
    pairs: edge ``k`` between atomic columns ``k - 1`` and ``k``."""
    out: set[tuple[int, int]] = set()
    n_cols = len(col_edges) - 1

    def column(x: float) -> int | None:
        i = bisect.bisect_right(col_edges, x) - 1
        return i if 0 <= i < n_cols else None

    for r in range(max(0, n_header - 1)):
        filled = {column((a + b) / 2) for a, b in runs[r]}
        below = {column((a + b) / 2) for a, b in runs[r + 1]}
        for a, b in runs[r]:
            c = column((a + b) / 2)
            if c is None or any(a < x < b for x in col_edges[1:-1]):
                continue
            centre = (a + b) / 2
            own = abs(centre - (col_edges[c] + col_edges[c + 1]) / 2)
            for other, edge in ((c - 1, c), (c + 1, c + 1)):
                if 0 <= other < n_cols and other not in filled and {c, other} <= below:
                    lo, hi = min(c, other), max(c, other)
                    if abs(centre - (col_edges[lo] + col_edges[hi + 1]) / 2) < own:
                        out.add((r, edge))
    return out


def _text_columns_table(number: int, region: Region, chars: list[dict], col_edges: list[float],
                        row_edges: list[float], n_header: int, header_cuts: list[float],
                        ruled_rows: bool, bands: list[Band], settings: ExtractSettings,
                        boxes: list[np.ndarray] | None = None) -> PageTable:
    # A body band that the rules do not divide is divided by its text (rows.split_rows). Where
    # rules divide the body's rows, only a gap proves a missing rule.
    group_cuts = [cut for r in range(n_header)
                  for cut in group_label_cuts(bands[r], row_edges[r], col_edges, settings)]
    body_lines = [band.text_lines for band in bands[n_header:]]
    pitch = wrap_pitch([line for lines in body_lines for line in lines], settings)
    text_cuts: set[float] = set()
    for lines in body_lines:
        split = split_rows(lines, col_edges, pitch=pitch, gap_only=ruled_rows, settings=settings)
        text_cuts.update(round(y, 3) for y in row_boundaries(split.rows))
    # Cuts under group labels are drawn only across the label's columns.
    partial: dict[float, set[int]] = {}
    for cut in group_cuts:
        partial.setdefault(cut.y, set()).update(range(cut.c0, cut.c1 + 1))
    n_header += len(set(partial) - set(row_edges))
    if text_cuts or partial:
        built = dict(zip(zip(row_edges, row_edges[1:]), bands))  # bands no cut divides are kept
        row_edges = sorted(set(row_edges) | text_cuts | set(partial))
        bands = _bands(row_edges, chars, settings, built, boxes)
    horizontal = region.horizontal
    # Header phrases span their merged cells, word spaces and all; body text never crosses a column.
    header_join, word_join = settings.header_join_ratio, settings.word_join_ratio
    runs = [band.ink_runs(header_join if r < n_header else word_join)
            for r, band in enumerate(bands)]

    spans = _group_label_spans(runs, n_header, col_edges)
    for cut in group_cuts:
        for r in range(len(row_edges) - 1):
            if row_edges[r] >= cut.top and row_edges[r + 1] <= cut.y:
                spans.update((r, k) for k in range(cut.c0 + 1, cut.c1 + 1))

    def crosses(r: int, c: int) -> bool:
        x = col_edges[c]
        return (r, c) in spans or any(a < x < b for a, b in runs[r])

    # Edges the rules did not draw: text cuts, where the text bounds the piece, the header's
    # own rows cut out of a header band.
    virtual = text_cuts | set(header_cuts) | {region.text_top, region.text_bottom}

    def drawn(k: int, c: int) -> bool:
        if c in partial.get(row_edges[k], ()):
            return True
        return row_edges[k] in virtual or _covers(horizontal, row_edges[k], col_edges[c], col_edges[c + 1],
                                                  settings)

    cells = build_cells(col_edges, row_edges, has_vertical=lambda r, c: not crosses(r, c),
                        has_horizontal=drawn, chars=chars, settings=settings, boxes=boxes)
    return PageTable(page=number, ruled=False, col_edges=col_edges, row_edges=row_edges, cells=cells,
                     bbox=BBox(x0=col_edges[0], top=row_edges[0], x1=col_edges[-1], bottom=row_edges[-1]))


def _caption_above(table: PageTable, text: list[PageText], settings: ExtractSettings) -> str:
    """The lines right above ``table`` (the first within ``caption_max_gap`` points, then each
    within ``caption_line_pitch`` em of the one below it), read top to bottom."""
    max_gap, pitch = settings.caption_max_gap, settings.caption_line_pitch
    page_lines = next((p.lines for p in text if p.page == table.page and p.turn == table.turn), [])
    above = sorted((ln for ln in page_lines if ln.bbox.bottom <= table.bbox.top + 1
                    and ln.bbox.bottom >= table.bbox.top - max_gap - settings.caption_reach),
                   key=lambda ln: -ln.bbox.bottom)
    picked: list[TextLine] = []
    limit = table.bbox.top - max_gap
    for line in above:
        if line.bbox.bottom < limit or LABEL_VALUE_LINE.match(line.text):
            break  # a "label : value" line is document context, not the table's caption
        picked.append(line)
        limit = line.bbox.top - pitch * line.font_size
    return " ".join(line.text for line in reversed(picked))
