"""A documentation test: the README's console examples run, in order, on a fresh demo database.

Like doctest for code: every ```console block of README.md is a session. Its ``$ rapport …``
lines (a trailing ``\\`` continues a command on the next line; ``# …`` after a command is a
comment) run in document order through the real entry point (``run_main``), and what each
prints (stdout, then stderr, at a width where no line wraps) must be the lines shown below it,
up to the next command:

* whitespace is normalised (runs of blanks are one blank; blank lines and ``# …`` comment lines
  of the block are ignored), so table column widths do not matter;
* ``…`` inside a line matches any text within that line (a timing, a clock time);
  a line that is only ``…`` matches any number of whole lines (a long table cut short);
* the command must exit 0, unless a shown line starts with ``error [`` (a refused command; a
  table of the problems may come before that line): then it must exit non-zero.

A command with no lines shown must print nothing. Commands that cannot run against a shared
demo database (``make run``, ``export …``) belong in ```sh blocks, which are not run; a
``$`` line that is not a ``rapport`` command fails the test.

The database is a SQLite file in a temporary directory, made by ``rapport db upgrade`` and
``rapport demo``, with RAPPORT_WORK_DATE=2025-03-10 and the user ADMIN (the demo's user), as the
README says. Commands run in that directory, where the repository's ``examples/`` folder is
copied, so ``examples/…`` paths and files an example writes work as they do for a reader in a
checkout. This test checks the documentation, not the engines, so it runs on SQLite only (the
service and CLI tests cover PostgreSQL).

``python -m tests.e2e.test_readme_examples`` prints every example with what it prints now, to
copy into the README after changing a command.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e import cli_support
from tests.e2e.cli_support import run_main

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"
WORK_DATE = "2025-03-10"
ELLIPSIS = "…"
#: Console width: no message wraps, so the README shows each printed line as one line.
UNWRAPPED = 2000
FENCE = re.compile(r"^(\s*)(`{3,})\s*(\S*)\s*$")


@dataclass
class Example:
    """One ``$ rapport …`` command of the README with the output shown below it."""

    line: int  # 1-based line of the README where the command starts
    command: str  # as written, continuation lines joined
    expected: list[str] = field(default_factory=list)

    @property
    def args(self) -> list[str]:
        """The arguments after ``rapport``, split as a POSIX shell would, comments dropped."""
        words = shlex.split(self.command, comments=True)
        if not words or words[0] != "rapport":
            raise ValueError(f"README line {self.line}: `$ {self.command}` is not a rapport "
                             "command; show it in a ```sh block, which is not run")
        return words[1:]

    @property
    def refused(self) -> bool:
        """The shown output is an error: the command must exit non-zero."""
        return any(line.startswith("error [") for line in normalised(self.expected))


def console_examples(text: str) -> list[Example]:
    """Every command of every ```console block, in document order."""
    examples: list[Example] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        indent, ticks, language = opening.groups()
        body_start = index
        while index < len(lines) and not _closes(lines[index], ticks):
            index += 1
        if language == "console":
            body = [line.removeprefix(indent) for line in lines[body_start:index]]
            examples += _block_examples(body, body_start + 1)
        index += 1
    return examples


def _closes(line: str, ticks: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(ticks) and set(stripped) == {"`"}


def _block_examples(body: list[str], first_line: int) -> list[Example]:
    examples: list[Example] = []
    continued = False
    for offset, line in enumerate(body):
        if continued:
            examples[-1].command = examples[-1].command[:-1].rstrip() + " " + line.strip()
        elif line.startswith("$ "):
            examples.append(Example(first_line + offset, line[2:].strip()))
        elif examples and not line.lstrip().startswith("#"):
            examples[-1].expected.append(line)
        continued = line.rstrip().endswith("\\") and bool(examples)
    return examples


def normalised(lines: list[str]) -> list[str]:
    """Lines with runs of whitespace made one blank, stripped; blank lines left out."""
    out = (" ".join(line.split()) for line in lines)
    return [line for line in out if line]


def _pattern(expected: list[str]) -> re.Pattern[str]:
    parts = []
    for line in normalised(expected):
        if line == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.split(ELLIPSIS)) + r"\n")
    return re.compile("".join(parts))


def matches(expected: list[str], actual: str) -> bool:
    """Whether the printed text is what the README shows (see the module docstring)."""
    text = "".join(line + "\n" for line in normalised(actual.splitlines()))
    return _pattern(expected).fullmatch(text) is not None


def environment(folder: Path) -> dict[str, str]:
    """The settings every README command runs with: a fresh database, a fixed work date."""
    return {"RAPPORT_DATABASE_URL": f"sqlite:///{folder / 'rapport.db'}",
            "RAPPORT_WORK_DATE": WORK_DATE, "RAPPORT_USER_ID": "ADMIN",
            "RAPPORT_TIME_ZONE": "UTC"}


