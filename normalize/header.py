"""The multi-row header of a table: where it ends, how it was printed, and its leaf columns."""

from __future__ import annotations

import re

from renjana.models import HeaderCell, PageTable, RawCell

# The header (with its column-number row) is never deeper than this many rows.
MAX_HEADER_ROWS = 8
# A kode or a money amount: the body has begun.
# A kode, a money amount or a decimal value (``8,00``): the body has begun (a header's
# column numbers and labels hold no decimal comma).
BODY_VALUE = re.compile(r"^\d+(\.\d+){1,5}\.?$|^\d{1,3}(\.\d{3})+(,\d+)?$|^\d+,\d+\s?%?$")
NUMBER_TOKEN = re.compile(r"^\d{1,2}[a-z]?$|^\d{1,2}\s*=\s*[\d\s+\-x×/*%().]+$|^[\d\s+\-x×/*%()=.]+$")


def is_number_row(texts: list[str]) -> bool:
    """A header row of column numbers: ``1 2 3 … 12 = 8+9+10+11 13 = 12/7 x 100%``."""
    filled = [t for t in texts if t.strip()]
    if len(filled) < 3:
        return False
    if not all(NUMBER_TOKEN.match(t.strip()) for t in filled):
        return False
    # Column numbers may be printed bare or in parentheses: "5", "(5)".
    return sum(bool(re.match(r"^\(?\d{1,2}\)?$", t.strip())) for t in filled) >= 2


def row_texts(table: PageTable, row: int, text_of) -> list[str]:
    """The text of each atomic column of ``row`` (a merged cell's text in its first column)."""
    return texts_of(table, (cell for cell in table.cells if cell.row == row), text_of)


def top_rows_texts(table: PageTable, rows: int, text_of) -> list[list[str]]:
    """:func:`row_texts` of each of the table's first ``rows`` rows (its cells looked through once)."""
    return [texts_of(table, cells, text_of) for cells in top_rows(table, rows)]


def top_rows(table: PageTable, rows: int) -> list[list[RawCell]]:
    """The cells of each of the table's first ``rows`` rows, in the table's order. (Looking through
    a table's cells costs: their objects lie all over memory.)"""
    by_row: list[list[RawCell]] = [[] for _ in range(rows)]
    for cell in table.cells:
        if cell.row < rows:
            by_row[cell.row].append(cell)
    return by_row


def texts_of(table: PageTable, cells, text_of) -> list[str]:
    """The text of each atomic column of a row of ``cells`` (as :func:`row_texts`)."""
    texts = [""] * table.n_cols
    for cell in cells:
        texts[cell.col] = text_of(cell)
    return texts


def header_depth(table: PageTable, text_of, by_row: list[list[RawCell]] | None = None) -> int:
    """How many rows at the top of this page table are header rows (0 when none). ``by_row``: the
    cells of its first rows (:func:`top_rows`, at least ``min(MAX_HEADER_ROWS, table.n_rows)``
    rows) when the caller has them."""
    limit = min(MAX_HEADER_ROWS, table.n_rows)
    if by_row is None:
        by_row = top_rows(table, limit)
    last_number_row = None
    for r in range(limit):
        texts = texts_of(table, by_row[r], text_of)
        if is_number_row(texts):
            last_number_row = r  # group numbers (5, 6, 7 over K/Rp pairs) can come before the last
        elif any(BODY_VALUE.match(t.strip()) for t in texts):
            break
    if last_number_row is not None:
        return last_number_row + 1
    first = by_row[0] if limit else [c for c in table.cells if c.row == 0]
    depth = max((c.rowspan for c in first), default=1)
    if depth == 1 and any(re.match(r"^\d+(\.\d+)+\.?$", text_of(c)) for c in first):
        return 0  # starts with a kode: no header on this page
    return min(depth, table.n_rows)


def printed_header(table: PageTable, depth: int, text_of) -> list[list[HeaderCell]]:
    rows: list[list[HeaderCell]] = [[] for _ in range(depth)]
    for cell in table.cells:
        if cell.row < depth:
            rows[cell.row].append(HeaderCell(text=text_of(cell), colspan=cell.colspan,
                                             rowspan=min(cell.rowspan, depth - cell.row)))
    return rows


def leaf_labels(table: PageTable, depth: int, text_of) -> tuple[list[list[str]], list[str]]:
    """For each column, the header texts covering it top to bottom, and its column number.
    The column-number row may sit anywhere in the header (above or below the K/Rp row)."""
    stacks: list[list[str]] = [[] for _ in range(table.n_cols)]
    numbers = [""] * table.n_cols
    number_rows = {r for r, texts in enumerate(top_rows_texts(table, depth, text_of)) if is_number_row(texts)}
    number_row = max(number_rows, default=None)
    cells: list[RawCell] = sorted((c for c in table.cells if c.row < depth), key=lambda c: (c.row, c.col))
    for cell in cells:
        text = text_of(cell).strip()
        for col in range(cell.col, cell.col + cell.colspan):
            if cell.row == number_row:
                numbers[col] = text if cell.colspan == 1 or col == cell.col else ""
            elif cell.row in number_rows:
                continue  # group numbers (5, 6, 7 over K/Rp pairs) above the last number row
            elif text and not re.fullmatch(r"\d{1,2}", text) and (not stacks[col] or stacks[col][-1] != text):
                stacks[col].append(text)
    return stacks, numbers


# A header label that only names a unit: the K / Rp / % row of a header.
UNIT_LABEL = re.compile(r"^\(?(k|rp\.?|%|satuan)\)?$", re.IGNORECASE)
# A fragment of a formula wrapped onto the line under the column-number row ("+8+9+10", "11/6 x 100%").
FORMULA_TAIL = re.compile(r"^[\d\s+\-x×/*%().=]+$")
# Rows looked at under the header for a unit row or a wrapped formula line.
MAX_TAIL_ROWS = 2


def is_unit_row(texts: list[str]) -> bool:
    """A row of unit labels only (``K Rp K Rp``): the K/Rp row of the header."""
    filled = [t.strip() for t in texts if t.strip()]
    return len(filled) >= 2 and all(UNIT_LABEL.match(t) for t in filled)


def is_formula_tail(texts: list[str]) -> bool:
    """A row holding only the wrapped ends of number-row formulas (``+8+9+10``, ``11/6 x 100%``)."""
    filled = [t.strip() for t in texts if t.strip()]
    return (len(filled) >= 2 and all(FORMULA_TAIL.match(t) and re.search(r"[+\-/x×*]", t) for t in filled)
            and not any(re.match(r"^\(?\d{1,2}\)?$", t) for t in filled))


def header_tail(rows: list[list[str]], stacks: list[list[str]], numbers: list[str]) -> int:
    """How many of the first body ``rows`` (texts per column) still belong to the header: a
    K/Rp row printed under the column-number row, or formulas wrapped onto the next line.
    Their texts are added to ``stacks`` (unit labels) and ``numbers`` (formula ends) in place."""
    used = 0
    for texts in rows[:MAX_TAIL_ROWS]:
        if is_unit_row(texts):
            for col, text in enumerate(texts):
                if text.strip() and col < len(stacks):
                    stacks[col].append(text.strip())
        elif is_formula_tail(texts) and any(n.strip() for n in numbers):
            for col, text in enumerate(texts):
                if text.strip() and col < len(numbers):
                    numbers[col] = " ".join(f"{numbers[col]} {text.strip()}".split())
        else:
            break
        used += 1
    return used
