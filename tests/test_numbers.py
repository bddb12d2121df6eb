"""Numbers as Renja tables print them: parse_value and is_valid_number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renjana.normalize.numbers import is_valid_number, parse_value


@pytest.mark.parametrize("text, column_type, number, decimals", [
    ("1.234.567,89", "money", "1234567.89", 2),
    ("(309.198.100,00)", "money", "-309198100.00", 2),
    ("-16.454.000,00", "money", "-16454000.00", 2),
    ("44.889.784.840", "money", "44889784840", 0),
    ("1.486.934,445", "money", "1486934.445", 3),
    ("1.500", "money", "1500", 0),  # dot = thousands, not one and a half
    ("1.500", "qty", "1500", 0),
    ("68,97", "percent", "68.97", 2),
    ("0,00", "percent", "0.00", 2),
    ("12", "int", "12", 0),
])
def test_plain_numbers(text, column_type, number, decimals):
    value = parse_value(text, column_type)
    assert value.number == Decimal(number)
    assert value.decimals == decimals
    assert value.reason is None


def test_number_keeps_its_printed_precision():
    value = parse_value("1.234.567,00", "money")
    assert value.number == Decimal("1234567")
    assert str(value.number) == "1234567.00"  # the printed ",00" survives as the Decimal's exponent
    assert value.decimals == 2


@pytest.mark.parametrize("text, column_type, number, unit", [
    ("14 bulan", "qty", "14", "bulan"),
    ("29 Orang", "qty", "29", "Orang"),
    ("1.500 Orang", "qty", "1500", "Orang"),
    ("2,5 Km", "qty", "2.5", "Km"),
    ("100 %", "qty", "100", "%"),
    ("48.88 %", "qty", "48.88", "%"),  # a dot decimal before a percent sign
    ("48.88 %", "percent", "48.88", "%"),
    ("100 %", "percent", "100", "%"),
    ("100%", "percent", "100", "%"),
])
def test_quantities_and_percentages(text, column_type, number, unit):
    value = parse_value(text, column_type)
    assert value.number == Decimal(number)
    assert value.unit == unit


def test_zero_with_a_nil_unit():
    value = parse_value("0 -", "qty")
    assert value.number == Decimal(0)
    assert value.unit in (None, "-")


@pytest.mark.parametrize("text, reason", [
    ("-", "nil"), ("–", "nil"), ("", "empty"), ("   ", "empty"), ("###", "lost"), ("1.2##", "lost"),
])
@pytest.mark.parametrize("column_type", ["money", "qty", "percent"])
def test_nothing_parseable(text, reason, column_type):
    value = parse_value(text, column_type)
    assert value.number is None
    assert value.reason == reason


@pytest.mark.parametrize("text", ["3-3,5", "Rp 1.000", "1.2.3", "12.34.567", "5 -"])
def test_not_one_number_in_a_money_column(text):
    value = parse_value(text, "money")
    assert value.number is None
    assert value.reason == "text"


def test_a_range_is_not_a_quantity():
    value = parse_value("3-3,5", "qty")
    assert value.number is None
    assert value.reason == "text"


def test_text_column_is_never_a_number():
    value = parse_value("1.234.567,89", "text")
    assert value.number is None and value.reason == "text"


@pytest.mark.parametrize("text", [
    "1.234.567,89", "(309.198.100,00)", "-16.454.000,00", "1.500", "44.889.784", "44.889.784.840",
    "48.88 %", "100", "0,00", "104.76", "8,372,000.5",
])
def test_valid_numbers(text):
    assert is_valid_number(text)


@pytest.mark.parametrize("text", [
    "", "-", "###", ".840", "3-3,5", "12.34.567", "1.234.56", "1,2,3", "1.23,4", "14 bulan", "abc",
])
def test_invalid_numbers(text):
    assert not is_valid_number(text)


def test_valid_number_is_what_joins_a_cut_number():
    """The joiner relies on this: the two pieces of a cut number are not both valid, the whole is."""
    head, tail = "44.889.784", ".840"
    assert is_valid_number(head + tail) and not is_valid_number(tail)
    assert not is_valid_number("1.234.5") and is_valid_number("1.234.5" + "67,89")
