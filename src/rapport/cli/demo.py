"""``rapport demo``: seed demo data or generate a large contact base."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the ``demo`` command to the root app."""
