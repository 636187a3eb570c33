"""Numbers as people read them in reports: one decimal, a half rounded up (73.25 is 73.3, where
f"{73.25:.1f}" gives 73.2), in the chat and in the CSV files alike."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def one_decimal(value: float) -> str:
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def percent(value: float) -> str:
    """A share as a percentage with one decimal: 2/3 is 66.7%."""
    return f"{one_decimal(100 * value)}%"
