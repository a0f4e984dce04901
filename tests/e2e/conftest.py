"""Fixtures of the end-to-end tests (the API's: see api_support)."""

from tests.e2e.api_support import api

__all__ = ["api"]
