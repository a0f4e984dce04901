"""Alternate addresses of a contact (SPEC §2.2 table "Contact Alt. Address (+ date ranges)").

An alternate address is used on the dates of its date ranges: segment lines and interaction log
entries take the address active on their date (the range starting latest wins), and e-mail goes
to its address when it has one. Deleting an address deletes its date ranges (``_alt_ranges``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import delete, select

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.errors import ConflictError, ValidationError
from rapport.services.contacts import _rules as rules
from rapport.services.contacts._contacts import get_contact
from rapport.services.context import Ctx, run
from rapport.services.inputs import Input
from rapport.services.records import not_found

#: The fields of an alternate address the contact rules check as they check a contact's.
_CONTACT_RULES = ("address", "address_2", "post_code", "city", "county",
                  "country_region_code", "email", "phone_no", "mobile_phone_no")
COMPANY_NAME_LIMIT = 100


class AltAddressInput(Input):
    """A new alternate address of a contact."""

    record: ClassVar[str] = "Contact alternate address"

    code: str
    company_name: str = ""
    address: str = ""
    address_2: str = ""
    post_code: str = ""
    city: str = ""
    county: str = ""
    country_region_code: str | None = None
    email: str = ""
    phone_no: str = ""
    mobile_phone_no: str = ""


class AltAddressChanges(Input):
    """Changes to an alternate address; only the fields set are applied (None = blank)."""

    record: ClassVar[str] = "Contact alternate address"

    company_name: str | None = None
    address: str | None = None
    address_2: str | None = None
    post_code: str | None = None
    city: str | None = None
    county: str | None = None
    country_region_code: str | None = None
    email: str | None = None
    phone_no: str | None = None
    mobile_phone_no: str | None = None


def alt_record(contact_no: str, code: str) -> str:
    """How messages name an alternate address."""
    return f"Alternate address {code} of contact {contact_no}"


def list_alt_addresses(ctx: Ctx, contact_no: str) -> list[m.ContactAltAddress]:
    """A contact's alternate addresses by code."""
    contact = get_contact(ctx, contact_no)
    return list(ctx.session.scalars(select(m.ContactAltAddress)
                                    .where(m.ContactAltAddress.contact_no == contact.no)
                                    .order_by(m.ContactAltAddress.code)))


def get_alt_address(ctx: Ctx, contact_no: str, code: str, *,
                    lock: bool = False) -> m.ContactAltAddress:
    """One alternate address of a contact (the contact must exist)."""
    contact = get_contact(ctx, contact_no)
    key = require_code(code, field="code", record="Contact alternate address")
    found = ctx.session.get(m.ContactAltAddress, (contact.no, key), with_for_update=lock,
                            populate_existing=lock)
    if found is None:
        raise not_found("Alternate address", key, field="code",
                        label=alt_record(contact.no, key))
    return found


def create_alt_address(ctx: Ctx, contact_no: str,
                       data: AltAddressInput) -> m.ContactAltAddress:
    """Give a contact an alternate address (its code unique per contact)."""
    contact = get_contact(ctx, contact_no)
    key = require_code(data.code, field="code", record="Contact alternate address")
    record = alt_record(contact.no, key)
    if ctx.session.get(m.ContactAltAddress, (contact.no, key)) is not None:
        raise ConflictError(f"{record} already exists", record=record, field="code",
                            reason="duplicate")
    address = m.ContactAltAddress(contact_no=contact.no, code=key)
    _set_fields(ctx, address, data.model_dump(exclude={"code"}), record)
    ctx.session.add(address)
    ctx.session.flush()
    return address


def update_alt_address(ctx: Ctx, contact_no: str, code: str,
                       changes: AltAddressChanges) -> m.ContactAltAddress:
    """Change the fields of an alternate address that ``changes`` sets."""
    address = get_alt_address(ctx, contact_no, code, lock=True)
    _set_fields(ctx, address, changes.given(),
                alt_record(address.contact_no, address.code))
    ctx.session.flush()
    return address


def delete_alt_address(ctx: Ctx, contact_no: str, code: str) -> int:
    """Delete an alternate address with its date ranges; how many ranges went with it."""
    address = get_alt_address(ctx, contact_no, code, lock=True)
    ranges = run(ctx, delete(m.ContactAltAddrDateRange).where(
        m.ContactAltAddrDateRange.contact_no == address.contact_no,
        m.ContactAltAddrDateRange.contact_alt_address_code == address.code))
    ctx.session.delete(address)
    ctx.session.flush()
    return ranges


def _set_fields(ctx: Ctx, address: m.ContactAltAddress, values: dict[str, Any],
                record: str) -> None:
    for name, value in values.items():
        if name in _CONTACT_RULES:
            setattr(address, name, rules.clean_value(ctx, name, value, record))
            continue
        text = (value or "").strip()
        if len(text) > COMPANY_NAME_LIMIT:
            raise ValidationError(f"{name} of {record} is longer than {COMPANY_NAME_LIMIT} "
                                  "characters", record=record, field=name, reason="too long")
        setattr(address, name, text)
