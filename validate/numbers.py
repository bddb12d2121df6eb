"""Decimal helpers for the validate stage: rounding the way Excel does, comparing a computed value
with what is printed, and writing numbers back in the document's own style (``1.234.567,89``).

Nothing here parses cell text: normalize does that and hands us ``ParsedValue``s.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from renjana.models import ParsedValue

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# Units that mean "percent" in K cells; "-" and "" mean "no unit".
_PERCENT_UNITS = {"%", "persen", "prosen", "percent"}


def quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def round_half_up(x: Decimal, decimals: int) -> Decimal:
    """Round half away from zero (Excel, and what the documents print): 53,125 → 53,13."""
    return x.quantize(quantum(decimals), rounding=ROUND_HALF_UP)


def truncate(x: Decimal, decimals: int) -> Decimal:
    return x.quantize(quantum(decimals), rounding=ROUND_DOWN)


def printed_decimals(value: ParsedValue) -> int:
    """Digits printed after the decimal separator (from the Decimal itself when not recorded)."""
    if value.decimals is not None:
        return value.decimals
    if value.number is None:
        return 0
    exponent = value.number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def matches_printed(computed: Decimal, printed: ParsedValue, *, truncation: bool = True) -> bool:
    """True when ``printed`` is ``computed`` rounded half up (or, for ratios, truncated) to the
    printed decimals. Sums of printed values use ``truncation=False``: they are exact, or at
    most rounded when printed with fewer decimals than their terms."""
    if printed.number is None:
        return False
    d = printed_decimals(printed)
    target = printed.number
    if round_half_up(computed, d) == target:
        return True
    return truncation and truncate(computed, d) == target


def as_printed(value: ParsedValue) -> ParsedValue:
    """'-' (nil) stands for a printed 0 with no decimals; anything else is returned as is."""
    if value.number is None and value.reason == "nil":
        return ParsedValue(number=ZERO, decimals=0)
    return value


def number_or_zero(value: ParsedValue | None) -> Decimal | None:
    """The number a cell stands for in a sum: '-' (nil) counts as 0; empty/text/lost give None."""
    if value is None:
        return None
    if value.number is not None:
        return value.number
    if value.reason == "nil":
        return ZERO
    return None


def norm_unit(unit: str | None) -> str | None:
    """A comparable unit: lower case, spaces collapsed; '-' and '' are no unit; 'persen' → '%'."""
    if unit is None:
        return None
    u = " ".join(unit.split()).strip().lower()
    if u in ("", "-", "–"):
        return None
    if u in _PERCENT_UNITS:
        return "%"
    return u


def units_compatible(*units: str | None) -> bool:
    """Quantities can be compared when their non-empty units agree, or when one side is '%'."""
    present = {u for u in (norm_unit(x) for x in units) if u is not None}
    return len(present) <= 1 or (len(present) == 2 and "%" in present)


def format_id(x: Decimal | None, decimals: int | None = 2, unit: str | None = None,
              grouping: bool = True) -> str | None:
    """Write ``x`` as the documents do: dot thousands (unless ``grouping`` is off, as K
    quantities are often printed: '10475 Orang'), comma decimals, minus sign for negatives."""
    if x is None:
        return None
    d = 0 if decimals is None else decimals
    q = round_half_up(x, d)
    sign = "-" if q < 0 else ""
    q = abs(q)
    whole, _, frac = f"{q:.{d}f}".partition(".")
    groups = []
    while grouping and len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + ".".join(groups)
    if d > 0:
        text += "," + frac
    u = norm_unit(unit)
    if u:
        text += " %" if u == "%" else f" {unit.strip()}"
    return text


def looks_grouped(*texts: str) -> bool:
    """True when one of the printed texts groups thousands with dots (1.250, not 1250)."""
    return any(re.search(r"\d\.\d{3}(?!\d)", t or "") for t in texts)


def plain(x: Decimal | None, places: int = 4) -> str | None:
    """A computed value for a message, unrounded-looking but short: 50,5882."""
    if x is None:
        return None
    return format_id(x, places)
