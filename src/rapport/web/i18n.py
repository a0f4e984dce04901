"""The web pages' one gettext entry point: every user-visible string goes through ``_()``.

Part 1 ships no catalogues, so the translations are the null ones (English as written); adding
a language means installing its catalogue here, in Python and in the templates alike.
"""

from __future__ import annotations

from gettext import NullTranslations

TRANSLATIONS = NullTranslations()


def _(message: str) -> str:
    """``message`` in the user's language."""
    return TRANSLATIONS.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``."""
    return TRANSLATIONS.ngettext(singular, plural, n)
