"""The merge fields a rapport letter may use (SPEC §3.12 B, A4).

A field is written in Word with its ``Contact_Name`` style name or its caption (``Contact Name``,
``Salesperson/Purchaser Name``); both reach the same key (``rapport.merge.field_key``). The
reference's Word-template prefixes ``CONTA_``, ``SALES_`` and ``COMPA_`` name the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapport.merge import field_key


@dataclass(frozen=True)
class MergeFieldInfo:
    """One field a letter may use: its name in Word, its caption and where its value comes from."""

    name: str
    caption: str
    group: str

    @property
    def key(self) -> str:
        """The name as compared with a template's field names."""
        return field_key(self.name)


_CONTACT = ["No.", "Company Name", "Name", "Name 2", "Address", "Address 2", "Post Code", "City",
            "County", "Country/Region Name", "Job Title", "Phone No.", "Fax No.", "E-Mail",
            "Mobile Phone No.", "VAT Registration No.", "Home Page"]
_SALESPERSON = ["Code", "Name", "Job Title", "Phone No.", "E-Mail"]
_DOCUMENT = ["Date", "Campaign No.", "Segment No.", "Description", "Subject"]
_COMPANY = ["Name", "Name 2", "Address", "Address 2", "Post Code", "City", "County",
            "Country/Region Name", "VAT Registration No.", "Registration No.", "Phone No.",
            "Fax No.", "Bank Branch No.", "Bank Name", "Bank Account No.", "Giro No."]


def _field(caption: str, group: str, name_prefix: str | None = None) -> MergeFieldInfo:
    words = caption if name_prefix is None else f"{name_prefix} {caption.split(' ', 1)[1]}"
    name = "_".join(w for w in field_key(words).split("_") if w).title().replace("Vat_", "VAT_")
    return MergeFieldInfo(name=name, caption=caption, group=group)


MERGE_FIELDS: tuple[MergeFieldInfo, ...] = (
    _field("Entry No.", "Entry"),
    _field("Contact Mail Address", "Contact"),
    *[_field(f"Contact {c}", "Contact") for c in _CONTACT],
    _field("Formal Salutation", "Salutations"),
    _field("Informal Salutation", "Salutations"),
    *[_field(f"Salesperson/Purchaser {c}", "Salesperson", "Salesperson") for c in _SALESPERSON],
    *[_field(f"Document {c}", "Document") for c in _DOCUMENT],
    *[_field(f"Company Information {c}", "Company information") for c in _COMPANY],
    MergeFieldInfo(name="FaxMailTo", caption="FaxMailTo", group="Delivery"),
)

#: The reference's Word-template prefixes and the caption prefix of the salesperson table.
ALIASES = {"salesperson_purchaser_": "salesperson_", "conta_": "contact_",
           "sales_": "salesperson_", "compa_": "company_information_"}
KNOWN = {f.key for f in MERGE_FIELDS} | {field_key(f.caption) for f in MERGE_FIELDS}


def canonical_key(name: str) -> str | None:
    """The rapport field a template's field name means, or None when it is unknown."""
    key = field_key(name)
    for alias, prefix in ALIASES.items():
        if key.startswith(alias):
            key = prefix + key.removeprefix(alias)
            break
    for field in MERGE_FIELDS:
        if key in (field.key, field_key(field.caption)):
            return field.key
    return None


def with_aliases(values: dict[str, object]) -> dict[str, object]:
    """A record's values also under every other key a template may use for them."""
    result = dict(values)
    for field in MERGE_FIELDS:
        value = values.get(field.key)
        result[field_key(field.caption)] = value
        for alias, prefix in ALIASES.items():
            if field.key.startswith(prefix):
                result[alias + field.key.removeprefix(prefix)] = value
    return result


def unknown_fields(names: list[str]) -> list[str]:
    """The names of a template that are not rapport merge fields."""
    return [name for name in names if canonical_key(name) is None]
