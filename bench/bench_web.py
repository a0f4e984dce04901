"""Server time of the web pages on a large SQLite base: the Segment page of a 300,000-line
segment and the contact list of 1,000,000 contacts (first page, a page deep inside, searches).

    python -m bench.bench_web [--contacts 1000000] [--lines 300000] [--repeat 5]

Each page is requested through the whole application in process (routing, session and CSRF
middlewares, sign-in check, the service verb, the template) and timed best of ``repeat``; the
baseline is the bare SQL the same page needs, written by hand and run on the same database in
the same run, in one connection and transaction: the sign-in check's token lookup, then the
segment's header with its figures, criteria steps, default subject and first 50 lines with
their data and contacts; or one keyset page of 50 contacts plus the count; or a search's page
and count (narrowed by the trigram table, decided by the four LIKEs; 1–2 characters: key
ranges). The first row, a page without a query of its own, is the fixed cost of any page. The
ratio is page time / bare SQL time (target ≤ 2, and a page under 300 ms).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from bench.common import sqlite_rapport
from rapport.api.app import create_app
from rapport.db.engine import READONLY
from rapport.domain.criteria import FilterText
from rapport.services.contacts._search import fts_query
from rapport.services.criteria import add_contacts
from rapport.services.demo import generate
from rapport.services.segments import SegmentInput, create_segment
from rapport.services.users import AccountInput, create_user
from rapport.wiring import Rapport

USER = "BENCH"
PASSWORD = "bench-password-1"
#: The sign-in check every page makes: the session's token and its account.
TOKEN_SQL = text("SELECT t.id, t.expires_at, t.revoked_at, t.last_used_at, u.role, u.active "
                 "FROM api_token t JOIN app_user u ON u.user_id = t.user_id "
                 "WHERE t.token_hash = :hash")
#: The Segment page: the header with its figures (lines, the lines with data of their own and
#: the sums of that data), the criteria steps, the default subject, the first 50 lines with
#: their data and contacts.
HEADER_SQL = text(
    "SELECT h.*, f.n, f.own, f.cost, f.duration FROM segment_header h LEFT JOIN "
    "(SELECT l.segment_no, count(*) AS n, count(d.line_no) AS own, sum(d.cost) AS cost, "
    "sum(d.duration) AS duration FROM segment_line l LEFT JOIN segment_line_data d "
    "ON d.segment_no = l.segment_no AND d.line_no = l.line_no WHERE l.segment_no = :no "
    "GROUP BY l.segment_no) f ON f.segment_no = h.no WHERE h.no = :no")
CRITERIA_SQL = text("SELECT * FROM segment_criteria_line WHERE segment_no = :no "
                    "ORDER BY line_no")
SUBJECT_SQL = text("SELECT subject FROM segment_interaction_language WHERE segment_no = :no "
                   "AND segment_line_no = 0 AND language_code = :language")
LINES_SQL = text(
    "SELECT l.*, d.*, c.name, c.company_name FROM segment_line l "
    "LEFT JOIN segment_line_data d ON d.segment_no = l.segment_no AND d.line_no = l.line_no "
    "LEFT JOIN contact c ON c.no = l.contact_no WHERE l.segment_no = :no "
    "ORDER BY l.line_no LIMIT 50")
ROW = text("no, type, name, company_no, company_name, city, salesperson_code, email, "
           "correspondence_type")
CONTACT = text("contact")
CONTACTS_SQL = select(ROW).select_from(CONTACT).where(text("no > :after")).order_by(
    text("no")).limit(50)
COUNT_SQL = text("SELECT count(*) FROM contact")
#: A search of 3 characters or more: the trigram table narrows, the four LIKEs decide.
FOUND = text("rowid IN (SELECT rowid FROM contact_search WHERE contact_search MATCH :fts) AND "
             "(search_name LIKE :upper ESCAPE '/' OR no LIKE :upper ESCAPE '/' OR "
             "lower(email) LIKE :lower ESCAPE '/' OR lower(city) LIKE :lower ESCAPE '/')")
#: A search of 1 or 2 characters: key ranges on the search name, number and e-mail indexes.
STARTS = text("(search_name >= :upper AND search_name < :upper_end) OR (no >= :upper AND "
              "no < :upper_end) OR (email <> '' AND lower(email) >= :lower AND "
              "lower(email) < :lower_end)")
SEARCH_SQL, PREFIX_SQL = (select(ROW).select_from(CONTACT).where(w).order_by(text("no"))
                          .limit(50) for w in (FOUND, STARTS))
SEARCH_COUNT_SQL, PREFIX_COUNT_SQL = (select(func.count()).select_from(CONTACT).where(w)
                                      for w in (FOUND, STARTS))
Statement = tuple[Any, dict[str, object]]


def best(repeat: int, action: Callable[[], object]) -> float:
    """The best wall-clock seconds of ``repeat`` runs (after one warm-up run)."""
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def build(rapport: Rapport, contacts: int, lines: int) -> tuple[str, str]:
    """Generate the contacts and a segment of ``lines`` of them; the segment no. and a contact
    no. deep inside the list."""
    generate(rapport.factory, contacts, user_id=USER)
    with rapport.engine.connect() as conn:
        last = conn.execute(text("SELECT no FROM contact ORDER BY no LIMIT 1 OFFSET :n"),
                            {"n": lines - 1}).scalar_one()
        deep = conn.execute(text("SELECT no FROM contact ORDER BY no LIMIT 1 OFFSET :n"),
                            {"n": contacts // 2}).scalar_one()
    with rapport.use_case(user_id=USER) as ctx:
        create_user(ctx, AccountInput(user_id=USER, role="marketer", password=PASSWORD))
        no = create_segment(ctx, SegmentInput(description="Bench")).no
        add_contacts(ctx, no, [FilterText("Contact", "no", f"..{last}")], ignore_exclusion=True)
    return no, deep


def client(rapport: Rapport) -> TestClient:
    web = TestClient(create_app(rapport=rapport))
    web.get("/sign-in")
    answer = web.post("/sign-in", data={"user_id": USER, "password": PASSWORD,
                                        "csrftoken": web.cookies.get("csrftoken")},
                      follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return web


def report(name: str, rows: int, page: float, bare: float) -> None:
    print(f"{name:<34} | sqlite | {rows:>9,} | page {page * 1000:7.1f} ms | "
          f"bare SQL {bare * 1000:7.1f} ms | ratio {page / bare:5.2f}", flush=True)


def search_params(term: str) -> dict[str, object]:
    """The bare search statements' parameters for ``term``."""
    upper, lower = term.upper(), term.lower()
    if len(term) >= 3:
        return {"fts": fts_query(upper, lower), "upper": f"%{upper}%", "lower": f"%{lower}%"}
    return {"upper": upper, "upper_end": upper[:-1] + chr(ord(upper[-1]) + 1),
            "lower": lower, "lower_end": lower[:-1] + chr(ord(lower[-1]) + 1)}


