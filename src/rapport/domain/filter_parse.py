"""The text level of filter expressions (SPEC A5): scanning, quoting and an untyped syntax tree.

This module knows characters, quotes and operators, and nothing about field types;
``rapport.domain.filter_typing`` gives the tree its types.

Grammar (``&`` binds tighter than ``|``)::

    expression  := conjunction ("|" conjunction)*
    conjunction := term ("&" term)*
    term        := "(" expression ")"
                 | ["@"] [operator] ["@"] value               operator: <> <= >= < > =
                 | ["@"] [value] ".." ["@"] [value]           at least one bound
    value       := (quoted | plain)+                          quoted: '...' with '' for a quote

Whitespace around operators is insignificant; inside a plain value it is part of the value, and a
value's leading and trailing whitespace is trimmed. ``*`` and ``?`` in plain text are wildcards;
quoted text is always literal. ``@`` is the ignore-case prefix only at the start of a value.

Near misses that would read as something else and silently select nothing are refused: three
dots (``1000...2000`` would be the range 1000 to ``.2000``), a second ``..`` in one term, and
characters no database can compare (NUL, lone surrogates left by a wrongly decoded argument).
A filter holds at most ``MAX_VALUES`` values, which both engines take in one statement.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

OPERATORS = ("<>", "<=", ">=", "<", ">", "=")
_WILDCARDS = "*?"
# Characters that end or break a plain value: they must be quoted to be part of a value.
_SPECIAL = "|&()'<>=" + _WILDCARDS
MAX_DEPTH = 32  # parentheses deeper than this are refused, never a RecursionError
# Each value is a bound parameter: 10,000 per filter keeps a criteria statement that uses a
# filter twice below SQLite's default limit of 32,766 parameters (PostgreSQL: 65,535).
MAX_VALUES = 10_000
_UNUSABLE = re.compile("[\x00\ud800-\udfff]")


class Wildcard(enum.Enum):
    """A wildcard of a pattern: ``*`` (any run of characters) or ``?`` (exactly one)."""

    ANY = "*"
    ONE = "?"


PatternPart = str | Wildcard


class SyntaxProblem(Exception):
    """A filter expression that cannot be read; ``position`` is the 0-based character index."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Segment:
    """A run of a value as typed: plain text, or the content of one quoted string."""

    text: str
    quoted: bool
    start: int


@dataclass(frozen=True)
class RawValue:
    """One value as typed, before it is given the type of its field."""

    segments: tuple[Segment, ...]

    @property
    def start(self) -> int:
        return self.segments[0].start

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)

    @property
    def is_blank(self) -> bool:
        """The value is exactly ``''``: the empty value."""
        return len(self.segments) == 1 and self.segments[0].quoted and not self.text

    @property
    def wildcard_position(self) -> int | None:
        """Where the first wildcard is (only plain text has wildcards), if any."""
        for segment in self.segments:
            hits = [i for i, char in enumerate(segment.text) if char in _WILDCARDS]
            if hits and not segment.quoted:
                return segment.start + hits[0]
        return None

    def pattern_parts(self) -> tuple[PatternPart, ...]:
        """The value as literal text and wildcards, adjacent literals merged."""
        parts: list[PatternPart] = []
        for segment in self.segments:
            chars = [segment.text] if segment.quoted else list(segment.text)
            for piece in chars:
                if not segment.quoted and piece in _WILDCARDS:
                    parts.append(Wildcard(piece))
                elif parts and isinstance(parts[-1], str):
                    parts[-1] += piece
                else:
                    parts.append(piece)
        return tuple(parts)


@dataclass(frozen=True)
class RawTerm:
    """One comparison, pattern or range as typed; ``case_position`` is where its ``@`` was."""

    start: int
    op: str | None
    case_position: int | None
    low: RawValue | None
    high: RawValue | None
    is_range: bool


@dataclass(frozen=True)
class RawGroup:
    """Terms joined by ``|`` or ``&`` (``kind``); parentheses keep their own group."""

    kind: str
    children: tuple[RawNode, ...]


RawNode = RawTerm | RawGroup


def parse_syntax(expression: str) -> RawNode:
    """Read an expression into an untyped tree, or raise SyntaxProblem at the first error."""
    if not expression.strip():
        raise SyntaxProblem("the filter is empty", 0)
    _refuse_unusable_characters(expression)
    scanner = _Scanner(expression)
    node = scanner.expression()
    scanner.skip()
    if scanner.pos < len(expression):
        char = expression[scanner.pos]
        raise SyntaxProblem(f"unexpected {char!r}", scanner.pos)
    return node


def shown(text: str, width: int = 40) -> str:
    """A value quoted for an error message, cut short when long (a number of 5,000 digits)."""
    if len(text) <= width:
        return repr(text)
    return f"{text[:width]!r}… ({len(text)} characters)"


def render_text(text: str) -> str:
    """A literal text as it must be typed: plain when that reads back the same, else quoted."""
    plain = (
        text == text.strip()
        and text != ""
        and not text.startswith(("@", "."))
        and not text.endswith(".")
        and ".." not in text
        and not any(char in _SPECIAL for char in text)
    )
    return text if plain else "'" + text.replace("'", "''") + "'"


