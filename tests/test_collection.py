"""renjana.collection: the cyclic collector's pace inside a file's processing, put back after."""

from __future__ import annotations

import gc

import pytest

from renjana.collection import YOUNG_THRESHOLD, fewer_collections


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_young_threshold_raised_inside_nested_calls_and_put_back(thresholds):
    seen = []

    @fewer_collections
    def inner(x: int) -> int:
        seen.append(gc.get_threshold())
        return x * 2

    @fewer_collections
    def outer(x: int) -> int:
        seen.append(gc.get_threshold())
        return inner(x) + 1

    assert outer(3) == 7
    assert seen[0] == (max(YOUNG_THRESHOLD, thresholds[0]), *thresholds[1:])
    assert seen[1] == seen[0]  # the inner call changes nothing
    assert gc.get_threshold() == thresholds


def test_put_back_when_the_call_raises(thresholds):
    @fewer_collections
    def broken() -> None:
        raise ValueError("damaged")

    with pytest.raises(ValueError):
        broken()
    assert gc.get_threshold() == thresholds


def test_a_higher_threshold_of_the_program_is_kept(thresholds):
    gc.set_threshold(YOUNG_THRESHOLD * 10, *thresholds[1:])

    @fewer_collections
    def work() -> tuple[int, ...]:
        return gc.get_threshold()

    assert work()[0] == YOUNG_THRESHOLD * 10
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD * 10
