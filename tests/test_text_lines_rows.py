"""group_lines's rows found by bisection are those of testing each glyph in turn."""

import random

from renjana.extract import text_lines
from renjana.extract.settings import DEFAULT_SETTINGS
from renjana.extract.text_lines import _rows_one_by_one, group_lines


def _glyph(top: float, x0: float, size: float, text: str = "a", upright: bool = True) -> dict:
    return {"text": text, "top": top, "bottom": top + size, "x0": x0, "x1": x0 + size / 2,
            "size": size, "fontname": "Arial", "upright": upright}


def test_rows_by_bisection_match_rows_one_by_one():
    rng = random.Random(7)
    for _ in range(300):
        glyphs = [_glyph(rng.choice([10.0, 10.1, 13.0, 13.5, 14.0, 20.0]) + rng.choice([0, 1e-9, 0.5]),
                         rng.uniform(0, 100), rng.choice([4.0, 8.0, 9.0]), rng.choice("ab 2"),
                         upright=rng.random() > 0.05)
                  for _ in range(rng.randint(1, 30))]
        got = group_lines(glyphs)
        # The same glyphs grouped with every glyph tested in turn (the NaN path).
        ordered = sorted((g for g in glyphs if g["upright"]), key=lambda c: (c["top"], c["x0"]))
        want = text_lines._make_lines(_rows_one_by_one(ordered, DEFAULT_SETTINGS.same_line_tolerance),
                                      DEFAULT_SETTINGS)
        assert [(ln.text, ln.bbox) for ln in got] == [(ln.text, ln.bbox) for ln in want]


def test_nan_top_and_missing_upright_flag():
    glyphs = [_glyph(10.0, 0.0, 8.0), _glyph(float("nan"), 5.0, 8.0), _glyph(10.2, 10.0, 8.0)]
    del glyphs[0]["upright"]
    rows = _rows_one_by_one(sorted(glyphs, key=lambda c: (c["top"], c["x0"])), 0.5)
    assert sum(map(len, rows)) == 3
    assert len(group_lines(glyphs)) >= 1
