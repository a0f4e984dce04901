"""Commands added to ``rapport segments`` (see registry.py)."""

from __future__ import annotations

from rapport.cli.segments import app

__all__ = ["app"]
