"""The compact forms of the stage models (GlyphEdges, the shared fields set) behave like the
plain pydantic fields they replace, and the JSON written is exactly json.dumps' text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renjana import emit
from decimal import Decimal

from renjana.models import (
    BBox, CellSource, Column, DocumentMeta, DocumentResult, GlyphEdges, ParsedValue, RawCell, Row, Source, Table,
    TextLine, json_schemas,
)


def line(edges) -> TextLine:
    return TextLine(text="ab c", bbox=BBox(x0=10, top=5, x1=30, bottom=12), font_size=7.0, glyph_x=edges)


def test_glyph_edges_read_like_a_list_of_pairs():
    pairs = [(10.0, 14.5), (14.5, 19.25), (19.25, 19.25), (22.0, 30.0)]
    edges = line(pairs).glyph_x
    assert isinstance(edges, GlyphEdges)
    assert len(edges) == 4 and list(edges) == pairs and edges == pairs
    assert edges[0] == (10.0, 14.5) and edges[-1] == (22.0, 30.0)
    assert edges[:2] == pairs[:2] and edges[5:] == [] and edges[1:3] == pairs[1:3]
    assert [ch for ch, (x0, x1) in zip("ab c", edges) if x1 > x0] == ["a", "b", "c"]
    with pytest.raises(IndexError):
        edges[4]
    assert line(edges).glyph_x is edges  # already packed: kept, not copied
    assert line([]).glyph_x == []
    assert len(TextLine(text="x", bbox=BBox(x0=0, top=0, x1=1, bottom=1), font_size=7).glyph_x) == 0


def test_glyph_edges_left_out_of_dumps_and_schema_says_pairs():
    assert "glyph_x" not in line([(1.0, 2.0)] * 4).model_dump()
    props = json_schemas()["ExtractedDocument"]["$defs"]["TextLine"]["properties"]["glyph_x"]
    assert props["type"] == "array" and props["items"]["type"] == "array"


def test_shared_fields_set_keeps_values_apart_and_assignment_works():
    a, b = BBox(x0=0, top=0, x1=1, bottom=1), BBox(x0=2, top=2, x1=3, bottom=3)
    cell = RawCell(row=0, col=0, bbox=a)
    cell.bbox = b  # the models' own assignment (extract clamps boxes this way)
    assert cell.bbox == b and a.x1 == 1 and a != b
    assert RawCell(row=1, col=2, bbox=a).model_dump()["col"] == 2
    assert a.model_fields_set == {"x0", "top", "x1", "bottom"}


def test_streamed_json_is_the_text_json_dumps_gives(tmp_path: Path):
    row = Row(cells=["1.01", "Peningkatan Pelayanan — Kantor", "44.889.784,50"], page=2, level="program",
              values={"pagu": ParsedValue(number=Decimal("44889784.50"), decimals=2)},
              sources=[CellSource(page=2, bbox=BBox(x0=1.5, top=2, x1=3, bottom=4), lines=["1.01"])])
    table = Table(id="t1", pages=[2], rows=[row], columns=[
        Column(key="kode", label="Kode", type="code"), Column(key="uraian", label="Uraian", type="text"),
        Column(key="pagu", label="Pagu (Rp)", type="money")])
    result = DocumentResult(source=Source(file="a.pdf", sha256="ab" * 32, pages=2),
                            document=DocumentMeta(region="Kota Batu", year=2023), tables=[table])
    path = emit.write_json(result, tmp_path)
    expected = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
    assert path.read_text(encoding="utf-8") == expected


def test_box_of_four_floats_is_the_box_pydantic_validates():
    import numpy as np
    from pydantic import ValidationError

    fast = BBox(x0=1.5, top=2.0, x1=3.25, bottom=float("inf"))
    validated = BBox.model_validate({"x0": 1.5, "top": 2.0, "x1": 3.25, "bottom": float("inf")})
    assert fast == validated and fast.__getstate__() == validated.__getstate__()
    assert fast.model_fields_set == {"x0", "top", "x1", "bottom"} and fast.model_dump_json() == validated.model_dump_json()
    assert BBox(x0=0, top=np.float64(1.5), x1=2.0, bottom=3.0).model_dump() == {"x0": 0.0, "top": 1.5, "x1": 2.0, "bottom": 3.0}
    for bad in ({"x0": 1.0, "top": 2.0, "x1": 3.0}, {"x0": 1.0, "top": 2.0, "x1": 3.0, "bottom": 4.0, "left": 0.0},
                {"x0": None, "top": 2.0, "x1": 3.0, "bottom": 4.0}, {"x0": "a", "top": 2.0, "x1": 3.0, "bottom": 4.0}):
        with pytest.raises(ValidationError):
            BBox(**bad)
    with pytest.raises(TypeError):
        BBox(1.0, 2.0, 3.0, 4.0)  # keywords only, as pydantic's own __init__


def test_text_layer_line_is_the_line_pydantic_validates():
    from pydantic import ValidationError

    given = dict(text="Dinas", bbox=BBox(x0=1.0, top=2.0, x1=9.0, bottom=8.0), font_size=7.0, bold=True,
                 trailing_space=False, glyph_x=GlyphEdges([(1.0, 3.0), (3.0, 9.0)]))
    fast, validated = TextLine(**given), TextLine.model_validate(given)
    assert fast == validated and fast.__getstate__() == validated.__getstate__() and repr(fast) == repr(validated)
    assert fast.alternatives == [] and fast.alternatives is not TextLine(**given).alternatives
    assert TextLine(**given, source="ocr", confidence=0.5).source == "ocr"
    assert TextLine(**{**given, "font_size": 7}).font_size == 7.0
    with pytest.raises(ValidationError):
        TextLine(**{**given, "text": None})


def test_grid_cell_is_the_cell_pydantic_validates():
    from pydantic import ValidationError

    lines = [line([(10.0, 14.0)]), line([(1.0, 2.0)])]
    given = dict(row=2, col=1, rowspan=1, colspan=3, bbox=BBox(x0=0.0, top=0.0, x1=50.0, bottom=20.0), lines=lines)
    fast, validated = RawCell(**given), RawCell.model_validate(given)
    assert fast == validated and fast.__getstate__() == validated.__getstate__() and repr(fast) == repr(validated)
    assert fast.lines == lines and fast.lines is not lines  # a new list, as pydantic makes
    assert RawCell(row=0, col=0, bbox=given["bbox"]).lines == []
    for bad in ({**given, "lines": ["a"]}, {**given, "row": None}, {**given, "page": 1}):
        with pytest.raises(ValidationError):
            RawCell(**bad)


@pytest.mark.parametrize("given", [
    {"page": 1, "bbox": None},
    {"page": 3, "bbox": BBox(x0=1.0, top=2.0, x1=3.0, bottom=4.0), "lines": ["Dinas", "Koperasi"], "confidence": 0.95,
     "repair": "joined at 'Dinas|Koperasi'", "source": "pdf", "alternatives": None},
    {"page": 2, "bbox": None, "lines": ["5O"], "confidence": 0.4, "source": "ocr", "alternatives": ["50"]},
])
def test_cell_source_is_the_source_pydantic_validates(given):
    fast, validated = CellSource(**given), CellSource.model_validate(given)
    assert fast == validated and fast.__getstate__() == validated.__getstate__() and repr(fast) == repr(validated)


@pytest.mark.parametrize("given", [{"reason": "empty"}, {"number": Decimal("-1.50"), "decimals": 2},
                                   {"number": Decimal("12"), "unit": "m²", "decimals": 0}, {"number": 7}])
def test_parsed_value_is_the_value_pydantic_validates(given):
    from pydantic import ValidationError

    fast, validated = ParsedValue(**given), ParsedValue.model_validate(given)
    assert fast == validated and fast.__getstate__() == validated.__getstate__() and repr(fast) == repr(validated)
    with pytest.raises(ValidationError):
        ParsedValue(number=Decimal("NaN"))