class _Scanner:
    """Recursive descent over the characters of one expression."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0
        self.values = 0

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def take(self, token: str) -> bool:
        self.skip()
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
            return True
        return False

    def expression(self) -> RawNode:
        children = [self._conjunction()]
        while self.take("|"):
            children.append(self._conjunction())
        return children[0] if len(children) == 1 else RawGroup("|", tuple(children))

    def _conjunction(self) -> RawNode:
        children = [self._term()]
        while self.take("&"):
            children.append(self._term())
        return children[0] if len(children) == 1 else RawGroup("&", tuple(children))

    def _term(self) -> RawNode:
        self.skip()
        opened = self.pos
        if not self.take("("):
            return self._atom()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SyntaxProblem(f"more than {MAX_DEPTH} nested parentheses", opened)
        node = self.expression()
        if not self.take(")"):
            raise SyntaxProblem("the '(' is never closed", opened)
        self.depth -= 1
        return node

    def _atom(self) -> RawTerm:
        self.skip()
        start = self.pos
        case = self._at()
        op = self._operator()
        if case is None and op is not None:
            case = self._at()
        low = None if self._at_dots() else self._value(required=True)
        self.skip()
        dots = self.pos
        if not self.take(".."):
            return RawTerm(start, op, case, low, None, is_range=False)
        if self.text.startswith(".", self.pos):  # 1000...2000 would be 1000 to .2000
            raise SyntaxProblem(
                "three dots: a range is written with two (1000..2000); "
                "quote a value that holds dots ('a...')",
                dots,
            )
        if op is not None:
            raise SyntaxProblem(f"a range cannot be combined with '{op}'", dots)
        high_case = self._at()
        high = self._value(required=low is None or high_case is not None)
        if self._at_dots():
            message = "a range has one '..': join several ranges with | (1..5|10..20)"
            raise SyntaxProblem(message, self.pos)
        return RawTerm(start, None, high_case if case is None else case, low, high, is_range=True)

    def _at(self) -> int | None:
        self.skip()
        return self.pos - 1 if self.take("@") else None

    def _at_dots(self) -> bool:
        self.skip()
        return self.text.startswith("..", self.pos)

    def _operator(self) -> str | None:
        return next((op for op in OPERATORS if self.take(op)), None)

    def _value(self, *, required: bool) -> RawValue | None:
        self.skip()
        segments: list[Segment] = []
        while self.pos < len(self.text) and not self._at_stop():
            quoted = self.text[self.pos] == "'"
            segments.append(self._quoted() if quoted else self._plain())
        if segments and not segments[-1].quoted:
            last = segments.pop()
            if last.text.rstrip():
                segments.append(Segment(last.text.rstrip(), False, last.start))
        if not segments:
            if required:
                raise SyntaxProblem("a value is missing", self.pos)
            return None
        _refuse_joined_blank(segments)
        self.values += 1
        if self.values > MAX_VALUES:
            raise SyntaxProblem(
                f"more than {MAX_VALUES} values in one filter, more than a database takes in "
                "one statement; split the list over several criteria steps",
                segments[0].start,
            )
        return RawValue(tuple(segments))

    def _at_stop(self) -> bool:
        return self.text[self.pos] in "|&)" or self.text.startswith("..", self.pos)

    def _plain(self) -> Segment:
        start = self.pos
        while self.pos < len(self.text) and not self._at_stop():
            char = self.text[self.pos]
            if char == "'":
                break
            if char in "(<>=":
                raise SyntaxProblem(f"{char!r} inside a value must be quoted", self.pos)
            self.pos += 1
        return Segment(self.text[start : self.pos], False, start)

    def _quoted(self) -> Segment:
        start = self.pos
        self.pos += 1
        pieces: list[str] = []
        while True:
            end = self.text.find("'", self.pos)
            if end < 0:
                raise SyntaxProblem("the quote is never closed", start)
            pieces.append(self.text[self.pos : end])
            if not self.text.startswith("''", end):
                self.pos = end + 1
                return Segment("".join(pieces), True, start)
            pieces.append("'")
            self.pos = end + 2


def _refuse_joined_blank(segments: list[Segment]) -> None:
    """``''`` glued to other text is almost always a mistyped quote (O''Brien): refuse it."""
    for segment in segments:
        if len(segments) > 1 and segment.quoted and not segment.text:
            raise SyntaxProblem(
                "stray quotes: quote the whole value and double a quote inside it ('O''Brien')",
                segment.start,
            )


def _refuse_unusable_characters(expression: str) -> None:
    """NUL cannot reach PostgreSQL and a lone surrogate cannot be encoded for any database."""
    found = _UNUSABLE.search(expression)
    if found is None:
        return
    char = found.group()
    reason = (
        "the NUL character cannot be used in a filter"
        if char == "\x00"
        else f"character U+{ord(char):04X} is not valid Unicode (a lone surrogate, as left by "
        "bytes read in the wrong encoding)"
    )
    raise SyntaxProblem(reason, found.start())