def pages(rapport: Rapport, no: str, deep: str) -> list[tuple[str, str, list[Statement]]]:
    """Each page measured: its name, its path and the bare statements it needs."""
    with rapport.engine.connect() as conn:
        token = conn.execute(text("SELECT token_hash FROM api_token ORDER BY id DESC LIMIT 1")
                             ).scalar_one()
        language = conn.execute(text("SELECT language_code_default FROM segment_header "
                                     "WHERE no = :no"), {"no": no}).scalar_one()
    signed_in: Statement = (TOKEN_SQL, {"hash": token})
    segment: dict[str, object] = {"no": no}
    found = [(name, f"/contacts?search={term}", [signed_in, (sql, search_params(term)),
                                                (count, search_params(term))])
             for name, term, sql, count in (
                 ("contact list, search 'AB' (start)", "AB", PREFIX_SQL, PREFIX_COUNT_SQL),
                 ("contact list, search 'mikkelsen'", "mikkelsen", SEARCH_SQL, SEARCH_COUNT_SQL),
                 ("contact list, search 'logistics'", "logistics", SEARCH_SQL, SEARCH_COUNT_SQL))]
    return [
        ("a page without a query (new segment)", "/segments/new", [signed_in]),
        ("Segment page (first 50 lines)", f"/segments/{no}",
         [signed_in, (HEADER_SQL, segment), (CRITERIA_SQL, segment),
          (SUBJECT_SQL, {"no": no, "language": language}), (LINES_SQL, segment)]),
        ("contact list, first page", "/contacts",
         [signed_in, (CONTACTS_SQL, {"after": ""}), (COUNT_SQL, {})]),
        ("contact list, page deep inside", f"/contacts?after={deep}",
         [signed_in, (CONTACTS_SQL, {"after": deep}), (COUNT_SQL, {})]),
        *found,
    ]


def main(argv: list[str] | None = None) -> None:
    """Build the base, then time each page against its bare SQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"# python -m bench.bench_web --contacts {args.contacts} --lines {args.lines} "
          f"--repeat {args.repeat}", flush=True)
    with sqlite_rapport("web") as rapport:
        no, deep = build(rapport, args.contacts, args.lines)
        web = client(rapport)
        with rapport.engine.connect() as conn:
            rows = {"segment": conn.execute(text("SELECT count(*) FROM segment_line")
                                            ).scalar_one(), "contact": args.contacts}

        def ok(path: str) -> Callable[[], object]:
            def get() -> object:
                answer = web.get(path)
                assert answer.status_code == 200, answer.text[-1500:]
                return answer
            return get

        def bare(statements: list[Statement]) -> Callable[[], object]:
            def run() -> object:  # one read-only transaction, as the page has
                with rapport.engine.connect().execution_options(**{READONLY: True}) as conn:
                    return [conn.execute(s, p).all() for s, p in statements]
            return run

        for name, path, statements in pages(rapport, no, deep):
            count = rows["segment"] if path.startswith("/segments/S") else rows["contact"]
            report(name, count, best(args.repeat, ok(path)),
                   best(args.repeat, bare(statements)))


if __name__ == "__main__":
    main()
