"""The "label : value" block printed beside a table is document context, not a table or caption."""

from __future__ import annotations

from renjana.models import BBox, PageText, TextLine
from renjana.normalize.context import context_blocks


def line(text: str, top: float, x0: float = 30.0, size: float = 10.0) -> TextLine:
    width = size * 0.5
    glyphs = [(x0 + i * width, x0 + (i + 1) * width) for i in range(len(text))]
    return TextLine(text=text, bbox=BBox(x0=x0, top=top, x1=x0 + len(text) * width, bottom=top + size),
                    font_size=size, glyph_x=glyphs)


def test_block_items_with_wrapped_values():
    label = "Program : "
    value_x = 30.0 + len(label) * 5.0
    lines = [line("Program : 9.99 PROGRAM CONTOH PANJANG", 100),
             line("YANG BERSAMBUNG", 112, x0=value_x),
             line("Lokasi : Kabupaten Contoh", 124),
             line("Alokasi 2031 : Rp 1.000.000,00", 136)]
    items = context_blocks([PageText(page=2, lines=lines)])
    assert [(i.label, i.value, i.page) for i in items] == [
        ("Program", "9.99 PROGRAM CONTOH PANJANG YANG BERSAMBUNG", 2),
        ("Lokasi", "Kabupaten Contoh", 2),
        ("Alokasi 2031", "Rp 1.000.000,00", 2)]


def test_a_lone_label_line_is_running_text():
    lines = [line("Catatan : angka sementara", 100), line("Paragraf biasa tanpa titik dua.", 200)]
    assert context_blocks([PageText(page=1, lines=lines)]) == []
