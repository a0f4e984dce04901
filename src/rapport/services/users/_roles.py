"""Roles of an account (issue 13): ``admin`` (setup and users), ``marketer`` (contacts,
segments, interactions), ``viewer`` (read only). Each role may do what the ones below it may."""

from __future__ import annotations

from enum import StrEnum

from rapport.errors import PermissionDeniedError, ValidationError


class Role(StrEnum):
    ADMIN = "admin"
    MARKETER = "marketer"
    VIEWER = "viewer"


_RANK = {Role.VIEWER: 0, Role.MARKETER: 1, Role.ADMIN: 2}


def parse_role(value: str, *, record: str = "User") -> Role:
    """A role by name, case-insensitively."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationError(f"Role {value!r} of {record} is not one of: {allowed}",
                              record=record, field="role", reason="unknown role") from None


def require_role(user_id: str, role: str, needed: Role) -> None:
    """Refuse (PermissionDeniedError) an account whose role is below ``needed``."""
    if _RANK[Role(role)] < _RANK[needed]:
        raise PermissionDeniedError(
            f"User {user_id} (role {role}) may not do this: it needs the role {needed.value}",
            record=f"User {user_id}", field="role", reason=f"needs {needed.value}")
