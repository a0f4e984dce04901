"""PDF rendering of merged letters with LibreOffice headless (SPEC A4, §3.13 Hard Copy).

``LibreOfficeRenderer`` converts documents in batches: one ``soffice --convert-to pdf`` process
per batch (its start-up is paid once per batch, not per letter), the letters split evenly into
as few batches as ``batch_size`` allows (a multiple of ``workers``), ``workers`` at a time,
each worker with its own LibreOffice profile directory (two soffice processes sharing a profile
block each other). Every batch runs under a timeout that grows with its size; a converter that
overruns is killed with its whole process group and the batch's unconverted letters are retried
one by one under the per-letter timeout, so one document that hangs LibreOffice fails alone.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Rendered:
    """One letter's PDF (or other export), or the reason it could not be rendered."""

    content: bytes | None
    error: str = ""


class LibreOfficeRenderer:
    """Converts .docx letters to PDF with a LibreOffice found on the PATH (or given)."""

    def __init__(self, soffice: str | None = None, *, workers: int = 2, batch_size: int = 200,
                 timeout_s: float = 60.0, per_letter_s: float = 2.0) -> None:
        self.soffice = soffice or shutil.which("soffice") or shutil.which("libreoffice")
        self.workers = max(1, workers)
        self.batch_size = max(1, batch_size)
        self.timeout_s = timeout_s
        self.per_letter_s = per_letter_s
        self._folder: Path | None = None  # made on first use, removed by close()
        self._profiles: list[Path] = []
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """Whether LibreOffice is installed."""
        return self.soffice is not None

    def why_unavailable(self) -> str:
        """Why letters are not rendered to PDF (blank when they are)."""
        return "" if self.available else (
            "LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui), "
            "so the letters are delivered as .docx files")

    def render(self, documents: Sequence[bytes], *, target: str = "pdf",
               progress: Callable[[int], None] | None = None) -> list[Rendered]:
        """Each .docx as a PDF (or another LibreOffice export such as ``html``), in order; a
        letter that fails carries the reason. ``progress`` hears how many are done so far."""
        if not self.available:
            return [Rendered(None, self.why_unavailable()) for _ in documents]
        batches = self._batches(len(documents))
        results: list[Rendered] = [Rendered(None, "not converted")] * len(documents)
        done = 0
        with ThreadPoolExecutor(self.workers) as pool:
            for batch, rendered in zip(batches, pool.map(
                    lambda b: self._batch([documents[i] for i in b], target), batches),
                    strict=True):
                for index, one in zip(batch, rendered, strict=True):
                    results[index] = one
                done += len(batch)
                if progress is not None:
                    progress(done)
        return results

    def _batches(self, count: int) -> list[list[int]]:
        """``count`` letters split evenly into as few batches as the workers and
        ``batch_size`` allow — a multiple of the workers, so that none idles while another
        starts LibreOffice again (its start-up is the dearest step of a batch)."""
        if count == 0:
            return []
        batches = math.ceil(count / self.batch_size)
        batches = min(count, math.ceil(batches / self.workers) * self.workers)
        size = math.ceil(count / batches)
        return [list(range(i, min(i + size, count))) for i in range(0, count, size)]

    @property
    def _home(self) -> Path:
        """The renderer's work folder: profiles and batches."""
        with self._lock:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="rapport-lo-"))
            return self._folder

    def _profile(self) -> Path:
        """A profile directory no running converter uses (one per worker)."""
        home = self._home
        with self._lock:
            for profile in self._profiles:
                lock = profile.with_suffix(".busy")
                if not lock.exists():
                    lock.touch()
                    return profile
            profile = home / f"profile-{len(self._profiles)}"
            self._profiles.append(profile)
            profile.with_suffix(".busy").touch()
            return profile

    def _batch(self, documents: Sequence[bytes], target: str) -> list[Rendered]:
        profile = self._profile()
        try:
            with tempfile.TemporaryDirectory(dir=self._home) as work:
                folder = Path(work)
                names = [folder / f"letter-{i:05d}.docx" for i in range(len(documents))]
                for name, content in zip(names, documents, strict=True):
                    name.write_bytes(content)
                timeout = self.timeout_s + self.per_letter_s * len(names)
                failure = self._convert(profile, names, folder, timeout, target)
                if failure and len(names) > 1:  # a hung batch: each letter on its own
                    for name in names:
                        if not name.with_suffix(f".{target}").exists():
                            self._convert(profile, [name], folder,
                                          self.timeout_s + self.per_letter_s, target)
                return [_read(name.with_suffix(f".{target}"), failure) for name in names]
        finally:
            profile.with_suffix(".busy").unlink(missing_ok=True)

    def _convert(self, profile: Path, names: list[Path], out: Path, timeout: float,
                 target: str) -> str:
        """Run one converter; its error ('' when it finished) — killed when it overruns."""
        command = [str(self.soffice), "--headless", "--norestore", "--nologo",
                   "--nodefault", "--nolockcheck",
                   f"-env:UserInstallation={profile.resolve().as_uri()}",
                   "--convert-to", "pdf:writer_pdf_Export" if target == "pdf" else target,
                   "--outdir", str(out),
                   *[str(n) for n in names]]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return f"LibreOffice did not finish within {timeout:.0f} s and was stopped"
        if process.returncode != 0:
            return f"LibreOffice failed ({process.returncode}): {err.decode(errors='replace')}"
        return ""

    def close(self) -> None:
        """Remove the profiles and work folders (a later render makes new ones)."""
        with self._lock:
            folder, self._folder, self._profiles = self._folder, None, []
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _read(pdf: Path, failure: str) -> Rendered:
    if pdf.exists():
        return Rendered(pdf.read_bytes())
    return Rendered(None, failure or "LibreOffice could not convert this document")
