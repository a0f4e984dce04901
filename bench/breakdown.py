"""Where a use case's time goes: every statement it runs, timed, and on PostgreSQL explained.

``Recorder`` listens on an engine's cursor events while a use case runs: each statement's SQL,
wall time and row count. On PostgreSQL the same transaction also loads ``auto_explain`` with
``log_analyze``, ``log_buffers``, ``log_wal`` and ``log_triggers``, at NOTICE level, so every
statement's ``EXPLAIN (ANALYZE, BUFFERS, WAL)`` plan (JSON) comes back to this client as a notice
and is attached to its statement: the time of the selection (the plan under the write), of the
write itself with its index maintenance, and of each trigger — on PostgreSQL every foreign key
is a per-row trigger, and shows up here by constraint name with its time and calls. On SQLite the
statement timings are the breakdown; ``ablate`` splits a write statement further on either
engine by running it again, in a transaction rolled back, into copies of its target table
without foreign keys and without indexes.

Explaining costs time (each plan node is timed per row), so a recorded run is a separate run
and never one of the timed ones.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Engine, Index, MetaData, Table, event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

_AUTO_EXPLAIN = (
    "LOAD 'auto_explain'",
    "SET LOCAL auto_explain.log_min_duration = 0",
    "SET LOCAL auto_explain.log_analyze = on",
    "SET LOCAL auto_explain.log_buffers = on",
    "SET LOCAL auto_explain.log_wal = on",
    "SET LOCAL auto_explain.log_triggers = on",
    "SET LOCAL auto_explain.log_format = json",
    "SET LOCAL auto_explain.log_level = notice",
)


@dataclass
class Statement:
    """One statement of a recorded use case."""

    sql: str
    parameters: Any
    seconds: float
    rows: int
    plan: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        """The statement's first words and its target, on one line."""
        flat = " ".join(self.sql.split())
        return flat[:72] + ("…" if len(flat) > 72 else "")

    def parts(self) -> dict[str, float]:
        """Seconds by part: selection, write (with index maintenance), each trigger (PG only)."""
        if self.plan is None:
            return {}
        top = self.plan["Plan"]
        total = top["Actual Total Time"] / 1000
        parts: dict[str, float] = {}
        if top["Node Type"] == "ModifyTable":
            children = top.get("Plans", [])
            # A WITH's data-modifying statement (DELETE … RETURNING) runs as the rows it
            # returns are read: its time is also inside the source's, so it is shown apart.
            ctes = [p for p in children if p.get("Parent Relationship") == "InitPlan"]
            source = sum(p["Actual Total Time"] for p in children if p not in ctes) / 1000
            for cte in ctes:
                operation = (cte.get("Operation") or cte["Node Type"]).lower()
                parts[f"{operation} in WITH (within the selection)"] = (
                    cte["Actual Total Time"] / 1000)
            parts["selection"] = source
            parts[f"{top['Operation'].lower()} + indexes"] = total - source
        else:
            parts["query"] = total
        for trigger in self.plan.get("Triggers", []):
            name = trigger.get("Constraint Name") or trigger["Trigger Name"]
            parts[f"trigger {name} ({trigger['Calls']} calls)"] = trigger["Time"] / 1000
        wal = top.get("WAL Bytes")
        if wal:
            parts[f"WAL {wal / 1e6:.1f} MB"] = 0.0
        return parts


@dataclass
class Recording:
    statements: list[Statement] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.statements)

    def lines(self, *, top: int = 8) -> list[str]:
        """The breakdown as printable lines: the costliest statements with their parts."""
        ranked = sorted(self.statements, key=lambda s: s.seconds, reverse=True)
        out = []
        for s in ranked[:top]:
            out.append(f"      {s.seconds:7.3f} s {s.rows:>9,} rows  {s.label}")
            for name, seconds in s.parts().items():
                out.append(f"              {seconds:7.3f} s  {name}" if seconds else
                           f"                         {name}")
        rest = ranked[top:]
        if rest:
            out.append(f"      {sum(s.seconds for s in rest):7.3f} s  {len(rest)} other "
                       "statement(s)")
        return out


