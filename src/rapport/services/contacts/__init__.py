"""Contacts: companies and persons, their classifications and numbers."""

from rapport.services.contacts import files
from rapport.services.contacts._alt_addresses import (
    AltAddressChanges,
    AltAddressInput,
    create_alt_address,
    delete_alt_address,
    get_alt_address,
    list_alt_addresses,
    update_alt_address,
)
from rapport.services.contacts._alt_ranges import (
    DateRangeChanges,
    DateRangeInput,
    add_date_range,
    contact_date_ranges,
    delete_date_range,
    update_date_range,
)
from rapport.services.contacts._card import ContactCard, HistoryRow, contact_card
from rapport.services.contacts._classifications import (
    assign,
    assigned_codes,
    remove_profile_answer,
    set_profile_answer,
    unassign,
)
from rapport.services.contacts._contacts import (
    ContactCreated,
    ContactUpdated,
    create_contact,
    get_contact,
    update_contact,
)
from rapport.services.contacts._deletion import (
    ContactDeletion,
    contact_deletion,
    delete_contact,
)
from rapport.services.contacts._duplicates import (
    DuplicateContactError,
    DuplicateReport,
    DuplicateRow,
    SuspectedDuplicate,
)
from rapport.services.contacts._inputs import (
    ContactChanges,
    ContactInput,
)
from rapport.services.contacts._numbers import (
    NumberBlock,
    contact_series,
    draw_block,
)
from rapport.services.contacts._queries import (
    ContactDetail,
    ContactFilter,
    ContactRow,
    contacts_after,
    list_contacts,
    show_contact,
)
from rapport.services.contacts._search import MIN_SUBSTRING, is_prefix_search

__all__ = [
    "add_date_range",
    "AltAddressChanges",
    "AltAddressInput",
    "assign",
    "assigned_codes",
    "contact_card",
    "contact_date_ranges",
    "contact_deletion",
    "contact_series",
    "ContactCard",
    "ContactChanges",
    "ContactCreated",
    "ContactDeletion",
    "ContactDetail",
    "ContactFilter",
    "ContactInput",
    "ContactRow",
    "contacts_after",
    "ContactUpdated",
    "create_alt_address",
    "create_contact",
    "DateRangeChanges",
    "DateRangeInput",
    "delete_alt_address",
    "delete_contact",
    "delete_date_range",
    "draw_block",
    "DuplicateContactError",
    "DuplicateReport",
    "DuplicateRow",
    "files",
    "get_alt_address",
    "get_contact",
    "HistoryRow",
    "is_prefix_search",
    "list_alt_addresses",
    "list_contacts",
    "MIN_SUBSTRING",
    "NumberBlock",
    "remove_profile_answer",
    "set_profile_answer",
    "show_contact",
    "SuspectedDuplicate",
    "unassign",
    "update_alt_address",
    "update_contact",
    "update_date_range",
]
