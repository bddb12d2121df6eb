"""Page tables handed over in document order (page, then top) as soon as no table found later can
come before them, so a consumer (normalize's first pass) can take a long document table by table
instead of all at once at the end.

A table found while reading page ``n`` is final once page ``n`` has been read, except where a
later step may still add a table on an earlier page: a rules-only table whose pieces are pooled
until it ends (``extract_document``'s pending pieces), and a page left for OCR, which is read
after the last page. :meth:`TableHandover.release` is told the first page that may still get a
table and hands over everything before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter

from renjana.models import PageTable

__all__ = ["TableHandover", "FROM_PAGE", "FROM_OCR", "FROM_RULES_ONLY"]

# Where a table was found, in the order a whole-document read lists tables of the same page and
# top: the page loop, the pages read by OCR after it, the rules-only tables built from pooled pieces.
FROM_PAGE, FROM_OCR, FROM_RULES_ONLY = 0, 1, 2


class TableHandover:
    """Holds found tables until :meth:`release`; then each is finished (``finish``: its caption,
    its boxes cut to the page) and handed to ``deliver``, in the order of a stable sort by
    (page, top) of the tables listed page loop first, then OCR, then rules-only."""

    def __init__(self, finish: Callable[[PageTable], None], deliver: Callable[[PageTable], None]) -> None:
        self._finish = finish
        self._deliver = deliver
        self._waiting: list[tuple[tuple[int, float, int, int], PageTable]] = []
        self._added = 0

    def add(self, tables: Iterable[PageTable], found: int) -> None:
        """Tables found by step ``found`` (FROM_PAGE, FROM_OCR, FROM_RULES_ONLY), in the order found."""
        for table in tables:
            self._waiting.append(((table.page, table.bbox.top, found, self._added), table))
            self._added += 1

    def release(self, before: int | None = None) -> None:
        """Hand over the waiting tables of pages before ``before`` (None: every waiting table)."""
        ready = [item for item in self._waiting if before is None or item[0][0] < before]
        if not ready:
            return
        self._waiting = [item for item in self._waiting if before is not None and item[0][0] >= before]
        for _, table in sorted(ready, key=itemgetter(0)):
            self._finish(table)
            self._deliver(table)
