"""Value types the API's schemas share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored instant as aware UTC (SQLite gives timestamps back without their zone)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


#: An instant, always shown in UTC with its offset (K18), the same whichever engine stored it.
UtcDateTime = Annotated[dt.datetime, AfterValidator(_utc)]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


#: An amount in LCY, always with two decimals ("2.50"), however it was computed or stored.
Money = Annotated[Decimal, AfterValidator(_cents)]
