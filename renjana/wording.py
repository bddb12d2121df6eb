"""Counts and articles in the messages the tool prints and records: ``1 row``, ``2 rows``,
``an INSERT``, and the plain reason for a file that cannot be opened."""

from __future__ import annotations


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
    for a path that does not exist, else ``cannot read the file: <the system's reason>``."""
    if isinstance(exc, FileNotFoundError):
        return "not found (no such file or folder)"
    return f"cannot read the file: {exc.strerror or exc}"
