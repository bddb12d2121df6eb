"""The column-number row and the arithmetic it states.

Renja headers end with a row numbering the columns (``1 2 3``, ``(1) (2)``, ``1.``); some
numbers carry a formula (``12 = 8+9+10+11``, ``13 = 12/7 x 100%``, ``(8) = (6) - (4)``). A K/Rp
pair prints its group number twice (``5 5``) or once over both halves. This module reads those
numbers into :class:`renjana.models.Relation` objects between column keys.
"""

from __future__ import annotations

import re

from renjana.models import Relation

# One operand of a formula: a column number, bare or in parentheses.
_OPERAND = r"\(?\s*\d{1,2}\s*\)?"
# A column number with an optional formula: "5", "(5)", "5.", "8=(7-5)", "13 = 12/7 x 100%".
_EXPR = rf"\(?\s*{_OPERAND}(?:\s*[-+x×*/:]\s*(?:{_OPERAND}|100))*\s*\)?\s*(?:[x×*]\s*100\s*)?%?"
ITEM = re.compile(rf"\s*(\(?\d{{1,2}}\)?\.?)(?:\s*=\s*({_EXPR}))?(?=\s|$)")
# The bare number of a number-row cell ("5", "(5)", "5.").
BARE = re.compile(r"^\(?(\d{1,2})\)?\.?$")
# The trailing run of a label that may hold column numbers ("KODE 1", "Realisasi (Rp) 4 5 = 4/3 x 100").
TRAILING_ZONE = re.compile(r"[\d\s+\-x×*/:%().=]+$")
# Trailing numbers are taken from labels only when at least this many columns carry one.
MIN_LABEL_NUMBERS = 3


def parse_items(text: str) -> list[tuple[int, str | None]] | None:
    """The numbers (with their formula, if any) printed in one number-row text, left to right:
    ``"4 5 = 4/3 x 100"`` → ``[(4, None), (5, "4/3 x 100")]``; None when the text is not
    wholly column numbers."""
    items, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = ITEM.match(text, pos)
        if not m or m.end() == pos:
            return None
        items.append((int(re.sub(r"\D", "", m.group(1))), m.group(2).strip() if m.group(2) else None))
        pos = m.end()
    return items or None


def split_fused(numbers: list[str]) -> list[str]:
    """A cell holding two numbers (``"6 7"``) with an empty cell beside it: the numbers of two
    narrow columns fused into one cell; give each column its own."""
    out = list(numbers)
    for i, text in enumerate(out):
        items = parse_items(text) if text.strip() else None
        if not items or len(items) < 2:
            continue
        n = len(items)
        if i + n <= len(out) and all(not out[j].strip() for j in range(i + 1, i + n)):
            parts = _item_texts(text)
            if len(parts) == n:
                out[i:i + n] = parts
    return out


def _item_texts(text: str) -> list[str]:
    parts, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = ITEM.match(text, pos)
        if not m or m.end() == pos:
            break
        parts.append(m.group(0).strip())
        pos = m.end()
    return parts


def numbers_from_labels(stacks: list[list[str]]) -> tuple[list[list[str]], list[str]] | None:
    """Column numbers printed at the end of the deepest labels when the number row was read
    into the label cells (``"KODE 1"``, ``"TARGET KINERJA 3"``). Returns the stacks without
    those numbers and one number text per column, or None when the labels do not end in a
    run of column numbers rising one by one (a K/Rp pair may print its number twice)."""
    n = len(stacks)
    numbers = [""] * n
    cleaned = [list(s) for s in stacks]
    i = 0
    found = 0
    while i < n:
        j = i
        while j + 1 < n and stacks[j + 1] and stacks[j + 1] == stacks[i]:
            j += 1
        if stacks[i]:
            label = stacks[i][-1]
            split = _trailing_items(label)
            if split is not None:
                head, items = split
                width = j - i + 1
                if len(items) == width or len(items) == 1:
                    for k in range(width):
                        num, formula = items[k if len(items) == width else 0]
                        numbers[i + k] = f"{num} = {formula}" if formula else str(num)
                        cleaned[i + k][-1] = head
                    found += width
        i = j + 1
    values = [int(BARE.match(x.split("=")[0].strip()).group(1)) for x in numbers
              if x and BARE.match(x.split("=")[0].strip())]
    rising = all(0 <= b - a <= 1 for a, b in zip(values, values[1:]))
    if found < MIN_LABEL_NUMBERS or not rising or not values or values[0] > 2:
        return None
    return [[t for t in s if t] for s in cleaned], numbers


