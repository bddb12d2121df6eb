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


@pytest.mark.parametrize("text", ["3-3,5", "Rupiah 1.000", "Rpx 1.000", "Rp", "1.2.3", "12.34.567", "5 -"])
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


@pytest.mark.parametrize("text, number, decimals", [
    ("Rp 2.676.141.000", "2676141000", 0),
    ("Rp. 300.000", "300000", 0),
    ("Rp.300.000", "300000", 0),
    ("rp 1.234,50", "1234.50", 2),
    ("Rp 0", "0", 0),
    ("IDR 7.500", "7500", 0),
    ("(Rp 5.000)", "-5000", 0),
    ("Rp (5.000,00)", "-5000.00", 2),
    ("-Rp 5.000", "-5000", 0),
    ("Rp -5.000", "-5000", 0),
])
def test_currency_prefix_is_parsed(text, number, decimals):
    value = parse_value(text, "money")
    assert value.number == Decimal(number)
    assert value.decimals == decimals
    assert value.reason is None


@pytest.mark.parametrize("text", ["Rp -", "Rp. -", "Rp -,-", "Rp –", "-,-"])
def test_currency_nil(text):
    value = parse_value(text, "money")
    assert value.number is None and value.reason == "nil"


def test_money_printed_as_a_quantity_target():
    value = parse_value("Rp 93.557.955,00", "qty")
    assert value.number == Decimal("93557955.00") and value.unit == "Rp"


@pytest.mark.parametrize("column_type", ["percent", "int", "text"])
def test_currency_only_in_money_like_columns(column_type):
    assert parse_value("Rp 1.000", column_type).number is None


@pytest.mark.parametrize("text, number", [
    ("(1.234,00)", "-1234.00"),
    ("- 5.000.000,00", "-5000000.00"),
    ("–5.000", "-5000"),
    ("\u22125.000", "-5000"),  # the Unicode minus sign
    ("(309.198.100)", "-309198100"),
    ("(250)", "-250"),
])
def test_negative_forms(text, number):
    assert parse_value(text, "money").number == Decimal(number)


@pytest.mark.parametrize("text", ["(1)", "(2)", "(12)"])
@pytest.mark.parametrize("column_type", ["int", "qty", "money", "percent"])
def test_column_number_token_is_not_a_negative(text, column_type):
    value = parse_value(text, column_type)
    assert value.number is None and value.reason == "text"


@pytest.mark.parametrize("text, number, unit", [
    ("1.500 m2", "1500", "m²"),
    ("1.500 m²", "1500", "m²"),
    ("2,5 M3", "2.5", "M³"),
    ("40 km2", "40", "km²"),
    ("12 Ha", "12", "Ha"),
    ("3 m", "3", "m"),
])
def test_units_with_powers(text, number, unit):
    value = parse_value(text, "qty")
    assert value.number == Decimal(number) and value.unit == unit
