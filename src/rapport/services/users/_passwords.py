"""Password hashing with argon2 through pwdlib; a hash made with older parameters is replaced
when its password is next verified (``verify``'s second value)."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_LENGTH = 12


@lru_cache(maxsize=1)
def hasher() -> PasswordHash:
    """The one password hasher (argon2id with pwdlib's current parameters)."""
    return PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    """The argon2 hash of ``password``."""
    return hasher().hash(password)


def verify(password: str, stored: str | None) -> tuple[bool, str | None]:
    """Whether ``password`` matches ``stored``, and a new hash when the parameters changed.

    Without a stored hash a dummy verification runs, so that an unknown user takes as long to
    refuse as a wrong password."""
    if stored is None:
        hasher().verify_and_update(password, _dummy())
        return False, None
    return hasher().verify_and_update(password, stored)


@lru_cache(maxsize=1)
def _dummy() -> str:
    return hash_password("rapport-dummy-password")
