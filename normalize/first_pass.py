"""Normalize's first pass: the page tables of a document read once, one at a time, in document
order (page, then top), as extract hands them over (``extract_document(…, on_table=…)``).

What it keeps is small next to the tables themselves:

* what the whole document tells the cell-text joiner (its words, its producer's habits, how often
  it prints each cell text): :meth:`FirstPass.join_context`, :attr:`FirstPass.known_cells`;
* where each logical table begins and ends (:func:`.stitch.continues`);
* each page table, past the document's first pages, as compressed bytes until the second pass
  reads back one logical table at a time (:meth:`FirstPass.logical_tables`).

The extracted cells of a long document (their text lines, glyph edges and boxes: about half a MiB
a page as Python objects) are so never all in memory at once: a compact page table is about a
twentieth of its objects. A short document keeps its tables as they are: compressing costs about
4 ms a page (pickle and zlib, and back).
"""

from __future__ import annotations

import pickle
import zlib
from collections import Counter
from collections.abc import Iterator

from renjana import nomenclature
from renjana.models import PageTable, PageText

from .cell_text import JoinContext, Lexicon, builtin_words
from .ocr_words import MIN_SEEN, document_words
from .stitch import continues, squeeze

__all__ = ["FirstPass"]

# Cell padding assumed when a document gives no evidence of its own (points).
DEFAULT_PADDING = 2.0
# The padding read from the document is at most this (points).
MAX_PADDING = 6.0
# A producer "keeps the trailing space" when at least this share of its line breaks end in a
# space glyph (LibreOffice: most; ReportLab: almost none, a stray one from the source text).
KEEPS_SPACE_SHARE = 0.3
# zlib level of a compact page table: the fastest; a page table's pickle shrinks about 4 times.
COMPRESS_LEVEL = 1
# Page tables of the pages up to this one are kept as objects (at most about 20 MiB); those of
# later pages compact.
LIVE_PAGES = 40


class FirstPass:
    """Fed with :meth:`add`, one page table at a time in document order; read back once, by
    :meth:`logical_tables` (which lets each logical table go once read).

    ``live_pages``: the page tables of pages up to this one are kept as the objects they are,
    those of later pages as zlib-compressed pickle bytes; None: every one as an object (for a
    document whose tables are in memory anyway, see :func:`renjana.normalize.normalize_document`).
    Either way the second pass reads back equal tables.
    """

    def __init__(self, live_pages: int | None = LIVE_PAGES) -> None:
        self.live_pages = live_pages
        self.lexicon = Lexicon(set(nomenclature.words()) | builtin_words())
        self.known_cells: Counter[str] = Counter()  # squeezed cell text → times printed
        self.any_ocr = False  # a line read by OCR was seen
        self._breaks = self._breaks_with_space = 0
        self._paddings: list[float] = []
        self._groups: list[list[PageTable | bytes]] = []  # logical tables: their pieces
        self._first: PageTable | None = None  # first and last piece of the open logical table
        self._last: PageTable | None = None

    def add(self, table: PageTable) -> None:
        """Take the next page table of the document."""
        self._learn(table)
        if self._first is not None and continues(table, self._first, self._last):
            self._groups[-1].append(self._keep(table))
        else:
            self._groups.append([self._keep(table)])
            self._first = table
        self._last = table

    def _keep(self, table: PageTable) -> PageTable | bytes:
        if self.live_pages is None or table.page <= self.live_pages:
            return table
        return zlib.compress(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL), COMPRESS_LEVEL)

    @staticmethod
    def _restore(kept: PageTable | bytes) -> PageTable:
        return pickle.loads(zlib.decompress(kept)) if isinstance(kept, bytes) else kept

    def _learn(self, table: PageTable) -> None:
        """The table's part of the document-wide evidence (see :meth:`join_context`)."""
        inner: list[str] = []  # the words of each line but its first and last (which may be cut)
        printed: list[str] = []  # each line as printed
        breaks = breaks_with_space = 0
        ocr = False
        for cell in table.cells:
            lines = cell.lines
            if not lines:
                continue
            texts = []
            for line in lines:
                texts.append(line.text)
                inner.extend(line.text.split()[1:-1])  # words inside a line were never cut
                breaks_with_space += line.trailing_space
                ocr = ocr or line.source == "ocr"
            breaks += len(lines) - 1
            breaks_with_space -= lines[-1].trailing_space  # a cell's last line ends no line break
            printed.extend(texts)
            if len(lines) >= 2 and table.ruled:
                self._paddings.append(min(min(line.bbox.x0 for line in lines) - cell.bbox.x0,
                                          min(cell.bbox.x1 - line.bbox.x1 for line in lines)))
            self.known_cells[squeeze(" ".join(texts))] += 1
        self._breaks += breaks
        self._breaks_with_space += breaks_with_space
        self.any_ocr = self.any_ocr or ocr
        # The lexicon reads the table's words and lines at once, one apart from the next by a
        # newline: none of its patterns matches across one, so it learns what it learns line by line.
        self.lexicon.add_text("\n".join(inner))
        self.lexicon.add_line("\n".join(text for text in printed if "/" in text))  # only slashes count

    def join_context(self, text: list[PageText]) -> JoinContext:
        """What the cell-text joiner may know of this document: its words (the tables' and those
        of ``text``, its running text), its producer's habits. Call once every table was added."""
        for page in text:
            for line in page.lines:
                self.lexicon.add_text(line.text)
        # Full lines come closest to the rule: the low end of the gaps is the padding.
        paddings = sorted(p for p in self._paddings if p >= 0)
        padding = paddings[len(paddings) // 10] if paddings else DEFAULT_PADDING
        keeps_space = self._breaks > 0 and self._breaks_with_space >= KEEPS_SPACE_SHARE * self._breaks
        ctx = JoinContext(lexicon=self.lexicon, keeps_trailing_space=keeps_space,
                          padding=min(padding, MAX_PADDING))
        if self.any_ocr:  # words printed often enough to be trusted over an OCR look-alike
            seen = document_words(line.text for table in self.tables() for cell in table.cells
                                  for line in cell.lines)
            ctx.ocr_trusted = (set(nomenclature.words()) | builtin_words()
                               | {w for w, n in seen.items() if n >= MIN_SEEN})
        return ctx

    def logical_tables(self) -> Iterator[Iterator[PageTable]]:
        """Each logical table's pieces in page order, read back one piece at a time. Each is let
        go once read: the pass is read back once."""
        self._first = self._last = None
        self._groups.reverse()  # popped from the end: the first logical table first
        while self._groups:
            group = self._groups.pop()
            group.reverse()
            yield (self._restore(group.pop()) for _ in range(len(group)))

    def tables(self) -> Iterator[PageTable]:
        """Every page table in document order, read back one at a time (the pass stays whole)."""
        for group in self._groups:
            for kept in group:
                yield self._restore(kept)
