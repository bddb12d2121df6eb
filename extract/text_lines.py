"""Group PDF characters into printed text lines, keeping each glyph's horizontal extent."""

from __future__ import annotations

from collections.abc import Iterable

from renjana.models import BBox, TextLine

# Two characters belong to one line when their tops differ by less than this share of the
# font size (sub-pixel baseline jitter, mixed fonts on one line).
SAME_LINE_TOLERANCE = 0.45
# A gap wider than this share of the font size between two glyphs is a word space, when the
# producer did not print a space glyph there (ReportLab justified text, some converters).
WORD_GAP_RATIO = 0.17


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return "bold" in name or "black" in name or "heavy" in name


def group_lines(chars: Iterable[dict]) -> list[TextLine]:
    """Chars (pdfplumber dicts) → lines, top to bottom, each left to right.

    A space glyph kept at the end of a line sets ``trailing_space``; spaces inside a line are
    kept once; wide gaps become one space.
    """
    rows: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if not ch.get("upright", True):
            continue
        for row in reversed(rows[-3:]):
            ref = row[0]
            if abs(ch["top"] - ref["top"]) < SAME_LINE_TOLERANCE * max(ref["size"], 1.0):
                row.append(ch)
                break
        else:
            rows.append([ch])
    return [line for line in (_make_line(row) for row in rows) if line is not None]


def _make_line(chars: list[dict]) -> TextLine | None:
    chars.sort(key=lambda c: c["x0"])
    text: list[str] = []
    glyphs: list[tuple[float, float]] = []
    prev: dict | None = None
    for ch in chars:
        t = ch["text"]
        if t.isspace():
            if text and text[-1] != " ":
                text.append(" ")
                glyphs.append((ch["x0"], ch["x1"]))
            prev = ch
            continue
        if prev is not None and text and text[-1] != " ":
            gap = ch["x0"] - prev["x1"]
            if gap > WORD_GAP_RATIO * ch["size"]:
                text.append(" ")
                glyphs.append((prev["x1"], prev["x1"]))  # no glyph here: zero width
        text.append(t)
        glyphs.append((ch["x0"], ch["x1"]))
        prev = ch
    trailing = bool(text) and text[-1] == " "
    while text and text[-1] == " ":
        text.pop()
        glyphs.pop()
    while text and text[0] == " ":
        text.pop(0)
        glyphs.pop(0)
    if not text:
        return None
    ink = [c for c in chars if not c["text"].isspace()]
    bold = sum(_is_bold(c.get("fontname", "")) for c in ink) * 2 > len(ink)
    return TextLine(
        text="".join(text),
        bbox=BBox(x0=min(c["x0"] for c in ink), top=min(c["top"] for c in ink),
                  x1=max(c["x1"] for c in ink), bottom=max(c["bottom"] for c in ink)),
        font_size=max(c["size"] for c in ink),
        bold=bold,
        trailing_space=trailing,
        glyph_x=glyphs,
    )
