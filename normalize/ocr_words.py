"""Words misread by OCR, repaired from the words the document and the vocabulary know.

A word of an OCR'd cell that no trusted source knows is replaced by the one trusted word one
confusion away (letters OCR takes for one another, :data:`CONFUSABLE`; a thin letter added or
dropped: ``Kalli`` → ``Kali``, ``Pakel`` → ``Paket``, ``!zin`` → ``Izin``), only when exactly one
such word exists; the cell's repair note says so.
Trusted: the official nomenclature, the built-in Renja vocabulary, and words the document
itself prints at least :data:`MIN_SEEN` times (one misreading does not make a word). Numbers
and codes are never touched here (the number grammar in ``extract/ocr`` handles them).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# A word the document prints this often is a word, even when the vocabulary lacks it.
MIN_SEEN = 3
# Shorter words are left alone: too many words are one edit from a short word.
MIN_LENGTH = 4
# What a token may hold to be taken for a misread word: letters and the marks OCR returns for
# a letter (``!`` or ``|`` for ``I``/``l``).
TOKEN = re.compile(r"(?<![\w!|])([A-Za-z!|][A-Za-z!|]+)(?![\w!|])")


def document_words(texts: Iterable[str]) -> Counter:
    """How often each word (lower case, letters only) is printed in ``texts``."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(w.casefold() for w in re.findall(r"[A-Za-z]+", text))
    return counts


# Letters Tesseract takes for one another at table sizes (lower case; both ways). Only these
# substitutions repair a word: a correct but rare word (``harian``, ``temu``) is one edit from
# many known words too, but seldom by a confusion of shapes.
CONFUSABLE = {("q", "g"), ("l", "i"), ("n", "p"), ("n", "h"), ("c", "e"), ("o", "c"),
              ("u", "v"), ("m", "n")}
# Marks OCR returns for a thin letter, and thin letters it adds or drops.
MARKS = {"!": "il", "|": "il"}
THIN = "li"


def _edits(word: str) -> set[str]:
    """Every word one confusion away: a confusable letter, a mark for a thin letter, or a thin
    letter added or dropped."""
    pairs = CONFUSABLE | {(b, a) for a, b in CONFUSABLE}
    out = set()
    for i, ch in enumerate(word):
        head, tail = word[:i], word[i + 1:]
        out.update(head + b + tail for a, b in pairs if a == ch)
        out.update(head + b + tail for b in MARKS.get(ch, ""))
        if ch in THIN:
            out.add(head + tail)
    for i in range(len(word) + 1):
        out.update(word[:i] + t + word[i:] for t in THIN)
    out.discard(word)
    return out


def _cased_like(word: str, model: str) -> str:
    letters = [c for c in model if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return word.upper()
    if model[:1].isupper() or model[:1] in "!|":
        return word[:1].upper() + word[1:]
    return word


def repair_words(text: str, trusted: set[str]) -> tuple[str, list[str]]:
    """``text`` with each unknown word of at least :data:`MIN_LENGTH` characters replaced by the
    single trusted word one edit away; returns (text, notes of what changed)."""
    notes: list[str] = []

    def fix(m: re.Match) -> str:
        token = m.group(1)
        key = token.casefold()
        if len(token) < MIN_LENGTH or (key.isalpha() and key in trusted):
            return token
        found = {c for c in _edits(key) if c in trusted}
        if len(found) != 1:
            return token
        word = _cased_like(found.pop(), token)
        notes.append(f"OCR read '{token}', not a known word; the one known word an edit away is '{word}'")
        return word

    return TOKEN.sub(fix, text), notes
