"""REST API throughput and latency: rapport's API served by one uvicorn worker, against a bare
FastAPI app running the same SQL, each loaded over loopback by a generator in its own process.

    python -m bench.bench_api [--contacts 1000000] [--lines 300000] [--connections 8]
                              [--seconds 10] [--warmup 2] [--rounds 2]

A SQLite base of ``--contacts`` generated contacts (``rapport.services.demo``, set-based) gets a
segment of the first ``--lines`` contacts (Add Contacts by contact no.), a marketer account and
a personal token. Two servers run side by side on loopback, each one uvicorn worker with
uvicorn's defaults (uvloop, httptools, access log):

* **rapport** — ``rapport serve`` on that database: routing, one reading use case that checks
  the Bearer token and the role and runs the service verb, the response model;
* **bare** — ``bare_app()`` below, served by ``uvicorn --factory``: a FastAPI app whose two
  endpoints run, on a thread's own ``sqlite3`` connection with rapport's pragmas, in one
  read-only transaction, the very statements rapport's service ran for the same request
  (captured from the engine while the service answered it once, in this run), and answer
  their rows as JSON.

Measured, each against both servers: (a) ``GET /api/v1/segments/{no}/lines?limit=50&after=K``
with K a line half-way down the segment (a keyset page deep inside), and (b) ``POST
/api/v1/segments/{no}/preview`` with Add criteria (mailing group NEWS in one post code).
``bench.load`` holds ``--connections`` keep-alive connections for ``--warmup`` + ``--seconds``
and reports requests/s and the p50/p99 latency of the requests started after the warm-up. Each
round measures every pair in turn; the best round (most requests/s) of each pair is summarised.
Ratios: bare requests/s ÷ rapport's, and rapport's p50/p99 ÷ the bare ones. Each statement of
the bare answers is also timed alone (one connection, no server). Targets for (a):
≥ 400 requests/s, p99 < 50 ms, ratio ≤ 1.5. The load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import event, text

from bench.common import machine_load, sqlite_rapport
from rapport.domain.enums import CriteriaAction
from rapport.services.context import Ctx
from rapport.services.criteria import ActionOptions, add_contacts, filter_texts
from rapport.services.criteria import preview as preview_count
from rapport.services.demo import generate
from rapport.services.segments import SegmentInput, create_segment, line_page
from rapport.services.users import AccountInput, create_user, issue_token
from rapport.wiring import Rapport

USER = "BENCH"
LIMIT = 50
ROOT = Path(__file__).resolve().parents[1]
#: The environment variable that tells ``bare_app`` where its spec (database, statements) is.
SPEC_ENV = "RAPPORT_BENCH_BARE_SPEC"
#: rapport's SQLite connection pragmas (rapport.db.engine), for the bare app's connections.
PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=30000", "PRAGMA journal_mode=WAL",
           "PRAGMA synchronous=NORMAL", "PRAGMA temp_store=MEMORY")
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA QUERY_ONLY")
#: The column of the segment header that holds the page's total.
TOTAL = "no_of_lines"
Statement = tuple[str, list[Any]]


@dataclass(frozen=True)
class Base:
    """The generated database: the segment, a line half-way down it, the token, the preview."""

    segment_no: str
    after: int
    token: str
    preview: dict[str, Any]


def build(rapport: Rapport, contacts: int, lines: int) -> Base:
    """Generate the contacts, the segment of the first ``lines`` of them and the account."""
    generate(rapport.factory, contacts, user_id=USER)
    with rapport.engine.connect() as conn:
        last = conn.execute(text("SELECT no FROM contact ORDER BY no LIMIT 1 OFFSET :n"),
                            {"n": lines - 1}).scalar_one()
        post_code = conn.execute(text("SELECT post_code FROM contact ORDER BY no LIMIT 1 "
                                      "OFFSET :n"), {"n": contacts // 2}).scalar_one()
    with rapport.use_case(user_id=USER) as ctx:
        create_user(ctx, AccountInput(user_id=USER, role="marketer"))
        token = issue_token(ctx, USER, name="bench", days=1).token
        no = create_segment(ctx, SegmentInput(description="Bench")).no
        add_contacts(ctx, no, filter_texts([f"Contact.no=..{last}"]), ignore_exclusion=True)
    with rapport.engine.connect() as conn:
        after = conn.execute(text("SELECT line_no FROM segment_line WHERE segment_no = :no "
                                  "ORDER BY line_no LIMIT 1 OFFSET :n"),
                             {"no": no, "n": lines // 2}).scalar_one()
    preview = {"action": "add", "filters": [
        {"section": "Mailing Group", "field": "mailing_group_code", "expression": "NEWS"},
        {"section": "Contact", "field": "post_code", "expression": post_code}]}
    return Base(no, int(after), token, preview)


def captured(rapport: Rapport, action: Callable[[Ctx], object]) -> list[Statement]:
    """The statements (with their parameters) a reading use case running ``action`` sends to
    the database, without the transaction's own (BEGIN, COMMIT, query_only)."""
    seen: list[Statement] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               _many: bool) -> None:
        seen.append((statement, list(parameters)))

    event.listen(rapport.engine, "before_cursor_execute", record)
    try:
        with rapport.use_case(user_id=USER, readonly=True) as ctx:
            action(ctx)
    finally:
        event.remove(rapport.engine, "before_cursor_execute", record)
    return [(s, p) for s, p in seen if not s.lstrip().upper().startswith(TRANSACTION)]


