"""The "label : value" block a document prints around its tables (SIPD RKA/DPA sheets:
``Urusan Pemerintahan : 2 URUSAN …``, ``Lokasi : Kota Batu``, ``Alokasi 2023 : Rp 406.594.465,00``).

It is not a table: no rules, two columns held together by a colon. Each item keeps its page and
the value as printed, a value wrapped onto the next lines joined with spaces. Units: PDF points.
"""

from __future__ import annotations

import re

from renjana.models import ContextItem, PageText, TextLine

# "Label : value": a label of a few words (letters first, no sentence punctuation), a colon set
# apart or right after it, then the value.
LABEL_VALUE = re.compile(r"^(?P<label>[^\W\d_][\w /().,-]{0,48}?)\s*:\s+(?P<value>\S.*)$")
# A value's continuation line starts this close (points) to where the value started.
VALUE_ALIGN = 3.0
# A block has at least this many items (a single "Catatan : …" line is running text).
MIN_ITEMS = 3
# Consecutive lines of a block are at most this far apart (share of the font size, ink to ink).
BLOCK_GAP_RATIO = 1.5


def context_blocks(pages: list[PageText]) -> list[ContextItem]:
    """Every "label : value" block of the document's running text, in page order."""
    items: list[ContextItem] = []
    for page in pages:
        items.extend(_page_items(page.page, page.lines))
    return items


def _value_x(line: TextLine, value: str) -> float | None:
    """Where the value starts on the line (points), from the glyph boxes."""
    start = len(line.text) - len(value)
    if 0 <= start < len(line.glyph_x):
        return line.glyph_x[start][0]
    return None


def _page_items(page: int, lines: list[TextLine]) -> list[ContextItem]:
    blocks: list[list[ContextItem]] = [[]]
    value_x: float | None = None
    last: TextLine | None = None
    for line in sorted(lines, key=lambda ln: ln.bbox.top):
        gap_ok = last is not None and line.bbox.top - last.bbox.bottom <= BLOCK_GAP_RATIO * line.font_size
        match = LABEL_VALUE.match(line.text)
        if match:
            if not gap_ok and blocks[-1]:
                blocks.append([])
            value = match.group("value").strip()
            blocks[-1].append(ContextItem(page=page, label=" ".join(match.group("label").split()), value=value))
            value_x = _value_x(line, match.group("value"))
        elif (gap_ok and blocks[-1] and value_x is not None
              and abs(line.bbox.x0 - value_x) <= VALUE_ALIGN):
            blocks[-1][-1].value += " " + line.text.strip()
        else:
            if blocks[-1]:
                blocks.append([])
            value_x = None
        last = line
    return [item for block in blocks if len(block) >= MIN_ITEMS for item in block]
