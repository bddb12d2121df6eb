"""Join a cell's printed lines back into the text the document means.

A narrow cell wraps text at a word gap *or* in the middle of a word or number: ``PENUNJAN`` /
``G``, ``44.889.784`` / ``.840``, ``b u`` / ``la n``. At each line end we decide "space" or
"no space" from the evidence there is, strongest first:

1. the producer kept a space glyph at the line end (LibreOffice does at a word gap);
2. numbers: two pieces that only make one valid number together are one number; a number
   then a word is a quantity and its unit (``29 Orang``);
3. the producer keeps trailing spaces elsewhere in the document but not here: a mid-word break;
4. geometry: a line that stops well short of the cell's edge broke at a word gap (the next
   word did not fit); a line filled to the edge broke inside a word, unless the lexicon says
   both pieces are words and the joined text is not;
5. the lexicon alone (the document's own words, the official nomenclature, Renja vocabulary).

Two line ends are settled before that: a kode cut after one of its dots (``1.03.02.2.01.`` /
``01``) joins its digits, and a line ending ``letters-`` is either the producer's hyphenation
(``Pengelo-`` / ``laan``: the hyphen goes) or the author's hyphen (``Anak-`` / ``anak``: Indonesian
reduplication, ``Non-`` / ``ASN``, ``e-`` / ``katalog``: it stays), see :func:`hyphen_break`.

The arithmetic of the document is never consulted. Each decision carries a confidence; the
cell keeps the lowest one and a note of the unsure joins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from renjana.models import BBox, TextLine

from .numbers import is_valid_number

# Slack (points) when comparing a line's end with the cell's inner edge.
EDGE_SLACK = 0.8
# A line whose unused room is less than the next letter plus this (points) counts as full.
FULL_SLACK = 1.5
# Lines whose left (right, centre) edges agree within this many points share that alignment.
ALIGN_SLACK = 1.0
# A cell of at least this many lines, most of them this short, prints stacked letters.
STACKED_MIN_LINES = 4
STACKED_LINE_CHARS = 4
# Segmenting stacked letters: cost of each letter not in a known word, longest word tried.
UNKNOWN_LETTER_COST = 2.0
MAX_WORD = 24
# Confidence of each kind of evidence.
SURE, GEOMETRY, LEXICON, GUESS = 1.0, 0.95, 0.85, 0.6
# Reduplication (``anak-anak``, ``sehari-hari``, ``tolong-menolong``): the shortest root (letters)
# the two halves must share; shorter common pieces are too common inside ordinary words.
MIN_REDUP_ROOT = 3
# Imitative reduplication (``sayur-mayur``, ``warna-warni``): the shortest half (letters) compared
# by rhyme or by consonant skeleton, and how much the two halves' lengths may differ.
MIN_IMITATIVE = 4
IMITATIVE_LENGTH_SLACK = 1
# Indonesian affixes a reduplicated root may carry (grammar, not vocabulary): on the first half
# (``SEhari-hari``, ``PERundang-undangAN``), on the second (``tolong-MENolong``: the nasal prefix
# swallows the root's first consonant) and after either root (``sebanyak-banyakNYA``).
REDUP_FIRST_PREFIXES = ("", "se", "ke", "ber", "per", "ter", "di", "me", "mem", "men", "meng", "meny",
                        "pe", "pem", "pen", "peng", "peny")
REDUP_SECOND_PREFIXES = ("", "ber", "me", "mem", "men", "meng", "meny", "menge")
REDUP_SUFFIXES = ("", "an", "i", "kan", "nya", "annya", "lah", "pun", "ku", "mu")
# Characters a producer prints at a hyphenation point; the soft hyphen is never the author's.
HYPHENS = "-\u2010\u00ad"
SOFT_HYPHEN = "\u00ad"

BUILTIN_WORDS = Path(__file__).with_name("data") / "renja_words.txt"
NUMBER_PIECE = re.compile(r"[\d.,()%-]+$")
STARTS_NUMBER_PIECE = re.compile(r"^[\d.,)]")
WORD = re.compile(r"[A-Za-z]+")
HYPHENATED = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")
# A line that ends with letters then a hyphen: the letters after the last earlier hyphen.
HYPHEN_STEM = re.compile(rf"([A-Za-z]+)[{HYPHENS}]$")
LEADING_LETTERS = re.compile(r"[A-Za-z]+")
# A kode cut after one of its dots (``1.03.02.2.01.`` / ``01``): at least two numeric segments.
KODE_CUT_AT_DOT = re.compile(r"\d+(?:\.\d+)+\.")
SLASHED = re.compile(r"([A-Za-z]+)/( ?)(?=[A-Za-z])")


@dataclass
class Lexicon:
    """Known words, lower case."""

    words: set[str] = field(default_factory=set)

    def knows(self, word: str) -> bool:
        """Every letter run of the token is a known word (``Koperasi/UMK``: both parts)."""
        parts = WORD.findall(word)
        return bool(parts) and all(p.casefold() in self.words for p in parts)

    slashes: dict[str, list[int]] = field(default_factory=dict)  # word → [times "w/ x", times "w/x"]
    hyphenated: set[str] = field(default_factory=set)  # ``non-fisik``: printed whole, lower case

    def add_text(self, text: str) -> None:
        """Whole words (never a line's cut end): their letter runs, and hyphenated forms as printed."""
        self.words.update(w.casefold() for w in WORD.findall(text) if len(w) > 1)
        # A hyphenated form spans no space: only the tokens holding a hyphen are searched (the
        # pattern is slow over long runs of letters, and most text has no hyphen).
        hyphens = [token for token in text.split() if "-" in token]
        if hyphens:
            self.hyphenated.update(w.casefold() for w in HYPHENATED.findall(" ".join(hyphens)))

    def knows_hyphenated(self, form: str) -> bool:
        """The document printed ``form`` (``a-b``) whole, or the vocabulary lists it with its hyphen."""
        key = form.casefold()
        return key in self.hyphenated or key in self.words

    def add_line(self, text: str) -> None:
        """A whole printed line (or several, one a line of ``text``): its slashes show how the
        document spaces them."""
        if "/" not in text:
            return
        for word, space in SLASHED.findall(text):
            counts = self.slashes.setdefault(word.casefold(), [0, 0])
            counts[0 if space else 1] += 1

    def slash_spacing(self, word: str) -> bool | None:
        """Whether this document prints a space after ``word/`` (None: it never printed one whole)."""
        counts = self.slashes.get(word.casefold().split("/")[-1])
        if not counts or counts[0] == counts[1]:
            return None
        return counts[0] > counts[1]


@lru_cache(maxsize=1)
def builtin_words() -> frozenset[str]:
    """The small built-in Renja vocabulary shipped with the package."""
    text = BUILTIN_WORDS.read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@dataclass
class JoinContext:
    """What the joiner knows about the document and the cell."""

    lexicon: Lexicon
    keeps_trailing_space: bool  # the producer prints a space glyph at word-gap line ends
    padding: float  # cell padding (points) between a rule and the text
    # Words trusted to repair OCR'd cells (normalize/ocr_words.py); empty without OCR'd pages.
    ocr_trusted: set[str] = field(default_factory=set)


class Break(NamedTuple):
    """How two printed lines of a cell join: with a space or not; ``drop_hyphen``: the line's
    final hyphen was the producer's, not the author's, and goes."""

    space: bool
    confidence: float
    why: str
    drop_hyphen: bool = False


@dataclass
class Joined:
    text: str
    confidence: float = SURE
    notes: list[str] = field(default_factory=list)


def join_lines(lines: list[TextLine], cell: BBox, ctx: JoinContext) -> Joined:
    """The cell's text, joined line by line, with the confidence of the weakest join."""
    if not lines:
        return Joined("")
    if len(lines) == 1:  # most cells: nothing to join
        return Joined(lines[0].text.strip())
    if is_stacked(lines):
        return Joined(rebuild_stacked(lines, ctx.lexicon), LEXICON,
                      ["stacked letters: words rebuilt from the lexicon"])
    out = Joined(lines[0].text.strip())
    inner = (cell.x0 + ctx.padding, cell.x1 - ctx.padding)
    align = alignment(lines)
    for prev, line in zip(lines, lines[1:]):
        nxt = line.text.strip()
        if not nxt:
            continue
        brk = decide_break(out.text, prev, nxt, line, _room_left(prev, inner, align), ctx, inner[1] - inner[0])
        head = out.text[:-1] if brk.drop_hyphen else out.text
        out.text = head + (" " if brk.space else "") + nxt
        if brk.confidence < out.confidence:
            out.confidence = brk.confidence
        if brk.confidence < GEOMETRY:
            how = "space" if brk.space else "hyphen dropped" if brk.drop_hyphen else "joined"
            out.notes.append(f"{how} at '{_tail(out.text, nxt)}': {brk.why}")
    return out


def is_stacked(lines: list[TextLine]) -> bool:
    """A column one or two characters wide prints a word a few letters per line."""
    if len(lines) < STACKED_MIN_LINES:
        return False
    texts = [line.text.replace(" ", "") for line in lines]
    letters = sum(ch.isalpha() for t in texts for ch in t)
    short = sum(len(t) <= STACKED_LINE_CHARS for t in texts)
    return short >= 0.8 * len(texts) and letters >= 0.7 * sum(len(t) for t in texts)


def rebuild_stacked(lines: list[TextLine], lexicon: Lexicon) -> str:
    """Concatenate the letters (a kept space glyph still marks a word end) and cut the letter
    runs into the likeliest known words."""
    text = "".join(line.text.replace(" ", "") + (" " if line.trailing_space else "") for line in lines)
    out: list[str] = []
    for chunk in text.split():
        for piece in re.findall(r"[A-Za-z]+|[^A-Za-z]+", chunk):
            if piece[0].isalpha():
                words = segment_words(piece, lexicon)
                if out and out[-1].endswith(("-", "/")):
                    out[-1] += words[0]
                    words = words[1:]
                out.extend(words)
            elif out and piece[0] in "-/":
                out[-1] += piece
            else:
                out.append(piece)
        out.append("\n")  # a kept space: a sure word end
    return " ".join(w for w in out if w != "\n").replace("( ", "(").replace(" )", ")")


def segment_words(letters: str, lexicon: Lexicon) -> list[str]:
    """Cut a run of letters into words: known words cost 1, unknown letters cost more each,
    a cut before a capital after a small letter is cheap (``taCa`` → ``ta Ca``)."""
    n = len(letters)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n
    for i in range(1, n + 1):
        for j in range(max(0, i - MAX_WORD), i):
            piece = letters[j:i]
            known = len(piece) > 1 and piece.casefold() in lexicon.words
            cost = 1.0 if known else UNKNOWN_LETTER_COST * len(piece)
            if j and not (letters[j].isupper() and letters[j - 1].islower()):
                cost += 0.5  # a cut inside a lower-case run needs the lexicon's support
            if best[j][0] + cost < best[i][0]:
                best[i] = (best[j][0] + cost, j)
    words, i = [], n
    while i > 0:
        j = best[i][1]
        words.append(letters[j:i])
        i = j
    return list(reversed(words))


def alignment(lines: list[TextLine]) -> str:
    """``left``, ``right`` or ``center``: which edge the cell's lines share."""
    if len(lines) < 2:
        return "left"
    spread = lambda values: max(values) - min(values)  # noqa: E731
    lefts = spread([ln.bbox.x0 for ln in lines])
    rights = spread([ln.bbox.x1 for ln in lines])
    centres = spread([(ln.bbox.x0 + ln.bbox.x1) / 2 for ln in lines])
    if lefts <= ALIGN_SLACK:
        return "left"
    if rights <= ALIGN_SLACK:
        return "right"
    return "center" if centres <= ALIGN_SLACK * 2 else "left"


def _room_left(line: TextLine, inner: tuple[float, float], align: str) -> float:
    """Space the line left unused in its cell: how much more text would have fitted on it."""
    if align == "center":
        return (inner[1] - inner[0]) - (line.bbox.x1 - line.bbox.x0)
    if align == "right":
        return line.bbox.x0 - inner[0]
    return inner[1] - line.bbox.x1


def _tail(text: str, nxt: str) -> str:
    head = text[: len(text) - len(nxt)].rstrip()
    return f"{head[-12:]}|{nxt[:12]}"


def decide_break(before: str, prev: TextLine, nxt: str, line: TextLine, remaining: float,
                 ctx: JoinContext, inner_width: float = 1e9) -> Break:
    """The :class:`Break` between the text so far (``before``, whose last line is ``prev``) and the
    next line ``nxt`` (printed as ``line``); ``remaining``: points ``prev`` left unused in its cell."""
    if prev.trailing_space:
        return Break(True, SURE, "space glyph kept")
    last_word = before.split()[-1] if before.split() else ""
    first_word = nxt.split()[0]
    if KODE_CUT_AT_DOT.fullmatch(last_word) and first_word[:1].isdigit():
        return Break(False, SURE, "kode cut after a dot")
    if HYPHEN_STEM.search(last_word):
        return hyphen_break(last_word, first_word, ctx.lexicon)
    return Break(*_decide_gap(last_word, first_word, prev, line, remaining, ctx))


def _decide_gap(last_word: str, first_word: str, prev: TextLine, line: TextLine, remaining: float,
                ctx: JoinContext) -> tuple[bool, float, str]:
    """(space?, confidence, why) at a line end that is not a hyphenation."""

    # Numbers and quantities.
    if NUMBER_PIECE.fullmatch(last_word) and (last_word[-1].isdigit() or last_word[-1] in ".,"):
        if STARTS_NUMBER_PIECE.match(first_word):
            joined = last_word + first_word
            if is_valid_number(joined.rstrip("%")) or not is_valid_number(last_word):
                return False, SURE, "number pieces"
            if not is_valid_number(first_word):
                return False, GEOMETRY, "number continues"
        elif last_word[-1].isdigit() and (first_word[:1].isalpha() or first_word[:1] in "%-"):
            return True, SURE, "quantity and unit"
    if last_word in ("-", "(", "Rp", "Rp.") and STARTS_NUMBER_PIECE.match(first_word):
        return (last_word.startswith("Rp"), SURE, "sign or currency before a number")
    if last_word.endswith("-") and len(last_word) > 1:
        return False, GEOMETRY, "hyphen"
    if last_word == "/" or first_word == "/":
        return True, GEOMETRY, "a slash printed apart from its words is spaced on both sides"
    if last_word.endswith("/") and len(last_word) > 1:
        spaced = ctx.lexicon.slash_spacing(last_word[:-1])
        if spaced is None:
            return False, LEXICON, "break after a slash, no space glyph"
        return spaced, GEOMETRY, "the document's own spacing after this slash"
    if last_word[-1:] in ",;:)&" and first_word[:1].isalnum() or first_word[:1] in "&+=" and last_word[-1:].isalnum():
        return True, GEOMETRY, "punctuation between words"
    if last_word[-1:].isalpha() and first_word[:1].isdigit():
        return True, GEOMETRY, "a word then a number"

    if first_word.startswith("(") and last_word[-1:].isalnum():
        return True, GEOMETRY, "a bracket opens a new word"

    # Geometry: how much room did the line leave, and how wide is what follows?
    size = prev.font_size or 7.0
    glyphs = line.glyph_x
    char_width = (glyphs[0][1] - glyphs[0][0]) if len(glyphs) else size * 0.5  # the next line's first glyph
    if remaining < -EDGE_SLACK:
        # The line is wider than its cell: this producer does not cut words here, so a gap.
        return True, GEOMETRY, "line overflows its cell: words are not cut here"
    full = remaining < char_width + FULL_SLACK

    # The words: keep known words whole; join when only the joined word is known.
    joined_known = ctx.lexicon.knows(last_word + first_word)
    last_known, first_known = ctx.lexicon.knows(last_word), ctx.lexicon.knows(first_word)
    if joined_known and not (last_known and first_known):
        return False, (GEOMETRY if full else LEXICON), "the joined word is known, its pieces are not"
    if (last_known or first_known) and not joined_known:
        return True, (LEXICON if full else GEOMETRY), "known words kept whole"
    if not full:
        return True, GEOMETRY, "line stops short of the cell edge"
    # The line is full to the edge: a break inside a word, by the producer's habit when it
    # keeps a space glyph at word gaps; a guess otherwise.
    if ctx.keeps_trailing_space:
        return False, GEOMETRY, "line full, no space glyph where this producer keeps one"
    return False, GUESS, "line full; words unknown"


def hyphen_break(last_word: str, first_word: str, lexicon: Lexicon) -> Break:
    """A line ending ``letters-``: the producer's hyphenation (``Pengelo-`` / ``laan``: the hyphen
    goes) or the author's hyphen (``Anak-`` / ``anak``, ``e-`` / ``katalog``, ``Non-`` / ``ASN``:
    it stays, with no space).

    The author's hyphen is recognised by what follows it (a capital, a digit), by the form being
    known with its hyphen (printed whole elsewhere in the document, or in the vocabulary), by
    Indonesian reduplication (the halves repeat one root) or by a one-letter prefix, which no
    producer leaves alone before a hyphenation point. Otherwise a known joined word says the
    hyphen is the producer's. When the joined word is unknown, upper-case pieces (``ABC-`` /
    ``DE``: the case tells nothing) and pieces that are words on their own (``non-`` / ``fisik``)
    keep the hyphen, other lower-case continuations lose it; all three are noted as unsure."""
    stem = HYPHEN_STEM.search(last_word).group(1)
    if last_word.endswith(SOFT_HYPHEN):
        return Break(False, SURE, "soft hyphen", drop_hyphen=True)
    letters = LEADING_LETTERS.match(first_word)
    if not letters:
        return Break(False, GEOMETRY, "hyphen before a non-letter")
    tail = letters.group(0)
    if lexicon.knows_hyphenated(f"{stem}-{tail}"):
        return Break(False, GEOMETRY, "hyphenated word known")
    if is_reduplication(stem, tail):
        return Break(False, GEOMETRY, "reduplication keeps its hyphen")
    all_caps = stem.isupper() and tail.isupper() and len(tail) > 1
    if tail[0].isupper() and not all_caps:
        return Break(False, GEOMETRY, "a capital after the hyphen starts a new word")
    if len(stem) == 1:
        return Break(False, GEOMETRY, "one-letter prefix keeps its hyphen")
    if lexicon.knows(stem + tail):
        return Break(False, GEOMETRY, "producer hyphenation, the joined word is known", drop_hyphen=True)
    if all_caps:
        return Break(False, LEXICON, "upper-case pieces, the joined word is unknown: hyphen kept")
    if lexicon.knows(stem) and lexicon.knows(tail):
        return Break(False, LEXICON, "both pieces are words, the joined word is not: hyphen kept")
    return Break(False, LEXICON, "producer hyphenation, the joined word is unknown", drop_hyphen=True)


def is_reduplication(first: str, second: str) -> bool:
    """The two halves of ``first-second`` repeat one another as Indonesian reduplication does:
    whole (``kupu-kupu``), with affixes (``sehari-hari``, ``perundang-undangan``,
    ``sebanyak-banyaknya``, ``tolong-menolong``), or imitatively (``sayur-mayur``: a changed first
    sound; ``warna-warni``: changed vowels)."""
    a, b = first.casefold(), second.casefold()
    for prefix in REDUP_FIRST_PREFIXES:
        if not a.startswith(prefix) or len(a) - len(prefix) < MIN_REDUP_ROOT:
            continue
        root = a[len(prefix):]
        for lead in REDUP_SECOND_PREFIXES:
            # After a nasal prefix the root may lose its first consonant (me-N + tolong: menolong).
            for body in ((root, root[1:]) if lead.startswith("me") else (root,)):
                if len(body) >= MIN_REDUP_ROOT and any(b == lead + body + end for end in REDUP_SUFFIXES):
                    return True
    if min(len(a), len(b)) < MIN_IMITATIVE or abs(len(a) - len(b)) > IMITATIVE_LENGTH_SLACK:
        return False
    if len(a) == len(b) and a[1:] == b[1:] and a[0] != b[0]:
        return True  # rhyme: sayur-mayur, lauk-pauk, ramah-tamah
    skeleton = lambda w: re.sub("[aeiou]", "", w)  # noqa: E731
    return a[0] == b[0] and len(a) == len(b) and skeleton(a) == skeleton(b)  # warna-warni, bolak-balik
