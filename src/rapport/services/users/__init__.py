"""Users: accounts with roles and passwords, personal API tokens, sign-in, idempotent answers."""

from rapport.services.users._accounts import (
    Account,
    AccountChanges,
    AccountInput,
    admin_count,
    create_user,
    get_user,
    list_accounts,
    update_user,
)
from rapport.services.users._idempotency import (
    StoredAnswer,
    remember_answer,
    stored_answer,
)
from rapport.services.users._roles import Role, parse_role, require_role
from rapport.services.users._tokens import (
    DEFAULT_DAYS,
    LOCK_SECONDS,
    MAX_FAILURES,
    IssuedToken,
    Principal,
    SignIn,
    TokenInfo,
    authenticate_token,
    issue_token,
    list_tokens,
    revoke_token,
    sign_in,
    touch_token,
)

__all__ = [
    "Account",
    "AccountChanges",
    "AccountInput",
    "admin_count",
    "authenticate_token",
    "create_user",
    "DEFAULT_DAYS",
    "get_user",
    "issue_token",
    "IssuedToken",
    "list_accounts",
    "list_tokens",
    "LOCK_SECONDS",
    "MAX_FAILURES",
    "parse_role",
    "Principal",
    "remember_answer",
    "require_role",
    "revoke_token",
    "Role",
    "sign_in",
    "SignIn",
    "stored_answer",
    "StoredAnswer",
    "TokenInfo",
    "touch_token",
    "update_user",
]
