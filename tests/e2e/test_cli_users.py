"""``rapport users …``: accounts and tokens from the command line, on a migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli_support import run_main, run_real


def _env(tmp_path: Path) -> dict[str, str]:
    env = {"RAPPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'users.db'}"}
    assert run_main(env, "db", "upgrade").returncode == 0
    return env


def test_users_create_token_list_and_revoke(tmp_path: Path) -> None:
    env = _env(tmp_path)
    made = run_main(env, "users", "create", "anna", "--role", "admin", "--password-stdin",
                    input="a long enough password\n")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "User ANNA created, role admin, with a password"
    token = run_main(env, "users", "token", "ANNA", "--name", "ci", "--days", "30")
    assert token.returncode == 0, token.stderr
    first, secret = token.stdout.strip().splitlines()
    assert first.startswith("Token 1 for ANNA (expires ") and first.endswith("shown this once:")
    assert secret.startswith("rpt_")
    listed = run_main(env, "users", "list")
    assert "ANNA" in listed.stdout and "admin" in listed.stdout
    tokens = run_main(env, "users", "tokens")
    assert secret[:12] in tokens.stdout and secret not in tokens.stdout
    revoked = run_main(env, "users", "revoke", "1")
    assert revoked.stdout.strip() == "Token 1 of ANNA revoked"


def test_users_errors_are_one_line(tmp_path: Path) -> None:
    env = _env(tmp_path)
    short = run_main(env, "users", "create", "BEN", "--password-stdin", input="short\n")
    assert short.returncode == 1
    assert "must have at least 12 characters" in short.stderr
    missing = run_main(env, "users", "token", "NOBODY")
    assert missing.returncode == 1 and "User NOBODY does not exist" in missing.stderr
    role = run_main(env, "users", "create", "BEN", "--role", "boss")
    assert role.returncode == 1 and "Role 'boss'" in role.stderr


def test_users_in_a_real_process(tmp_path: Path) -> None:
    env = _env(tmp_path)
    made = run_real(env, "users", "create", "VERA", "--role", "viewer")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "User VERA created, role viewer, without a password (tokens only)"
