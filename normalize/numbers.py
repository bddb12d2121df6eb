"""Indonesian numbers as printed in Renja tables → Decimal, never inventing a value.

``1.234.567,89`` (dot thousands, comma decimals) is the rule; ``48.88 %``, ``8,372 buah``,
``1.486.934,445``, ``(309.198.100,00)``, ``-16.454.000,00``, ``-`` (nil) and ``###`` (Excel had no
room: the value is lost) all occur. The printed text is always kept beside the number.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from renjana.models import ParsedValue

NIL_MARKS = {"-", "–", "—", "--"}
# One number: optional sign or parentheses, digits with separators, optional percent sign.
NUMBER = re.compile(r"^(?P<neg>[-–]|\()?\s*(?P<digits>\d[\d.,]*)\s*\)?\s*(?P<pct>%)?$")
# A number followed by a unit: "14 bulan", "100 %", "0 -", "2 Dokumen", "30 IKM".
QUANTITY = re.compile(r"^(?P<num>[-–(]?\s*\d[\d.,]*\)?)\s*(?P<unit>\S.*)?$")
VALID_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234.567,89
VALID_PLAIN = re.compile(r"^\d+([.,]\d+)?$")  # 1234,5 / 104.76
VALID_COMMA_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 8,372,000.5 (English style)
NUMERIC_TYPES = {"int", "qty", "money", "percent"}


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


def parse_value(text: str, column_type: str) -> ParsedValue:
    """The number a cell prints, for a column of the given type (see ``Column.type``)."""
    raw = " ".join(text.split())
    if not raw:
        return ParsedValue(reason="empty")
    if raw in NIL_MARKS:
        return ParsedValue(reason="nil")
    if "#" in raw:
        return ParsedValue(reason="lost")
    if column_type not in NUMERIC_TYPES:
        return ParsedValue(reason="text")
    if column_type == "qty":
        m = QUANTITY.match(raw)
        if not m:
            return ParsedValue(reason="text")
        number = _number(m.group("num"))
        if number is None:
            return ParsedValue(reason="text")
        value, decimals = number
        unit = (m.group("unit") or "").strip() or None
        if unit and re.match(r"^[-–]?[\d.,]", unit):  # "3-3,5": a range, not a number
            return ParsedValue(reason="text")
        return ParsedValue(number=value, unit=unit, decimals=decimals)
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
