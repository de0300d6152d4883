"""Number, money, percentage and date formats for fi and sv (domain.md: `10 162 216 €`,
`12,5 %`, `31.5.2023`). Babel holds the CLDR rules; we fix the patterns councils expect."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.numbers import format_decimal

from planbuilder.langs import Lang

NBSP = "\u00a0"
_LOCALE = {"fi": "fi_FI", "sv": "sv_FI"}


def number(value: Decimal | int, lang: Lang, decimals: int = 0) -> str:
    """Grouped with no-break spaces, decimal comma: 10 162 216 / 12,5."""
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    text: str = format_decimal(
        Decimal(value), format=pattern, locale=_LOCALE[lang], decimal_quantization=True
    )
    # CLDR uses U+00A0 for fi and U+00A0 or U+202F for sv; councils expect U+00A0 in both.
    # Negative amounts take the minus sign (U+2212), as a printer sets them, not a hyphen.
    return text.replace("\u202f", NBSP).replace("-", "\u2212")


def euros(value: Decimal | int, lang: Lang, cents: bool | None = None) -> str:
    """`10 162 216 €`; with cents `1 088 808,84 €`. cents=None shows cents only if non-zero."""
    value = Decimal(value)
    if cents is None:
        cents = value != value.to_integral_value()
    return f"{number(value, lang, 2 if cents else 0)}{NBSP}€"


def percent(value: Decimal | int, lang: Lang, decimals: int | None = None) -> str:
    """`12 %`, `12,5 %` (value in percent, not a fraction)."""
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else min(
            2, max(1, -int(value.normalize().as_tuple().exponent))
        )
    return f"{number(value, lang, decimals)}{NBSP}%"


def date(value: dt.date, lang: Lang) -> str:
    """`31.5.2023` in both languages (Finnish and Finland-Swedish official usage)."""
    return f"{value.day}.{value.month}.{value.year}"


def htv(value: Decimal | int, lang: Lang) -> str:
    value = Decimal(value)
    decimals = 0 if value == value.to_integral_value() else 1
    unit = "htv" if lang == "fi" else "årsv."
    return f"{number(value, lang, decimals)}{NBSP}{unit}"
