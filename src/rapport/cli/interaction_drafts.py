"""Commands added to ``rapport interactions`` (see registry.py)."""

from __future__ import annotations

from rapport.cli.interactions import app

__all__ = ["app"]
