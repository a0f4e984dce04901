"""Word merge and PDF benchmark: rapport's letters against the bare tools in the same run.

    python -m bench.bench_merge [--letters 1000] [--pdf-letters 200] [--workers 2]

**Merge**: the demo's Norwegian welcome letter (real MERGEFIELDs, 13 fields) merged for
``--letters`` records on ``--workers`` processes with ``rapport.merge.merge_many`` (per-field
Babel formatting in nb_NO, NEXT handling, data-source stripping) against the baseline: the
library alone (docx-mailmerge2 ``MailMerge(...).merge(**strings)`` and ``write``) with the same
values as ready strings, on the same number of processes. Target: ≥ 90 letters/s.

**PDF**: ``--pdf-letters`` merged letters rendered by ``LibreOfficeRenderer`` as rapport
configures it (split evenly over ``--workers`` converters in batches of at most 200, each
converter with its own profile) against the baseline: one bare
``soffice --convert-to pdf`` of all the files in one process. Target: ≥ 15 letters/s.

Figures are rates and ratios (rapport's rate / the baseline's); the machine's load is printed
because the helpers share two cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

from mailmerge import MailMerge, MailMergeOptions

from bench.common import machine_load, reproduce
from rapport.merge import DocxMerger, LibreOfficeRenderer, MergeRecord, merge_many
from rapport.services.demo._documents import welcome_letter

FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Sofie", "Jonas", "Emma", "Henrik"]
LAST = ["Nordmann", "Hansen", "Berg", "Dahl", "Lie", "Haugen", "Bakke", "Strand"]


def _records(count: int) -> list[MergeRecord]:
    records = []
    for i in range(count):
        name = f"{FIRST[i % 8]} {LAST[(i // 8) % 8]}"
        records.append(MergeRecord({
            "company_information_name": "Rapport Demo Trading AS",
            "company_information_address": "Harbour Road 1",
            "company_information_post_code": "0150", "company_information_city": "Oslo",
            "contact_name": name, "contact_company_name": f"Fjord {i} AS",
            "contact_address": f"Quay {i % 97}", "contact_post_code": f"{5000 + i % 900}",
            "contact_city": "Bergen", "document_date": dt.date(2026, 12, 1),
            "formal_salutation": f"Kjære {name}", "salesperson_name": "Sofie Ravn",
            "salesperson_job_title": "Key Account Manager", "amount": Decimal("1234.5"),
        }, locale="nb_NO"))
    return records


_TEMPLATE = b""


def _start(template: bytes) -> None:
    global _TEMPLATE
    _TEMPLATE = template


def _bare_one(values: dict[str, str]) -> bytes:
    """The library alone: the values already strings, nothing rapport adds."""
    with MailMerge(io.BytesIO(_TEMPLATE), MailMergeOptions(merge_if_fields=True)) as document:
        document.merge(**values)
        out = io.BytesIO()
        document.write(out)
    return out.getvalue()


def _bare(template: bytes, rows: Sequence[dict[str, str]], workers: int) -> list[bytes]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                             initargs=(template,)) as pool:
        return list(pool.map(_bare_one, rows, chunksize=max(1, len(rows) // (workers * 8))))


def _as_template_strings(template: bytes, records: Sequence[MergeRecord]) -> list[dict[str, str]]:
    names = DocxMerger().fields(template)
    return [{n: str(r.values.get(n.lower(), "")) for n in names} for r in records]


def bench_merge(letters: int, workers: int) -> list[bytes]:
    template = welcome_letter("NOR")
    records = _records(letters)
    rows = _as_template_strings(template, records)
    _bare(template, rows[:workers * 4], workers)  # warm-up: spawn and import once
    started = time.perf_counter()
    _bare(template, rows, workers)
    bare = time.perf_counter() - started
    started = time.perf_counter()
    merged = merge_many(template, records, workers=workers)
    ours = time.perf_counter() - started
    print(f"merge | {letters} letters | {workers} workers | rapport {ours:.2f} s "
          f"= {letters / ours:,.0f} letters/s | library alone {bare:.2f} s = "
          f"{letters / bare:,.0f} letters/s | ratio {bare / ours:.2f} | target >= 90 letters/s",
          flush=True)
    return merged


def bench_pdf(documents: Sequence[bytes], workers: int) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("pdf | LibreOffice is not installed: make system-deps", flush=True)
        return
    renderer = LibreOfficeRenderer(soffice, workers=workers)
    renderer.render(list(documents[:2]))  # profiles created once, as in a long-running server
    started = time.perf_counter()
    results = renderer.render(list(documents))
    ours = time.perf_counter() - started
    renderer.close()
    failed = sum(1 for r in results if r.content is None)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for i, content in enumerate(documents):
            (folder / f"l{i:05d}.docx").write_bytes(content)
        profile = (folder / "profile").as_uri()
        command = [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                   "--convert-to", "pdf", "--outdir", str(folder / "out"),
                   *sorted(str(p) for p in folder.glob("*.docx"))]
        subprocess.run(command[:-len(documents)] + [command[-1]], check=True,
                       capture_output=True)  # the bare converter's profile, made untimed
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        bare = time.perf_counter() - started
    count = len(documents)
    print(f"pdf | {count} letters | {workers} workers | rapport {ours:.2f} s = "
          f"{count / ours:,.1f} letters/s ({failed} failed) | bare soffice, one process "
          f"{bare:.2f} s = {count / bare:,.1f} letters/s | ratio {bare / ours:.2f} | "
          "target >= 15 letters/s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--pdf-letters", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    reproduce("bench.bench_merge", sys.argv[1:])
    print(f"# {machine_load()}", flush=True)
    merged = bench_merge(args.letters, args.workers)
    bench_pdf(merged[:args.pdf_letters], args.workers)
    print(f"# {machine_load()}", flush=True)


if __name__ == "__main__":
    main()
