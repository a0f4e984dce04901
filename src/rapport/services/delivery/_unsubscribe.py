"""One-click unsubscribe (RFC 8058): signed per-contact links and the opt-outs they record.

A link is ``{public base URL}/unsubscribe/{token}``; the token is the contact number
(base64url) and an HMAC-SHA256 of it under the configured secret, so nobody can forge a link
for another contact and no database row is needed per message. GET shows a confirmation page
(a link scanner's GET changes nothing); POST records the opt-out.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import select

from rapport.db.models import EmailOptOut
from rapport.errors import ValidationError
from rapport.services.context import Ctx
from rapport.services.records import not_found
from rapport.services.tables import CONTACT

_SIGNATURE_BYTES = 20


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class UnsubscribeLinks:
    """Makes and checks the unsubscribe links of one rapport installation."""

    base_url: str
    secret: bytes

    def _signature(self, contact_no: str) -> bytes:
        mac = hmac.new(self.secret, b"unsubscribe:" + contact_no.encode("utf-8"),
                       hashlib.sha256)
        return mac.digest()[:_SIGNATURE_BYTES]

    def token(self, contact_no: str) -> str:
        """The signed token of ``contact_no``."""
        return f"{_b64(contact_no.encode('utf-8'))}.{_b64(self._signature(contact_no))}"

    def url(self, contact_no: str) -> str:
        """The https link that unsubscribes ``contact_no``."""
        return f"{self.base_url}/unsubscribe/{self.token(contact_no)}"

    def contact_of(self, token: str) -> str:
        """The contact a token was made for; a ValidationError if it is not one of ours."""
        name, _, signature = token.partition(".")
        try:
            contact_no = _unb64(name).decode("utf-8")
            given = _unb64(signature)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            contact_no, given = "", b""
        if not contact_no or not hmac.compare_digest(given, self._signature(contact_no)):
            raise ValidationError("This unsubscribe link is not valid (it may be incomplete)",
                                  record="Unsubscribe link", field="token", reason="bad token")
        return contact_no


@dataclass(frozen=True)
class OptOut:
    """A contact's e-mail opt-out as the confirmation page shows it."""

    contact_no: str
    name: str
    opted_out: bool


def opt_out_state(ctx: Ctx, contact_no: str) -> OptOut:
    """Whether ``contact_no`` has unsubscribed (for the confirmation page)."""
    name = ctx.session.scalar(select(CONTACT.c.name).where(CONTACT.c.no == contact_no))
    if name is None:
        raise not_found("Contact", contact_no, field="contact_no")
    done = ctx.session.get(EmailOptOut, contact_no) is not None
    return OptOut(contact_no, name or "", done)


def unsubscribe(ctx: Ctx, contact_no: str, *, via: str = "one-click") -> OptOut:
    """Record that ``contact_no`` wants no more e-mail (idempotent)."""
    state = opt_out_state(ctx, contact_no)
    if not state.opted_out:
        ctx.session.add(EmailOptOut(contact_no=contact_no, opted_out_at=ctx.now(), via=via))
        ctx.session.flush()
    return OptOut(contact_no, state.name, True)
