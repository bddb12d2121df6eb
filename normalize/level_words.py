"""Level words: what the first words of a row's label say it is (data/level_words.txt).

``URUSAN PEMERINTAHAN BIDANG …`` opens a bidang, ``Sub Kegiatan …`` a sub kegiatan, ``JUMLAH …``
a total whatever words follow, ``[#]`` a SIPD group line, ``DINAS …`` an agency block. The
vocabulary is data, not code: add a spelling to the file, not a branch here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("data") / "level_words.txt"
# A label is letter-spaced (a narrow cell stacking a word letter by letter, "J U M L A H") when at
# least this share of its space-separated pieces are single characters …
LETTER_SPACED_SHARE = 0.6
# … and it has at least this many pieces (so "A B" is not taken for a stacked word).
LETTER_SPACED_MIN_PIECES = 3


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[str, str], ...]:
    """(phrase, category) pairs from the words file, longest phrase first. Phrases are lower
    case with single spaces."""
    pairs = []
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        category, phrase = line.split(":", 1)
        pairs.append((" ".join(phrase.split()).casefold(), category.strip()))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def letter_spaced(text: str) -> bool:
    """True when ``text`` looks like one word printed letter by letter."""
    pieces = text.split()
    return len(pieces) >= LETTER_SPACED_MIN_PIECES and \
        sum(len(p) == 1 for p in pieces) >= LETTER_SPACED_SHARE * len(pieces)


# Normalize and validate ask for the same labels' words several times over (a row's level, its
# parent's, an agency block): the answer of a label is kept.
OPENING_WORDS_KEPT = 4096


@lru_cache(maxsize=OPENING_WORDS_KEPT)
def opening_word(text: str) -> str | None:
    """The category of the level word opening ``text`` (see the words file), or None.

    The phrase must end at a word boundary (``program`` does not open ``programmer``). A
    letter-spaced label is read with its spaces removed. ``agency`` is only returned for a label
    printed in capitals: in lower case such words open ordinary names.
    """
    t = _normal(text)
    if letter_spaced(text):
        t = t.replace(" ", "")
    for phrase, category in vocabulary():
        if not t.startswith(phrase):
            continue
        rest = t[len(phrase):]
        if rest and phrase[-1].isalnum() and (rest[0].isalnum()):
            continue
        if category == "agency" and not in_capitals(text):
            continue
        return category
    return None


def hierarchy_word(text: str) -> str | None:
    """The hierarchy level (urusan … sub_kegiatan) a name's opening words say, or None."""
    category = opening_word(text)
    return category if category in ("urusan", "bidang", "program", "kegiatan", "sub_kegiatan") else None


def in_capitals(text: str) -> bool:
    """True when every letter of ``text`` is a capital (typography: headings, programs)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)
