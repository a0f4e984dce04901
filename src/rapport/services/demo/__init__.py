"""Demo data and the bulk contact generator."""

from rapport.services.demo._contacts import (
    DemoContactBuilder,
)
from rapport.services.demo._documents import (
    LETTER_FIELDS,
)
from rapport.services.demo._generator import (
    generate,
    generate_contacts,
)
from rapport.services.demo._seed import (
    ensure_setup,
    seed_demo,
)

__all__ = [
    "DemoContactBuilder",
    "ensure_setup",
    "generate",
    "generate_contacts",
    "LETTER_FIELDS",
    "seed_demo",
]
