"""What a criteria action is made of, as plain values: its options and its filters per section.

These are the words the criteria engine (``services/criteria``), the criteria log of a segment
(``services/segments``) and every edge share; the edges never build them by hand but pass raw
texts to ``services.criteria.parse_filters``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rapport.domain.enums import CriteriaSection


@dataclass(frozen=True)
class ActionOptions:
    """The options of a criteria action, stored on its Action row (SPEC §2.12)."""

    allow_existing_contacts: bool = False
    expand_contact: bool = False
    allow_company_with_persons: bool = False
    ignore_exclusion: bool = False
    entire_companies: bool = False


@dataclass(frozen=True)
class SectionFilter:
    """The filters of one section of a criteria action: field name → filter expression (A5)."""

    section: CriteriaSection
    fields: Mapping[str, str] = field(default_factory=dict)
