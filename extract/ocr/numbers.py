"""The Indonesian number grammar, for OCR readings: is a reading a valid number, and the one
repair a single edit makes.

A number is printed ``1.234.567,89``: digits grouped by ``.`` in threes (at most three digits
before the first dot and no dot in a number below 1.000 only when it has at most three digits),
an optional decimal part after ``,``, an optional sign ``-`` or parentheses, an optional ``%``.
A lone ``-`` is nil. Only the grammar decides: never the document's arithmetic.
"""

from __future__ import annotations

import re

# Planning tables print money with 2 decimals, percentages with 2, quantities with up to 3:
# a longer decimal part is a misread separator (``194.065,80000`` for ``194.065.800,00``).
MAX_DECIMALS = 3
NUMBER = re.compile(r"^(?:-\s?)?\(?(?:\d{1,3}(?:\.\d{3})+|\d{1,3})(?:,\d{1,%d})?\)?\s?%%?$" % MAX_DECIMALS)
NIL = re.compile(r"^[-–—]$")
# Characters a number cell is printed with; a reading made only of these is a number reading.
NUMBER_CHARS = frozenset("0123456789.,%-() ")
# What one edit may do: change a separator into the other, drop one character that is not a
# digit (a speck read as ',' or '\'', a space inside the number), put back a separator between
# two digits, drop a digit of a run of equal digits (read twice), or turn a look-alike into its
# digit or separator (below). Digits are never invented or changed: the grammar cannot tell
# which digit was printed.
SEPARATORS = ".,"
# Characters OCR returns for a digit whose stroke it misjudged: an edit may turn one of them
# into the digit it looks like (``|.554.844.409`` → ``1.554.844.409``).
LOOKALIKE_DIGITS = {"|": "1", "l": "1", "I": "1", "O": "0", "o": "0"}
# ... and the marks OCR returns for a separator (a comma's tail or a dot with a speck).
LOOKALIKE_SEPARATORS = frozenset(";:'`")


def is_number_reading(text: str) -> bool:
    """The text holds digits and only the characters numbers are printed with (one digit
    look-alike such as ``|`` or ``O`` allowed among them)."""
    squeezed = text.strip()
    odd = [ch for ch in squeezed if ch not in NUMBER_CHARS]
    return (any(ch.isdigit() for ch in squeezed)
            and (not odd or (len(odd) == 1 and (odd[0] in LOOKALIKE_DIGITS or odd[0] in LOOKALIKE_SEPARATORS))))


def looks_numeric(text: str) -> bool:
    """No letters, and digits are at least half of the printed characters: a number reading
    possibly spoilt by a speck (``194.065.800;00``)."""
    chars = [ch for ch in text if not ch.isspace()]
    digits = sum(ch.isdigit() for ch in chars)
    letters = [ch for ch in chars if ch.isalpha()]
    return (bool(chars) and (not letters or (len(letters) == 1 and letters[0] in LOOKALIKE_DIGITS))
            and 2 * digits >= len(chars))


def is_valid(text: str) -> bool:
    """``text`` (stripped) is a valid Indonesian number, with sign, parentheses or %, or nil."""
    text = text.strip()
    if (text.startswith("(") != text.endswith(")")) and not text.endswith("%"):
        return False
    return bool(NUMBER.match(text) or NIL.match(text))


def single_edits(text: str) -> set[str]:
    """Every text one edit away (see the edits allowed above)."""
    out = set()
    for i, ch in enumerate(text):
        if ch.isdigit():
            # A digit read twice (``2.331.300.0000``): dropping it counts only when every
            # choice gives the same text, i.e. it stands in a run of that digit.
            if (i and text[i - 1] == ch) or (i + 1 < len(text) and text[i + 1] == ch):
                out.add(text[:i] + text[i + 1:])
            continue
        out.add(text[:i] + text[i + 1:])
        if ch in LOOKALIKE_DIGITS:
            out.add(text[:i] + LOOKALIKE_DIGITS[ch] + text[i + 1:])
        if ch in LOOKALIKE_SEPARATORS:
            out.update(text[:i] + sep + text[i + 1:] for sep in SEPARATORS)
        if ch in SEPARATORS:
            other = "," if ch == "." else "."
            out.add(text[:i] + other + text[i + 1:])
    # A separator the engine dropped (often the last character of a wrapped line).
    for i in range(1, len(text)):
        if text[i - 1].isdigit() and text[i].isdigit():
            out.update(text[:i] + sep + text[i:] for sep in SEPARATORS)
    out.discard(text)
    return out