def spec(rapport: Rapport, base: Base, database: Path) -> dict[str, Any]:
    """What the bare app runs: the statements of a line page and of the preview, with the
    request's values (segment no., after, limit) marked as arguments."""
    page = captured(rapport, lambda ctx: line_page(ctx, base.segment_no, after=base.after,
                                                   limit=LIMIT))
    filters = filter_texts([f"{f['section']}.{f['field']}={f['expression']}"
                            for f in base.preview["filters"]])
    count = captured(rapport, lambda ctx: preview_count(ctx, base.segment_no, CriteriaAction.ADD,
                                                        filters, ActionOptions()))
    arguments = {"no": base.segment_no, "after": base.after, "limit": LIMIT}

    def marked(statements: list[Statement]) -> list[dict[str, Any]]:
        out = []
        for sql, params in statements:
            marks = []
            for value in params:
                name = next((k for k, v in arguments.items()
                             if type(v) is type(value) and v == value), None)
                marks.append({"arg": name} if name else {"value": value})
            out.append({"sql": sql, "params": marks})
        return out

    pages = [i for i, (sql, _) in enumerate(page) if " LIMIT " in sql.upper()]
    # The page's total: the segment's number of lines, read with its header (migration 0010).
    totals = [i for i, (sql, _) in enumerate(page) if TOTAL in sql and i not in pages]
    if len(pages) != 1 or len(totals) != 1 or "count(" not in count[-1][0].lower():
        raise RuntimeError(f"unexpected statements: {page!r} {count!r}")
    return {"database": str(database), "lines": marked(page), "page": pages[0],
            "total": totals[0], "preview": marked(count)}


def bare_app() -> FastAPI:
    """The bare baseline: the same SQL as rapport's two endpoints, nothing else."""
    config = json.loads(Path(os.environ[SPEC_ENV]).read_text())
    local = threading.local()

    def run(statements: list[dict[str, Any]], values: dict[str, Any]
            ) -> list[tuple[list[str], list[Any]]]:
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(config["database"], isolation_level=None,
                                   check_same_thread=False)
            for pragma in PRAGMAS:
                conn.execute(pragma)
            local.conn = conn
        conn.execute("PRAGMA query_only=1")
        conn.execute("BEGIN")
        try:
            results = []
            for s in statements:
                params = [values[p["arg"]] if "arg" in p else p["value"] for p in s["params"]]
                cursor = conn.execute(s["sql"], params)
                results.append(([d[0] for d in cursor.description or ()], cursor.fetchall()))
            return results
        finally:
            conn.execute("COMMIT")

    app = FastAPI()

    @app.get("/health")
    def health() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/api/v1/segments/{no}/lines")
    def lines(no: str, after: int, limit: int = LIMIT) -> JSONResponse:
        results = run(config["lines"], {"no": no, "after": after, "limit": limit})
        columns, rows = results[config["page"]]
        items = [dict(zip(columns, row, strict=True)) for row in rows]
        names, header = results[config["total"]]
        total = header[0][next(i for i, n in enumerate(names) if n.endswith(TOTAL))]
        return JSONResponse({"items": items, "total": total, "limit": limit,
                             "next_after": str(items[-1]["line_no"]) if items else None})

    @app.post("/api/v1/segments/{no}/preview")
    def preview(no: str, body: dict[str, Any] = Body()) -> JSONResponse:
        results = run(config["preview"], {"no": no})
        return JSONResponse({"action": body.get("action", "add"), "count": results[-1][1][0][0]})

    return app


