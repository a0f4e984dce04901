"""rapport: contacts, segments and interactions, on open tools."""

__version__ = "0.1.0"