class Recorder:
    """Records the statements of use cases run on ``engine`` (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self._active: Recording | None = None
        self._started = 0.0
        self._notices: list[str] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                executemany: bool) -> None:
        self._started = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        if self._active is None:
            return
        seconds = time.perf_counter() - self._started
        rows = cursor.rowcount if cursor.rowcount is not None else -1
        self._active.statements.append(Statement(statement, parameters, seconds, rows))

    @contextmanager
    def recording(self, session: Session) -> Iterator[Recording]:
        """Record what runs in ``session``'s transaction from here to the end of the block."""
        recording = Recording()
        handler = None
        raw = None
        if self.postgres:
            conn = session.connection()
            for statement in _AUTO_EXPLAIN:
                conn.exec_driver_sql(statement)
            raw = conn.connection.driver_connection
            assert raw is not None

            def handler(diagnostic: Any) -> None:
                message = diagnostic.message_primary or ""
                if "plan:" in message:
                    self._notices.append(message)

            raw.add_notice_handler(handler)
        self._active = recording
        try:
            yield recording
        finally:
            self._active = None
            _attach(recording.statements, self._notices)
            self._notices.clear()
            if raw is not None and handler is not None:
                raw.remove_notice_handler(handler)


_PLACEHOLDER = re.compile(r"%\([^)]*\)s|%s|\$\d+|\?")


def _shape(sql: str) -> str:
    """A statement's text without its parameter placeholders, for matching it to its plan."""
    return " ".join(_PLACEHOLDER.sub("", sql).split())[:300]


def _attach(statements: list[Statement], notices: list[str]) -> None:
    """Give each statement its plan. A SELECT's plan arrives when its portal closes, which can
    be during the next statement, so plans are matched by their query text, in order."""
    plans = [p for p in (_plan(n) for n in notices) if p is not None]
    free = list(statements)
    for plan in plans:
        shape = _shape(str(plan.get("Query Text", "")))
        for statement in free:
            if _shape(statement.sql) == shape:
                statement.plan = plan
                free.remove(statement)
                break


def _plan(message: str) -> dict[str, Any] | None:
    _, _, body = message.partition("plan:")
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) and "Plan" in parsed else None


_INSERT_INTO = re.compile(r"^\s*INSERT INTO (\w+)", re.IGNORECASE)


def ablate(factory: sessionmaker[Session], statement: Statement, target: Table,
           repeat: int = 1) -> dict[str, float]:
    """Seconds of an ``INSERT INTO target …`` statement into ``target`` itself, into a copy
    with its indexes but no foreign keys, and into a copy with neither (best of ``repeat``,
    each in a transaction that is rolled back)."""
    match = _INSERT_INTO.match(statement.sql)
    if match is None or match.group(1) != target.name:
        return {}
    copies = {"as is": target.name, "no foreign keys": f"abl_{target.name}_idx",
              "no foreign keys, no indexes": f"abl_{target.name}_bare"}
    engine = factory.kw["bind"]
    _copy(engine, target, copies["no foreign keys"], indexes=True)
    _copy(engine, target, copies["no foreign keys, no indexes"], indexes=False)
    times: dict[str, float] = {}
    try:
        for label, name in copies.items():
            sql = _INSERT_INTO.sub(f"INSERT INTO {name}", statement.sql, count=1)
            best = float("inf")
            for _ in range(repeat):
                with factory() as session:
                    conn = session.connection()
                    started = time.perf_counter()
                    try:
                        conn.exec_driver_sql(sql, statement.parameters)
                    except IntegrityError:  # refers to rows the use case wrote (rolled back)
                        break
                    best = min(best, time.perf_counter() - started)
                    session.rollback()
            if best < float("inf"):
                times[label] = best
    finally:
        with engine.begin() as conn:
            for name in list(copies.values())[1:]:
                conn.execute(text(f"DROP TABLE IF EXISTS {name}"))  # names made here
    return times


def _copy(engine: Engine, target: Table, name: str, *, indexes: bool) -> None:
    """A table like ``target`` (columns, defaults, primary key), without foreign keys; with
    ``indexes`` also its secondary indexes; without, not even the primary key."""
    meta = MetaData()
    columns = [Column(c.name, c.type, nullable=c.nullable if indexes else True,
                      server_default=None if c.server_default is None
                      else c.server_default.arg,  # type: ignore[attr-defined]
                      primary_key=indexes and c.primary_key) for c in target.columns]
    copy = Table(name, meta, *columns)
    if indexes:
        for index in target.indexes:
            Index(f"abl_{index.name}", *[copy.c[c.name] for c in index.columns])
    copy.drop(engine, checkfirst=True)
    copy.create(engine)
