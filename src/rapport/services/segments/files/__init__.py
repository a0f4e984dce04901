"""Segment files: a segment's lines with their contact data, exported to CSV or XLSX.

A package of its own, not part of the ``segments`` face: it writes through the contact files'
writer (``rapport.services.contacts.files``), which only ``rapport segments export`` needs to
load (README, Benchmarks, Start-up).
"""

from rapport.services.segments.files._export import (
    COLUMNS,
    export_segment,
)

__all__ = [
    "COLUMNS",
    "export_segment",
]
