"""What creating and changing a contact takes (the services.inputs convention)."""

from __future__ import annotations

from typing import ClassVar

from rapport.domain.enums import ContactType
from rapport.services.inputs import Input


class ContactInput(Input):
    """A new contact; without ``no`` it is drawn from "Contact Nos.", and blanks are filled by
    inheritance from its company and by the marketing setup's defaults."""

    record: ClassVar[str] = "Contact"

    no: str | None = None
    type: str = ContactType.COMPANY.value
    name: str = ""
    name_2: str = ""
    search_name: str = ""
    company_no: str | None = None
    first_name: str = ""
    surname: str = ""
    job_title: str = ""
    address: str = ""
    address_2: str = ""
    post_code: str = ""
    city: str = ""
    county: str = ""
    country_region_code: str | None = None
    territory_code: str | None = None
    salesperson_code: str | None = None
    language_code: str | None = None
    salutation_code: str | None = None
    correspondence_type: str = ""
    email: str = ""
    phone_no: str = ""
    mobile_phone_no: str = ""
    fax_no: str = ""
    home_page: str = ""
    vat_registration_no: str = ""
    exclude_from_segment: bool = False
    privacy_blocked: bool = False


class ContactChanges(Input):
    """Changes to a contact; only the fields set are applied (codes and texts: None = blank)."""

    record: ClassVar[str] = "Contact"

    type: str | None = None
    name: str | None = None
    name_2: str | None = None
    search_name: str | None = None
    company_no: str | None = None
    first_name: str | None = None
    surname: str | None = None
    job_title: str | None = None
    address: str | None = None
    address_2: str | None = None
    post_code: str | None = None
    city: str | None = None
    county: str | None = None
    country_region_code: str | None = None
    territory_code: str | None = None
    salesperson_code: str | None = None
    language_code: str | None = None
    salutation_code: str | None = None
    correspondence_type: str | None = None
    email: str | None = None
    phone_no: str | None = None
    mobile_phone_no: str | None = None
    fax_no: str | None = None
    home_page: str | None = None
    vat_registration_no: str | None = None
    exclude_from_segment: bool | None = None
    privacy_blocked: bool | None = None


#: The fields of a contact a caller may set (``ContactChanges``); ``no`` only on creation.
EDITABLE = frozenset(ContactChanges.model_fields)
