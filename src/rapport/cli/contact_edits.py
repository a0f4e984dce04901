"""``rapport contacts create|set|delete``: one contact at a time.

``create`` takes every editable field of a contact as an option (``FIELDS``, one table that
also names the fields ``set`` accepts); ``set`` takes ``FIELD=VALUE`` pairs, as ``rapport setup
set`` does, where FIELD is the field's name (as in the contact file format) or its ``create``
option without the dashes (``phone=…`` for ``phone_no``). ``delete`` asks for confirmation
unless ``--yes``; when the input is not a terminal it cannot ask, and refuses without ``--yes``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from rapport.cli import contact_duplicates
from rapport.cli.common import console, use_case
from rapport.cli.confirm import confirmed
from rapport.cli.contacts import app
from rapport.cli.options import CODE, TEXT, blank_or, captions, choice
from rapport.domain.enums import ContactType, CorrespondenceType
from rapport.services import contacts
from rapport.services.contacts import (
    ContactChanges,
    ContactCreated,
    ContactDeletion,
    ContactInput,
    ContactUpdated,
    DuplicateContactError,
)

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


@dataclass(frozen=True)
class Field:
    """One editable contact field on the command line: its ``create`` option and how a value
    typed for it is read (``kind``: text, code, type, correspondence or flag)."""

    name: str
    option: str
    metavar: str
    help: str
    kind: str = "text"


FIELDS = (
    Field("no", "--no", "CONTACT", "Number (default: the next Contact Nos. number); only when "
          "the series allows manual numbers.", "code"),
    Field("type", "--type", "company|person", "Company (the default) or Person.", "type"),
    Field("name", "--name", TEXT, "Name (required; a person's defaults to first name and "
          "surname)."),
    Field("name_2", "--name-2", TEXT, "More of the name."),
    Field("search_name", "--search-name", TEXT, "Search name (default: the name in capitals)."),
    Field("company_no", "--company", "COMPANY", "A person's company, by number (default: a "
          "standalone person); the person inherits its blank fields.", "code"),
    Field("first_name", "--first-name", TEXT, "A person's first name."),
    Field("surname", "--surname", TEXT, "A person's surname."),
    Field("job_title", "--job-title", TEXT, "A person's job title."),
    Field("address", "--address", TEXT, "Street address."),
    Field("address_2", "--address-2", TEXT, "Address, second line."),
    Field("post_code", "--post-code", TEXT, "Post code."),
    Field("city", "--city", TEXT, "City."),
    Field("county", "--county", TEXT, "County."),
    Field("country_region_code", "--country", CODE, "Country/region code.", "code"),
    Field("territory_code", "--territory", CODE, "Territory code.", "code"),
    Field("salesperson_code", "--salesperson", CODE, "Salesperson code (not a blocked one).",
          "code"),
    Field("language_code", "--language", CODE, "Language code: the language of the "
          "attachments the contact receives.", "code"),
    Field("salutation_code", "--salutation", CODE, "Salutation code (default: the marketing "
          "setup's for companies or persons).", "code"),
    Field("correspondence_type", "--correspondence-type", "hard-copy|email|none",
          f"How documents are delivered: {captions(CorrespondenceType)} (default: the marketing "
          "setup's).", "correspondence"),
    Field("email", "--email", "ADDRESS", "E-mail address (its syntax is checked)."),
    Field("phone_no", "--phone", "NUMBER", "Phone number."),
    Field("mobile_phone_no", "--mobile", "NUMBER", "Mobile phone number."),
    Field("fax_no", "--fax", "NUMBER", "Fax number."),
    Field("home_page", "--home-page", "URL", "Home page."),
    Field("vat_registration_no", "--vat-no", TEXT, "VAT registration number."),
    Field("exclude_from_segment", "--exclude-from-segment", "", "Add Contacts leaves the "
          "contact out unless told to ignore exclusion.", "flag"),
    Field("privacy_blocked", "--privacy-blocked", "", "Blocked for privacy reasons: never on a "
          "segment line, no interactions.", "flag"),
)
BY_NAME = {f.name: f for f in FIELDS}
#: FIELD names ``set`` accepts: field names, and ``create`` options without their dashes.
ALIASES = {**{f.option.removeprefix("--").replace("-", "_"): f.name for f in FIELDS},
           **{f.name: f.name for f in FIELDS}}


def _value(field: Field, text: str, hint: str) -> Any:
    """The value typed for ``field`` (option or FIELD ``hint``) as the contact services take
    it ('' or none = blank)."""
    if field.kind == "flag":
        word = text.strip().lower()
        if word not in _TRUE | _FALSE:
            raise typer.BadParameter(f"{text!r} is not true or false", param_hint=hint)
        return word in _TRUE
    if field.kind == "type":
        return choice(ContactType, text, hint).value
    if field.kind == "correspondence":
        return choice(CorrespondenceType, text, hint).value
    if field.kind == "code":
        return blank_or(text) or None
    return text


# --- create ----------------------------------------------------------------------------------


def _option(field: Field) -> inspect.Parameter:
    if field.kind == "flag":
        hint: Any = Annotated[bool, typer.Option(field.option, help=field.help)]
        return inspect.Parameter(field.name, inspect.Parameter.KEYWORD_ONLY, default=False,
                                 annotation=hint)
    hint = Annotated[str | None, typer.Option(field.option, metavar=field.metavar,
                                              help=field.help)]
    return inspect.Parameter(field.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                             annotation=hint)


def _with_field_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` (taking ``**values``) one option per field of ``FIELDS`` besides its
    own keyword parameters: Typer reads the options from the signature."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values()
           if p.kind is inspect.Parameter.KEYWORD_ONLY]
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [_option(f) for f in FIELDS] + own)
    return command


@app.command("create")
@_with_field_options
def create(
    *,
    allow_duplicate: Annotated[bool, typer.Option(
        "--allow-duplicate", help="Create it even if a contact with the same e-mail, or the "
        "same name and company, exists.")] = False,
    **given: Any,
) -> None:
    """Create a company or a person; prints its number and what inheritance and the
    marketing setup filled in."""
    values = {name: _value(BY_NAME[name], text, BY_NAME[name].option)
              if isinstance(text, str) else text
              for name, text in given.items() if text is not None}
    data = ContactInput(**values)
    try:
        with use_case() as ctx:
            created = contacts.create_contact(ctx, data, allow_duplicate=allow_duplicate)
    except DuplicateContactError as exc:
        contact_duplicates.print_refused(exc)
        raise typer.Exit(1) from None
    _print_created(created)


def _shown(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} {value}" for name, value in values.items())


def _print_created(created: ContactCreated) -> None:
    contact = created.contact
    of = (f" of {contact.company_no} {contact.company_name}"
          if contact.type == ContactType.PERSON and contact.company_no else "")
    console.print(f"Contact {contact.no} created: {contact.type.lower()} {contact.name}{of}")
    if created.inherited:
        console.print(f"  from company {contact.company_no}: {_shown(created.inherited)}")
    if created.defaulted:
        console.print(f"  from the marketing setup: {_shown(created.defaulted)}")
    contact_duplicates.print_allowed(contact.no, created.duplicates)


# --- set ---------------------------------------------------------------------------------------


def _changes(assignments: list[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for item in assignments:
        typed, sep, text = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r} is not FIELD=VALUE")
        key = typed.strip().lower().replace("-", "_")
        name = ALIASES.get(key, key)  # an unknown field is refused by ContactChanges
        changes[name] = _value(BY_NAME[name], text, typed.strip()) if name in BY_NAME else text
    return changes


@app.command("set")
def set_fields(
    no: Annotated[str, typer.Argument(metavar="CONTACT", help="Contact number.")],
    assignments: Annotated[list[str], typer.Argument(
        metavar="FIELD=VALUE...", help="Fields to change, e.g. phone=+47 22 33 44 55 "
        "salesperson=SP2 company=C2 (a field's name or its create option; an empty value "
        "clears it, and so do none and blank for codes and option fields).")],
) -> None:
    """Change fields of a contact; shows what changed, and the persons of a company that
    followed it."""
    data = ContactChanges.model_validate(_changes(assignments))
    with use_case() as ctx:
        updated = contacts.update_contact(ctx, no, data)
    _print_updated(updated)


def _change(name: str, old: Any, new: Any) -> str:
    def shown(value: Any) -> str:
        return "(blank)" if value in (None, "") else str(value)

    return f"{name} {shown(old)} → {shown(new)}"


def _print_updated(updated: ContactUpdated) -> None:
    no = updated.contact.no
    if not updated.changes:
        console.print(f"Contact {no}: nothing changed")
        return
    console.print(f"Contact {no} changed:")
    for name, (old, new) in updated.changes.items():
        console.print(f"  {_change(name, old, new)}")
    if updated.persons:
        followed = ", ".join(f"{name} ({_count(count, 'person')})"
                             for name, count in updated.persons.items())
        console.print(f"  followed by the company's persons: {followed}")


# --- delete ------------------------------------------------------------------------------------


def _what(deletion: ContactDeletion) -> str:
    what = f"{deletion.type.lower()} {deletion.no} {deletion.name}"
    if deletion.persons:
        what += f" and its {_count(deletion.persons, 'person')}"
    return what


def _count(count: int, what: str) -> str:
    """``1 person``, ``2 persons``; ``1 interaction log entry``, ``2 … entries``."""
    if count == 1:
        return f"1 {what}"
    return f"{count} {what[:-1]}ies" if what.endswith("y") else f"{count} {what}s"


def _entries(deletion: ContactDeletion) -> str:
    if not deletion.entries:
        return ""
    entries, one = _count(deletion.entries, "interaction log entry"), deletion.entries == 1
    if deletion.company_no:
        return f"; {entries} {'moves' if one else 'move'} to company {deletion.company_no}"
    return f"; {entries} {'keeps' if one else 'keep'} no contact"


@app.command("delete")
def delete(
    no: Annotated[str, typer.Argument(metavar="CONTACT", help="Contact number.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation "
                                      "(required when the input is not a terminal).")] = False,
) -> None:
    """Delete a contact (a company with its persons); refused while it is on a segment."""
    with use_case() as ctx:
        plan = contacts.contact_deletion(ctx, no)
    if not confirmed(f"Delete {_what(plan)}{_entries(plan)}?", yes=yes):
        console.print("Nothing was deleted.")
        raise typer.Exit(1)
    with use_case() as ctx:
        deleted = contacts.delete_contact(ctx, no)
    console.print(f"Deleted {_what(deleted)}{_entries(deleted)}.")
