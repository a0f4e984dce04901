"""Contacts: companies and persons, their classifications and numbers."""

from rapport.services.contacts import files
from rapport.services.contacts._classifications import (
    assign,
    assigned_codes,
    remove_profile_answer,
    set_profile_answer,
    unassign,
)
from rapport.services.contacts._contacts import (
    ContactChanges,
    ContactInput,
    create_contact,
    delete_contact,
    update_contact,
)
from rapport.services.contacts._numbers import (
    NumberBlock,
    contact_series,
    draw_block,
)
from rapport.services.contacts._queries import (
    ContactDetail,
    ContactFilter,
    list_contacts,
    show_contact,
)

__all__ = [
    "assign",
    "assigned_codes",
    "contact_series",
    "ContactChanges",
    "ContactDetail",
    "ContactFilter",
    "ContactInput",
    "create_contact",
    "delete_contact",
    "draw_block",
    "files",
    "list_contacts",
    "NumberBlock",
    "remove_profile_answer",
    "set_profile_answer",
    "show_contact",
    "unassign",
    "update_contact",
]
