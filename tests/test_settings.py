"""ExtractSettings: every extract tolerance in one frozen, validated object that
``extract_document`` hands down to each step. A changed setting changes what is found on a PDF
drawn by tests/pdfgen.py; expectations come from the generator's Layout."""

from __future__ import annotations

import dataclasses

import pytest

from renjana.extract import DEFAULT_SETTINGS, ExtractSettings, extract_document
from renjana.extract import rulings
from renjana.extract.rulings import merge_segments

import pdfgen as g

TOL = 1.0  # points: a rule's position as pdfplumber reports it vs. as drawn


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_SETTINGS.join_tolerance = 9.0  # type: ignore[misc]


@pytest.mark.parametrize("changes, error", [
    ({"join_tolerance": -1.0}, ValueError),
    ({"word_gap_ratio": float("nan")}, ValueError),
    ({"edge_cluster": float("inf")}, ValueError),
    ({"cover_share": 1.5}, ValueError),  # a share is at most 1
    ({"column_step": 0.0}, ValueError),  # the column grid divides by it
    ({"min_ruled_rows": 2.5}, TypeError),  # a count is an int
    ({"thin_fill": "1.5"}, TypeError),
])
def test_bad_values_are_rejected(changes, error):
    with pytest.raises(error):
        ExtractSettings(**changes)


def test_every_field_has_a_unit():
    units = ExtractSettings.units()
    assert set(units) == {f.name for f in dataclasses.fields(ExtractSettings)}
    assert set(units.values()) <= {"pt", "em", "share", "ratio", "count", "deg"}


def test_derived_fields_follow_their_source_unless_given():
    assert DEFAULT_SETTINGS.side_reach == DEFAULT_SETTINGS.join_tolerance
    assert DEFAULT_SETTINGS.max_line_spread == 2 * DEFAULT_SETTINGS.align_tolerance
    assert DEFAULT_SETTINGS.min_band_width == DEFAULT_SETTINGS.min_table_rule
    wider = ExtractSettings(join_tolerance=8.0)
    assert wider.side_reach == 8.0
    assert ExtractSettings(join_tolerance=8.0, side_reach=3.0).side_reach == 3.0


def test_old_constant_names_read_the_defaults():
    assert rulings.JOIN_TOLERANCE == DEFAULT_SETTINGS.join_tolerance
    with pytest.raises(AttributeError):
        rulings.NO_SUCH_TOLERANCE  # noqa: B018


def test_join_tolerance_decides_which_segments_are_one_rule():
    # Two collinear segments 8 pt apart: two rules by default, one with a 9 pt tolerance.
    segments = [(100.0, 0.0, 50.0), (100.0, 58.0, 120.0)]
    assert len(merge_segments(segments)) == 2
    (rule,) = merge_segments(segments, ExtractSettings(join_tolerance=9.0))
    assert (rule.start, rule.end) == (0.0, 120.0)


def test_extract_document_rejects_other_settings(tmp_path):
    with pytest.raises(TypeError):
        extract_document(tmp_path / "any.pdf", {"join_tolerance": 9.0})  # type: ignore[arg-type]


def test_larger_join_tolerance_joins_a_rule_with_wider_gaps(tmp_path):
    """Every cell side stopped 4 pt short of both its corners: gaps of 8 pt, wider than the
    default join tolerance, break every rule into cell-wide pieces and no table is found; with
    a 9 pt tolerance the pieces join and the drawn grid comes back."""
    path = tmp_path / "gaps.pdf"
    b = g.PdfBuilder(path, footer=g.SLOGAN)
    layout = b.table(g.evaluasi_spec(borders="segmented", segment_short=(4.0, 4.0)))
    b.save()
    page = layout.pages[0]
    piece = layout.pieces[0]

    default = [t for t in extract_document(path).tables if t.page == page]
    assert not any(t.ruled and len(t.col_edges) == len(layout.col_edges) for t in default)

    joined = [t for t in extract_document(path, ExtractSettings(join_tolerance=9.0)).tables if t.page == page]
    assert len(joined) == 1
    (table,) = joined
    assert table.ruled
    assert table.col_edges == pytest.approx(layout.col_edges, abs=TOL)
    assert table.row_edges == pytest.approx(piece.header_row_edges + piece.body_row_edges[1:], abs=TOL)