def decimals_of(text: str) -> int:
    """Digits after the decimal comma of a valid number reading (0 when none)."""
    body = text.strip().rstrip("%").rstrip().rstrip(")")
    return len(body.rsplit(",", 1)[1]) if "," in body else 0


def repair(text: str, decimals: int | None = None) -> tuple[str, str | None]:
    """(reading, note): a number reading that is not valid, repaired when exactly one single
    edit makes it valid (the note says what changed); otherwise unchanged with note None.

    ``decimals``: the decimals the reading's column prints (its printing convention, e.g. money
    with 0 or 2 decimals; None when the column has none). When several single edits are valid,
    the one that alone prints the column's decimals and keeps the reading's ``%`` is taken: a
    choice by the column's format, never by the document's arithmetic."""
    stripped = text.strip()
    tokens = stripped.split()
    if len(tokens) > 1 and tokens[1:] != ["%"]:
        return text, None  # a count and its unit (``0 -``, ``2 Unit``): not one number
    if not is_number_reading(stripped) or is_valid(stripped):
        return text, None
    valid = sorted(c for c in single_edits(stripped) if is_valid(c))
    if len(valid) > 1 and decimals is not None:
        fits = [c for c in valid if decimals_of(c) == decimals and ("%" in c) == ("%" in stripped)]
        if len(fits) == 1:
            return fits[0], (f"OCR read '{stripped}', not a valid number; of the single edits the number "
                             f"grammar allows ({', '.join(valid)}), only '{fits[0]}' prints the "
                             f"{decimals} decimals of its column")
    if len(valid) != 1:
        return text, None
    return valid[0], f"OCR read '{stripped}', not a valid number; one edit by the number grammar gives '{valid[0]}'"


# A count as a column of counts prints it: digits, grouped or not (``1390 Orang``).
COUNT = re.compile(r"^\d+(?:[.,]\d+)*%?$")


def leading_number(text: str) -> bool:
    """The text opens with a valid number token (``6 Unit``, ``0 -``, ``100 %``)."""
    tokens = text.split()
    return bool(tokens) and bool(COUNT.match(tokens[0]))


def repair_leading_count(text: str) -> tuple[str, str | None]:
    """In a column of counts with units (``6 Unit``), a first token that is one look-alike of a
    digit (``O Unit``) is that digit; (text, note) or (text, None) when nothing changed."""
    tokens = text.split(" ")
    if len(tokens) >= 2 and tokens[0] in LOOKALIKE_DIGITS:
        fixed = " ".join([LOOKALIKE_DIGITS[tokens[0]], *tokens[1:]])
        return fixed, f"OCR read '{text}'; in a column of counts the first token is the digit: '{fixed}'"
    return text, None


# Marks OCR returns for a lone printed '-' (nil) with a speck beside or a stroke doubled.
NIL_LOOKALIKE = re.compile(r"^[-~=_–—]{1,3}$")


def repair_nil(text: str) -> tuple[str, str | None]:
    """In a number column, a reading made only of dash-like marks (``~-``, ``=``) is the nil
    sign ``-``; (text, note) or (text, None) when nothing changed."""
    stripped = text.strip()
    if stripped != "-" and NIL_LOOKALIKE.match(stripped):
        return "-", f"OCR read '{stripped}': dash-like marks alone in a number column are the nil sign '-'"
    return text, None
