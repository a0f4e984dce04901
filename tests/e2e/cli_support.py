"""What the CLI tests share: registering the sub-apps once and resetting cached settings."""

from __future__ import annotations

from rapport.cli import common, registry
from rapport.cli.main import app


def register_cli() -> None:
    """Attach every sub-app to the root app once per process (main() does it in production)."""
    if not any(group.name == "segments" for group in app.registered_groups):
        registry.register(app)


def reset_cli_caches() -> None:
    """Forget the cached settings and engine so the next command reads RAPPORT_* again."""
    common.forget_wiring()