def prepare(folder: Path) -> dict[str, str]:
    """A migrated demo database in ``folder``, and the examples folder beside it."""
    if EXAMPLES.is_dir():
        shutil.copytree(EXAMPLES, folder / "examples")
    env = environment(folder)
    for setup in (("db", "upgrade"), ("demo",)):
        done = run_main(env, *setup)
        assert done.returncode == 0, f"rapport {' '.join(setup)}: {done.stdout}{done.stderr}"
    return env


def _failure(example: Example, code: int, printed: str) -> str:
    shown = "\n".join(f"    {line}" for line in example.expected) or "    (nothing)"
    got = "\n".join(f"    {line}" for line in printed.splitlines()) or "    (nothing)"
    return (f"README.md line {example.line}: $ {example.command}\n  exit status {code}, "
            f"expected {'non-zero' if example.refused else 0}\n  expected:\n{shown}\n"
            f"  printed:\n{got}")


def run_examples(folder: Path, examples: list[Example]) -> list[str]:
    """Run every example in order; a description of each one that did not do as shown."""
    env = prepare(folder)
    failures = []
    for example in examples:
        try:
            done = run_main(env, *example.args)
        except ValueError as exc:  # not a rapport command, or unbalanced quotes
            failures.append(str(exc))
            continue
        printed = done.stdout + done.stderr
        if (done.returncode != 0) != example.refused or not matches(example.expected, printed):
            failures.append(_failure(example, done.returncode, printed))
    return failures


def test_the_parser_reads_commands_continuations_comments_and_output() -> None:
    text = "\n".join([
        "```sh", "$ make run", "```", "", "- item", "  ```console",
        "  $ rapport segments add SEG00001 \\", '      --filter "Mailing Group.code=NEWS"  # NEWS',
        "  Added 96 line(s).", "  # a comment line", "", "  $ rapport segments undo SEG00001",
        "  ```"])
    examples = console_examples(text)
    assert [(e.line, e.args, normalised(e.expected)) for e in examples] == [
        (7, ["segments", "add", "SEG00001", "--filter", "Mailing Group.code=NEWS"],
         ["Added 96 line(s)."]),
        (12, ["segments", "undo", "SEG00001"], [])]


def test_output_matches_with_normalised_blanks_and_ellipses() -> None:
    table = ["│ SEG00001 │ Spring   │", "│ SEG00002 │ Autumn   │"]
    assert matches(["│ SEG00001 │ Spring │", "│ SEG00002 │ Autumn │"], "\n".join(table))
    assert matches(["Generated 200 contacts in … s."], "Generated 200 contacts in 0.4 s.")
    assert matches(["│ SEG00001 │ Spring │", "…"], "\n".join(table))
    assert matches(["…", "│ SEG00002 │ Autumn │"], "\n".join(table))
    assert not matches(["│ SEG00001 │ Spring │"], "\n".join(table))
    assert not matches([], "Added 1 line(s).")
    assert not matches(["Added … line(s)."], "Added 1 line(s).\nfrom 2 sections")
    assert Example(1, "rapport x", ["", "error [E01] …"]).refused
    assert Example(1, "rapport x", ["│ 3 │ email │", "error [IMPORT] …"]).refused
    assert not Example(1, "rapport x", ["warning Line 20000: …"]).refused


def test_the_readme_examples_run_against_the_demo_data(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ```console example of README.md prints what the README shows, in order."""
    examples = console_examples(README.read_text(encoding="utf-8"))
    assert len(examples) > 50, "the README's examples are no longer ```console blocks"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli_support, "WIDTH", UNWRAPPED)
    failures = run_examples(tmp_path, examples)
    assert not failures, (f"{len(failures)} of {len(examples)} README examples do not do what "
                          "the README shows:\n\n" + "\n\n".join(failures))


def _show(folder: Path) -> None:
    """Print every example with what it prints now (to update the README after a change)."""
    import os

    os.chdir(folder)
    cli_support.WIDTH = UNWRAPPED
    env = prepare(folder)
    for example in console_examples(README.read_text(encoding="utf-8")):
        try:
            done = run_main(env, *example.args)
        except ValueError as exc:
            print(f"--- {exc}")
            continue
        status = "" if done.returncode == 0 else f"   [exit {done.returncode}]"
        print(f"--- README.md line {example.line}{status}\n$ {example.command}\n"
              f"{done.stdout}{done.stderr}", end="")


if __name__ == "__main__":
    import tempfile

    # Click names the program "python -m tests.e2e.…" in usage messages when __main__ has a
    # package; the README shows "rapport".
    __package__ = ""
    with tempfile.TemporaryDirectory() as scratch:
        _show(Path(scratch))
    sys.exit(0)
