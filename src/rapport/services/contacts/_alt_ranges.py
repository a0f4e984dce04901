"""The date ranges of alternate addresses: when each address is used (inclusive dates, an open
ending = no end). A contact has at most one range per starting date (the table's key, as in the
reference); ranges may overlap, and on a date covered by several the one starting latest wins.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import select

from rapport.db import models as m
from rapport.errors import ConflictError, ValidationError
from rapport.services.contacts._alt_addresses import get_alt_address
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.records import not_found

Range = m.ContactAltAddrDateRange


class DateRangeInput(Input):
    """A new date range of an alternate address."""

    record: ClassVar[str] = "Alternate address date range"

    starting_date: dt.date
    ending_date: dt.date | None = None


class DateRangeChanges(Input):
    """A new ending date for a range (None: no end)."""

    record: ClassVar[str] = "Alternate address date range"

    ending_date: dt.date | None = None


def contact_date_ranges(ctx: Ctx, contact_no: str, code: str) -> list[Range]:
    """The date ranges of one alternate address of a contact, by starting date."""
    address = get_alt_address(ctx, contact_no, code)
    return list(ctx.session.scalars(
        select(Range).where(Range.contact_no == address.contact_no,
                            Range.contact_alt_address_code == address.code)
        .order_by(Range.starting_date)))


def add_date_range(ctx: Ctx, contact_no: str, code: str, data: DateRangeInput) -> Range:
    """Use an alternate address from ``starting_date`` to ``ending_date``."""
    address = get_alt_address(ctx, contact_no, code, lock=True)
    record = _record(address.contact_no, data.starting_date)
    taken = ctx.session.get(Range, (address.contact_no, data.starting_date))
    if taken is not None:
        raise ConflictError(f"{record} already exists (for alternate address "
                            f"{taken.contact_alt_address_code})", record=record,
                            field="starting_date", reason="duplicate")
    _check_order(data.starting_date, data.ending_date, record)
    found = Range(contact_no=address.contact_no, starting_date=data.starting_date,
                  contact_alt_address_code=address.code, ending_date=data.ending_date)
    ctx.session.add(found)
    ctx.session.flush()
    return found


def update_date_range(ctx: Ctx, contact_no: str, code: str, starting_date: dt.date,
                      changes: DateRangeChanges) -> Range:
    """Change the ending date of a range."""
    found = _get_range(ctx, contact_no, code, starting_date)
    if "ending_date" in changes.given():
        _check_order(found.starting_date, changes.ending_date,
                     _record(found.contact_no, found.starting_date))
        found.ending_date = changes.ending_date
    ctx.session.flush()
    return found


def delete_date_range(ctx: Ctx, contact_no: str, code: str, starting_date: dt.date) -> None:
    """Stop using an alternate address on the dates of one of its ranges."""
    ctx.session.delete(_get_range(ctx, contact_no, code, starting_date))
    ctx.session.flush()


def _record(contact_no: str, starting_date: dt.date) -> str:
    return f"Date range of contact {contact_no} starting {starting_date.isoformat()}"


def _get_range(ctx: Ctx, contact_no: str, code: str, starting_date: dt.date) -> Range:
    address = get_alt_address(ctx, contact_no, code, lock=True)
    found = ctx.session.get(Range, (address.contact_no, starting_date), with_for_update=True)
    if found is None or found.contact_alt_address_code != address.code:
        raise not_found("Date range", starting_date, field="starting_date",
                        label=f"Date range starting {starting_date.isoformat()} of "
                        f"alternate address {address.code} of contact {address.contact_no}")
    return found


def _check_order(starting: dt.date, ending: dt.date | None, record: str) -> None:
    if ending is not None and ending < starting:
        raise ValidationError(f"Ending Date {ending.isoformat()} must not be before Starting "
                              f"Date {starting.isoformat()} ({record})", record=record,
                              field="ending_date", reason="before starting date")
