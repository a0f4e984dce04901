"""DKIM signing of finished messages (dkimpy), when a key is configured."""

from __future__ import annotations

from pathlib import Path

import dkim

#: The headers a signature covers (those a recipient sees and a forger would change).
SIGNED_HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
                  b"content-type", b"list-unsubscribe", b"list-unsubscribe-post"]


class DkimSigner:
    """Signs messages for ``domain`` with the selector's private key."""

    def __init__(self, *, domain: str, selector: str, private_key: bytes) -> None:
        self.domain = domain.encode("ascii")
        self.selector = selector.encode("ascii")
        self._key = private_key

    @classmethod
    def from_file(cls, *, domain: str, selector: str, key_file: str) -> DkimSigner:
        """A signer with the PEM key read from ``key_file``."""
        return cls(domain=domain, selector=selector, private_key=Path(key_file).read_bytes())

    def sign(self, message: bytes) -> bytes:
        """``message`` with its DKIM-Signature header prepended."""
        header = dkim.sign(message, self.selector, self.domain, self._key,
                           include_headers=SIGNED_HEADERS)
        return bytes(header) + message