def _trailing_items(label: str) -> tuple[str, list[tuple[int, str | None]]] | None:
    m = TRAILING_ZONE.search(label)
    if not m:
        return None
    zone_start = m.start()
    # Try each token start inside the zone: the first from which the rest parses wholly.
    for t in re.finditer(r"(?:(?<=\s)|^)\(?\d", label[zone_start:]):
        start = zone_start + t.start()
        if start == 0:
            continue  # a label that is only numbers is the number row itself, not a label
        items = parse_items(label[start:])
        if items:
            return label[:start].strip(), items
    return None


def _operands(expr: str) -> tuple[str, list[tuple[str, int]]]:
    """('sum'|'ratio'|'', operands) of a formula right-hand side."""
    e = re.sub(r"\s+", "", expr).replace("×", "x").replace("*", "x").replace(":", "/")
    e = e.replace("%", "")
    scale = 1
    if re.search(r"x100$", e):
        scale, e = 100, e[:-4]
    e = re.sub(r"^\((.*)\)$", r"\1", e)
    if m := re.fullmatch(r"\(?(\d{1,2})\)?/\(?(\d{1,2})\)?", e):
        return ("ratio", [("num", int(m.group(1))), ("den", int(m.group(2))), ("scale", scale)])
    if scale != 1:
        return "", []
    terms = re.findall(r"([+-]?)\(?(\d{1,2})\)?", e)
    if not terms or re.sub(r"[+\-()\d]", "", e):
        return "", []
    return "sum", [("-" if sign == "-" else "+", int(num)) for sign, num in terms]


def relations(numbers: list[str], keys: list[str]) -> list[Relation]:
    """The arithmetic the number row states, as relations between ``keys`` (one per column).

    A formula over groups of K/Rp pairs relates the halves position by position
    (``10 = 6 + 8`` over pairs: the K half of 10 from the K halves of 6 and 8). A formula
    naming a number no column carries is skipped.
    """
    groups: dict[int, list[int]] = {}
    formulas: list[tuple[int, int, str]] = []
    for col, text in enumerate(numbers):
        items = parse_items(text) if text.strip() else None
        if not items or len(items) != 1:
            continue
        num, formula = items[0]
        groups.setdefault(num, []).append(col)
        if formula:
            formulas.append((col, num, formula))
    out: list[Relation] = []
    for col, num, formula in formulas:
        kind, ops = _operands(formula)
        if not kind:
            continue
        pos = groups[num].index(col)
        width = len(groups[num])

        def key_of(n: int) -> str | None:
            cols = groups.get(n)
            if not cols:
                return None
            if len(cols) == width:
                return keys[cols[pos]]
            return keys[cols[0]] if len(cols) == 1 else None

        printed = f"{num} = {formula}"
        if kind == "ratio":
            num_key, den_key = key_of(ops[0][1]), key_of(ops[1][1])
            if num_key and den_key:
                out.append(Relation(column=keys[col], kind="ratio", numerator=num_key,
                                    denominator=den_key, scale=ops[2][1], printed=printed))
        else:
            terms = [(sign, key_of(n)) for sign, n in ops]
            if all(k for _, k in terms):
                out.append(Relation(column=keys[col], kind="sum",
                                    plus=[k for s, k in terms if s == "+"],
                                    minus=[k for s, k in terms if s == "-"], printed=printed))
    return out
