"""Merge-field names compared the way a letter writer means them."""

from __future__ import annotations

import re

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def field_key(name: str) -> str:
    """The key of a field name: ``Contact Name``, ``Contact_Name`` and ``CONTACT_NAME`` are one
    field (``contact_name``); ``Contact E-Mail`` is ``contact_e_mail``."""
    return _NOT_WORD.sub("_", name.casefold()).strip("_")
