"""The LibreOffice renderer's process handling, with stand-in converters: a converter that
hangs is killed (its whole process group) and the batch's letters are retried one by one."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from rapport.merge import DocxMerger, LibreOfficeRenderer, MergeRecord
from tests.builders_documents import word_letter

# A stand-in for soffice: writes "%PDF <name>" for each input into --outdir, like soffice;
# hangs (with a child process) when given more than one letter, or always if HANG_ALWAYS.
_FAKE = """#!/bin/sh
out=""; files=""
while [ $# -gt 0 ]; do
  case "$1" in --outdir) out="$2"; shift;; *.docx) files="$files $1";; esac; shift
done
count=$(echo $files | wc -w)
if [ -n "{always}" ] || [ "$count" -gt 1 ]; then
  sleep 300 & echo $! > "{pidfile}"; wait
fi
for f in $files; do b=$(basename "$f" .docx); printf '%%PDF %s' "$b" > "$out/$b.pdf"; done
"""


def _fake(tmp_path: Path, *, always: bool = False) -> tuple[str, Path]:
    pidfile = tmp_path / "child.pid"
    script = tmp_path / "soffice"
    script.write_text(_FAKE.replace("{always}", "yes" if always else "")
                      .replace("{pidfile}", str(pidfile)))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), pidfile


def _alive(pid: int) -> bool:
    """Running (a killed child whose parent died may linger as a zombie until reaped)."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, FileNotFoundError):
        return False
    return state not in ("Z", "X")


def test_a_hung_batch_is_killed_and_its_letters_converted_one_by_one(tmp_path: Path) -> None:
    soffice, pidfile = _fake(tmp_path)
    renderer = LibreOfficeRenderer(soffice, workers=1, batch_size=3, timeout_s=1.0,
                                   per_letter_s=0.1)
    started = time.monotonic()
    results = renderer.render([b"a", b"b", b"c"])
    renderer.close()
    assert time.monotonic() - started < 30
    assert [r.content for r in results] == [b"%PDF letter-00000", b"%PDF letter-00001",
                                        b"%PDF letter-00002"]
    time.sleep(0.2)
    assert not _alive(int(pidfile.read_text()))  # the hung converter's child is gone too


def test_a_letter_that_always_hangs_fails_alone_with_the_reason(tmp_path: Path) -> None:
    soffice, pidfile = _fake(tmp_path, always=True)
    renderer = LibreOfficeRenderer(soffice, workers=2, batch_size=1, timeout_s=0.5,
                                   per_letter_s=0.1)
    results = renderer.render([b"a", b"b"])
    renderer.close()
    assert [r.content for r in results] == [None, None]
    assert all("did not finish within" in r.error for r in results)
    time.sleep(0.2)
    assert not _alive(int(pidfile.read_text()))


def test_each_worker_has_its_own_profile(tmp_path: Path) -> None:
    soffice, _ = _fake(tmp_path)
    renderer = LibreOfficeRenderer(soffice, workers=2, batch_size=1)
    first, second = renderer._profile(), renderer._profile()
    assert first != second
    renderer.close()


def test_without_libreoffice_nothing_is_rendered_and_the_reason_given() -> None:
    renderer = LibreOfficeRenderer()
    renderer.soffice = None
    assert not renderer.available
    assert [r.content for r in renderer.render([b"a"])] == [None]
    assert "libreoffice-writer-nogui" in renderer.why_unavailable()
    renderer.close()


def test_libreoffice_renders_a_merged_letter_to_pdf_and_html() -> None:
    """The real converter (CI installs it: there its absence fails instead of skipping)."""
    renderer = LibreOfficeRenderer(workers=2, batch_size=1)
    if not renderer.available:
        renderer.close()
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) must be installed under CI: see .ci/run")
        pytest.skip("LibreOffice is not installed here (make system-deps)")
    letter = DocxMerger().merge(word_letter([["Dear ", "{ MERGEFIELD Contact_Name }"]]),
                                MergeRecord({"contact_name": "Kari Nordmann"}))
    try:
        pdf, other = renderer.render([letter, letter])
        (page,) = renderer.render([letter], target="html")
    finally:
        renderer.close()
    assert pdf.content is not None and pdf.content.startswith(b"%PDF") and other.content is not None
    assert page.content is not None and b"Dear Kari Nordmann" in page.content


# A stand-in that logs how many letters each start converts (and converts them at once).
_COUNTING = """#!/bin/sh
out=""; n=0
for a in "$@"; do case "$a" in *.docx) n=$((n+1));; esac; done
while [ $# -gt 0 ]; do
  case "$1" in --outdir) out="$2"; shift;;
  *.docx) b=$(basename "$1" .docx); printf '%%PDF %s' "$b" > "$out/$b.pdf";; esac; shift
done
echo $n >> "{log}"
"""


@pytest.mark.parametrize(("letters", "workers", "batch_size", "starts"), [
    (200, 2, 200, [100, 100]),  # each converter starts once
    (201, 2, 50, [34, 34, 34, 34, 34, 31]),  # a multiple of the workers, evenly filled
    (3, 2, 200, [1, 2]),
    (1, 2, 200, [1]),
])
def test_letters_are_split_evenly_into_as_few_starts_as_allowed(
        tmp_path: Path, letters: int, workers: int, batch_size: int, starts: list[int]) -> None:
    log = tmp_path / "starts.log"
    script = tmp_path / "soffice"
    script.write_text(_COUNTING.replace("{log}", str(log)))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    renderer = LibreOfficeRenderer(str(script), workers=workers, batch_size=batch_size)
    done: list[int] = []
    results = renderer.render([b"x"] * letters, progress=done.append)
    renderer.close()
    assert all(r.content is not None for r in results)
    assert sorted(int(n) for n in log.read_text().split()) == sorted(starts)
    assert done[-1] == letters and done == sorted(done)