def sql_alone(config: dict[str, Any], base: Base, repeat: int = 20) -> str:
    """Each statement of the bare app's two answers timed alone (best of ``repeat``, one
    connection, no server), so that the SQL's share of a request is visible."""
    conn = sqlite3.connect(config["database"], isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(pragma)
        values = {"no": base.segment_no, "after": base.after, "limit": LIMIT}
        parts = []
        for name in ("lines", "preview"):
            times = []
            for s in config[name]:
                params = [values[p["arg"]] if "arg" in p else p["value"] for p in s["params"]]
                best = float("inf")
                for _ in range(repeat):
                    started = time.perf_counter()
                    conn.execute(s["sql"], params).fetchall()
                    best = min(best, time.perf_counter() - started)
                times.append(f"{best * 1000:.2f}")
            parts.append(f"{name} {' + '.join(times)} ms")
        return "; ".join(parts)
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server(name: str, command: list[str], env: dict[str, str], port: int, log: Path
           ) -> Iterator[int]:
    """A server process listening on ``port`` once /health answers; stopped afterwards."""
    with log.open("wb") as errors:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=errors)
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} server exited: {log.read_text()[-3000:]}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5):
                        break
                except (urllib.error.URLError, ConnectionError):
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{name} server did not start") from None
                    time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def call(port: int, path: str, token: str, body: dict[str, Any] | None = None) -> Any:
    """One request (to check answers before loading); its JSON."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method="GET" if body is None else "POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.loads(answer.read())


def load(port: int, path: str, token: str, body: dict[str, Any] | None,
         args: argparse.Namespace) -> dict[str, Any]:
    """Run ``bench.load`` in its own process against ``port``; its figures."""
    command = [sys.executable, "-m", "bench.load", "--port", str(port), "--path", path,
               "--header", f"Authorization: Bearer {token}",
               "--connections", str(args.connections), "--seconds", str(args.seconds),
               "--warmup", str(args.warmup)]
    if body is not None:
        command += ["--method", "POST", "--body", json.dumps(body)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if set(figures["statuses"]) != {"200"}:
        raise RuntimeError(f"{path}: answers other than 200: {figures['statuses']}")
    return figures


def load_average() -> float:
    return os.getloadavg()[0]


def line(what: str, server_name: str, f: dict[str, Any], load: float) -> None:
    print(f"{what:<22} | {server_name:<7} | {f['requests']:>6} | {f['per_second']:8.1f} | "
          f"{f['p50_ms']:7.1f} | {f['p99_ms']:7.1f} | {f['max_ms']:7.1f} | {load:5.2f}",
          flush=True)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main(argv: list[str] | None = None) -> None:
    """Build the base, start both servers, load each endpoint of each, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"# python -m bench.bench_api --contacts {args.contacts} --lines {args.lines} "
          f"--connections {args.connections} --seconds {args.seconds:g} --warmup "
          f"{args.warmup:g} --rounds {args.rounds}", flush=True)
    print(f"# before building: {machine_load()}", flush=True)
    with sqlite_rapport("api") as rapport, ExitStack() as stack:
        base = build(rapport, args.contacts, args.lines)
        database = Path(rapport.engine.url.database or "")
        folder = database.parent
        config = spec(rapport, base, database)
        (folder / "bare.json").write_text(json.dumps(config))
        print(f"# SQL alone, each statement best of 20 (lines: segment header with its number "
              f"of lines + page; "
              f"preview: segment header + count): {sql_alone(config, base)}", flush=True)
        rapport.engine.dispose()
        env = {**os.environ, "RAPPORT_DATABASE_URL": f"sqlite:///{database}",
               SPEC_ENV: str(folder / "bare.json")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        script = Path(sys.executable).with_name("rapport")
        ports = {"rapport": free_port(), "bare": free_port()}
        stack.enter_context(server(
            "rapport", [str(script), "serve", "--host", "127.0.0.1", "--port",
                        str(ports["rapport"])], env, ports["rapport"], folder / "rapport.log"))
        stack.enter_context(server(
            "bare", [sys.executable, "-m", "uvicorn", "--factory", "bench.bench_api:bare_app",
                     "--host", "127.0.0.1", "--port", str(ports["bare"])],
            env, ports["bare"], folder / "bare.log"))
        page_path = f"/api/v1/segments/{base.segment_no}/lines?limit={LIMIT}&after={base.after}"
        preview_path = f"/api/v1/segments/{base.segment_no}/preview"
        checks = {name: (call(port, page_path, base.token),
                         call(port, preview_path, base.token, base.preview))
                  for name, port in ports.items()}
        (page, count), (bare_page, bare_count) = checks["rapport"], checks["bare"]
        keys = [item["line_no"] for item in page["items"]]
        if (keys != [item["line_no"] for item in bare_page["items"]]
                or page["total"] != bare_page["total"] or count != bare_count
                or len(keys) != LIMIT):
            raise RuntimeError(f"rapport and the bare app disagree: {checks!r}"[:3000])
        print(f"# segment {base.segment_no}: {page['total']:,} lines; page after line "
              f"{base.after} (lines {keys[0]}…{keys[-1]}); preview "
              f"{json.dumps(base.preview['filters'])}: {count['count']:,} contacts", flush=True)
        print(f"# {args.connections} keep-alive connections, {args.warmup:g} s warm-up + "
              f"{args.seconds:g} s counted, one uvicorn worker per server, loopback", flush=True)
        print("endpoint               | server  | requests | req/s | p50 ms | p99 ms | max ms "
              "| load 1 min", flush=True)
        wanted = {"(a) page deep inside": (page_path, None),
                  "(b) criteria preview": (preview_path, base.preview)}
        best: dict[tuple[str, str], dict[str, Any]] = {}
        for _ in range(args.rounds):
            for what, (path, body) in wanted.items():
                for name, port in ports.items():
                    figures = load(port, path, base.token, body, args)
                    figures["load"] = load_average()
                    line(what, name, figures, figures["load"])
                    kept = best.get((what, name))
                    if kept is None or figures["per_second"] > kept["per_second"]:
                        best[(what, name)] = figures
    print("# best round of each (ratio = bare req/s ÷ rapport req/s; latency ratios "
          "rapport ÷ bare):", flush=True)
    for what in wanted:
        ours, bare = best[(what, "rapport")], best[(what, "bare")]
        print(f"{what}: rapport {ours['per_second']:.1f} req/s, p50 {ours['p50_ms']:.1f} ms, "
              f"p99 {ours['p99_ms']:.1f} ms | bare {bare['per_second']:.1f} req/s, p50 "
              f"{bare['p50_ms']:.1f} ms, p99 {bare['p99_ms']:.1f} ms | ratio "
              f"{bare['per_second'] / ours['per_second']:.2f} (p50 "
              f"{ours['p50_ms'] / bare['p50_ms']:.2f}, p99 "
              f"{ours['p99_ms'] / bare['p99_ms']:.2f})", flush=True)
    ours, bare = best[("(a) page deep inside", "rapport")], best[("(a) page deep inside", "bare")]
    ratio = bare["per_second"] / ours["per_second"]
    print(f"# targets (a): >= 400 req/s {verdict(ours['per_second'] >= 400)}; p99 < 50 ms "
          f"{verdict(ours['p99_ms'] < 50)}; ratio <= 1.5 {verdict(ratio <= 1.5)}", flush=True)
    print(f"# after: {machine_load()}", flush=True)


if __name__ == "__main__":
    main()
