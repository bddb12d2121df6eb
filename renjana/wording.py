"""Counts and articles in the messages the tool prints and records: ``1 row``, ``2 rows``,
``an INSERT``, and the plain reason for a file that cannot be opened."""

from __future__ import annotations

import os


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number ``n`` asks for: ``count(1, "row")`` → ``1 row``,
    ``count(3, "page")`` → ``3 pages``; ``plural`` for a noun that does not take an ``s``."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def article(word: str) -> str:
    """``a`` or ``an`` before ``word`` as it is read out (``an INSERT``, ``a SELECT``, ``an
    update``): by its first letter, which is right for the words the tool names."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def unreadable_input(exc: OSError) -> str:
    """Why an input could not be opened, in plain words: ``not found (no such file or folder)``
    for a path that does not exist (a link whose target is gone says so), else ``cannot read the file: <the system's reason>``."""
    if isinstance(exc, FileNotFoundError):
        if exc.filename is not None and os.path.islink(exc.filename):
            return f"a link whose target is gone ({os.readlink(exc.filename)}: no such file)"
        return "not found (no such file or folder)"
    return f"cannot read the file: {exc.strerror or exc}"


# Characters that would break or disguise a line on a terminal: C0/C1 controls and DEL, the
# line and paragraph separators, and the bidirectional overrides that reorder what follows.
_HIDDEN = {*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F),
           *range(0x2066, 0x206A)}
_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at the last space before the limit and
    ended by `` …`` so a quoted library message is never cut mid-word (one word longer than the
    limit is cut inside it). Text within the limit is returned as it is."""
    if len(text) <= limit:
        return text
    head = text[:max(0, limit - 2)]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:") + " …"


def printable(text: str, keep_newlines: bool = False) -> str:
    """``text`` for one line of a terminal: control characters written as escapes
    (``ctl\\x01\\nname.pdf`` → ``ctl\\\\x01\\\\nname.pdf``), everything else, any script, kept.
    ``keep_newlines``: line breaks stay (a traceback). For display only: the manifest and the
    JSON keep the real name."""
    out = []
    for ch in text:
        code = ord(ch)
        if code not in _HIDDEN or (keep_newlines and ch == "\n"):
            out.append(ch)
        else:
            out.append(_ESCAPES.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"))
    return "".join(out)
