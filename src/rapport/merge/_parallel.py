"""Many letters from one template on every core: the template goes to each worker once."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from rapport.merge._docx import DocxMerger, MergeRecord

_TEMPLATE: bytes = b""
_MERGER = DocxMerger()


def _start(template: bytes) -> None:
    global _TEMPLATE
    _TEMPLATE = template


def _merge_one(record: MergeRecord) -> bytes:
    return _MERGER.merge(_TEMPLATE, record)


def merge_many(template: bytes, records: Sequence[MergeRecord], *, workers: int = 2,
               serial_below: int = 40) -> list[bytes]:
    """``template`` merged with each record, in order, on ``workers`` processes (a few letters
    are merged in this process: starting workers costs more than they save)."""
    if workers <= 1 or len(records) < serial_below:
        return [_MERGER.merge(template, record) for record in records]
    context = multiprocessing.get_context("spawn")  # no inherited database connections
    chunk = max(1, len(records) // (workers * 8))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                             initargs=(template,)) as pool:
        return list(pool.map(_merge_one, records, chunksize=chunk))
