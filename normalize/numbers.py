"""Indonesian numbers as printed in Renja tables → Decimal, never inventing a value.

``1.234.567,89`` (dot thousands, comma decimals) is the rule; ``48.88 %``, ``8,372 buah``,
``1.486.934,445``, ``(309.198.100,00)``, ``-16.454.000,00``, ``- 5.000.000,00``, ``-`` (nil) and
``###`` (Excel had no room: the value is lost) all occur, money also behind a currency prefix
(``Rp 2.676.141.000``, ``Rp. 300.000``, ``Rp -`` for nil). The printed text is always kept beside
the number (the cell keeps its print, prefix included); only the ParsedValue drops the prefix.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from renjana.models import ParsedValue

# Nil marks: a dash of any width, doubled, or with the ",-" of a money amount ("-,-", "Rp -,-").
NIL_MARKS = {"-", "–", "—", "−", "--", "-,-", "-,--", "–,–"}
# A minus sign: hyphen, en dash (word processors) or the Unicode minus.
MINUS = "-–−"
# One number: optional sign or parentheses, digits with separators, optional percent sign.
NUMBER = re.compile(rf"^(?P<neg>[{MINUS}]|\()?\s*(?P<digits>\d[\d.,]*)\s*\)?\s*(?P<pct>%)?$")
# A number followed by a unit: "14 bulan", "100 %", "0 -", "2 Dokumen", "30 IKM".
QUANTITY = re.compile(rf"^(?P<num>[{MINUS}(]?\s*\d[\d.,]*\)?)\s*(?P<unit>\S.*)?$")
# A currency prefix before an amount: "Rp", "Rp.", "IDR" (any case), then a space, a digit, a
# sign, a parenthesis or the end. A sign or an opening parenthesis may stand before it
# ("-Rp 5.000", "(Rp 5.000)"). "Rpx" or "Rupiah" are words, not a prefix.
CURRENCY = re.compile(rf"^(?P<sign>[{MINUS}(]?)\s*(?:Rp|IDR)\.?(?=$|[{MINUS}\s\d(])\s*(?P<rest>.*)$",
                      re.IGNORECASE)
# A column-number token "(1)" … "(99)": the heading numbers of a table's columns, never the
# accounting negative -1 (amounts in parentheses carry separators or decimals, or are wider).
COLUMN_NUMBER = re.compile(r"^\(\d{1,2}\)$")
# Area and volume units printed as a plain digit after the length ("m2", "km 2") are the
# superscript ones ("m²"); the superscript keeps comparisons between two cells exact.
SQUARED_UNIT = re.compile(r"^(?P<len>k?m|cm|mm|ha)\s*(?P<pow>[23²³])$", re.IGNORECASE)
SUPERSCRIPT = {"2": "²", "3": "³", "²": "²", "³": "³"}
VALID_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234.567,89
VALID_PLAIN = re.compile(r"^\d+([.,]\d+)?$")  # 1234,5 / 104.76
VALID_COMMA_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 8,372,000.5 (English style)
NUMERIC_TYPES = {"int", "qty", "money", "percent"}
# Column types whose cells may print a currency prefix (a target quantity can be an amount).
MONEY_TYPES = {"money", "qty"}


def is_valid_number(text: str) -> bool:
    """True when ``text`` is one well-formed printed number (sign, %, parentheses allowed)."""
    m = NUMBER.match(text.strip())
    if not m:
        return False
    digits = m.group("digits")
    return bool(VALID_GROUPED.match(digits) or VALID_PLAIN.match(digits)
                or VALID_COMMA_GROUPED.match(digits))


def to_decimal(digits: str) -> tuple[Decimal, int] | None:
    """Digits with separators → (value, decimals printed). None when it is not one number."""
    if VALID_GROUPED.match(digits):
        whole, _, frac = digits.partition(",")
        return Decimal(whole.replace(".", "") + ("." + frac if frac else "")), len(frac)
    if VALID_COMMA_GROUPED.match(digits) and digits.count(",") > 1:
        whole, _, frac = digits.partition(".")
        return Decimal(whole.replace(",", "") + ("." + frac if frac else "")), len(frac)
    if VALID_PLAIN.match(digits):
        if "." in digits:
            whole, frac = digits.split(".")
            if len(frac) == 3:  # 1.500: Indonesian thousands, not one and a half
                return Decimal(whole + frac), 0
            return Decimal(digits), len(frac)
        whole, _, frac = digits.partition(",")
        try:
            return Decimal(whole + ("." + frac if frac else "")), len(frac)
        except InvalidOperation:
            return None
    return None


def strip_currency(text: str) -> tuple[str, bool]:
    """``text`` without a leading currency prefix, and whether it had one.

    "Rp 2.676.141.000" → ("2.676.141.000", True); "Rp. -" → ("-", True); "(Rp 5.000)" →
    ("(5.000)", True); "-Rp 5.000" → ("-5.000", True); anything else is returned unchanged.
    """
    m = CURRENCY.match(text.strip())
    if not m:
        return text, False
    return m.group("sign") + m.group("rest").strip(), True


def parse_value(text: str, column_type: str) -> ParsedValue:
    """The number a cell prints, for a column of the given type (see ``Column.type``).

    ``text`` is the cell as printed; the result's ``number`` is a Decimal whose exponent keeps the
    printed decimals, ``unit`` the unit after a quantity ("%", "Orang", "m²") or "Rp" for a
    quantity printed as money. No number → ``reason``: ``empty``, ``nil`` ("-", "Rp -"), ``lost``
    ("###") or ``text``. Never raises.
    """
    raw = " ".join(text.split())
    if not raw:
        return ParsedValue(reason="empty")
    raw, money = strip_currency(raw)
    if raw in NIL_MARKS:
        return ParsedValue(reason="nil")
    if money and not raw:
        return ParsedValue(reason="text")  # a bare "Rp": the amount is not there
    if "#" in raw:
        return ParsedValue(reason="lost")
    if column_type not in NUMERIC_TYPES or (money and column_type not in MONEY_TYPES):
        return ParsedValue(reason="text")
    if COLUMN_NUMBER.match(raw):
        return ParsedValue(reason="text")
    if column_type == "qty" and money:
        number = _number(raw)
        if number is None:
            return ParsedValue(reason="text")
        return ParsedValue(number=number[0], unit="Rp", decimals=number[1])
    if column_type == "qty":
        m = QUANTITY.match(raw)
        if not m:
            return ParsedValue(reason="text")
        number = _number(m.group("num"))
        if number is None:
            return ParsedValue(reason="text")
        value, decimals = number
        unit = (m.group("unit") or "").strip() or None
        if unit and re.match(rf"^[{MINUS}]?[\d.,]", unit):  # "3-3,5": a range, not a number
            return ParsedValue(reason="text")
        return ParsedValue(number=value, unit=_unit(unit), decimals=decimals)
    number = _number(raw)
    if number is None:
        return ParsedValue(reason="text")
    value, decimals = number
    return ParsedValue(number=value, decimals=decimals, unit="%" if raw.endswith("%") else None)


def _number(text: str) -> tuple[Decimal, int] | None:
    m = NUMBER.match(text.strip())
    if not m:
        return None
    parsed = to_decimal(m.group("digits"))
    if parsed is None:
        return None
    value, decimals = parsed
    negative = m.group("neg") is not None
    return (-value if negative else value), decimals


def _unit(unit: str | None) -> str | None:
    """A unit as printed, with an area or volume power written as its superscript ("m2" → "m²")."""
    if unit is None:
        return None
    m = SQUARED_UNIT.match(unit)
    if m:
        return m.group("len") + SUPERSCRIPT[m.group("pow")]
    return unit
