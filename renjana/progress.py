"""Page progress from inside one file's processing to whoever listens.

The batch's worker process sets a listener (:func:`set_listener`) that sends each finished page
to the parent, which shows it in the progress display; outside a batch nobody listens and
:func:`page_done` costs one comparison. A module-level hook keeps the stages' signatures free of
a callback that only the batch needs.
"""

from __future__ import annotations

from collections.abc import Callable

_listener: Callable[[int, int], None] | None = None


def set_listener(listener: Callable[[int, int], None] | None) -> None:
    """Call ``listener(page, pages)`` after each page of the file being processed (None: stop)."""
    global _listener
    _listener = listener


def page_done(page: int, pages: int) -> None:
    """Page ``page`` (from 1) of ``pages`` has been read."""
    if _listener is not None:
        _listener(page, pages)
