"""Server time of the web pages on a large SQLite base: the Segment page of a 300,000-line
segment and the contact list of 1,000,000 contacts (first page, a page deep inside, a search).

    python -m bench.bench_web [--contacts 1000000] [--lines 300000] [--repeat 5]

Each page is requested through the whole application in process (routing, session and CSRF
middlewares, sign-in check, the service verb, the template) and timed best of ``repeat``; the
baseline is the bare SQL the same page needs, run on the same database in the same run: the
segment's line count and sums plus its first 50 lines joined to their contacts, or one keyset
page of 50 contacts plus the count. The ratio is page time / bare SQL time (target ≤ 2, and a
page under 300 ms).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import text

from bench.common import sqlite_rapport
from rapport.api.app import create_app
from rapport.domain.criteria import FilterText
from rapport.services.criteria import add_contacts
from rapport.services.demo import generate
from rapport.services.segments import SegmentInput, create_segment
from rapport.services.users import AccountInput, create_user
from rapport.wiring import Rapport

USER = "BENCH"
PASSWORD = "bench-password-1"
SEGMENT_SQL = text(
    "SELECT count(*), coalesce(sum(d.cost), 0), coalesce(sum(d.duration), 0) "
    "FROM segment_line l LEFT JOIN segment_line_data d "
    "ON d.segment_no = l.segment_no AND d.line_no = l.line_no WHERE l.segment_no = :no")
LINES_SQL = text(
    "SELECT l.*, c.name, c.company_name FROM segment_line l "
    "LEFT JOIN contact c ON c.no = l.contact_no WHERE l.segment_no = :no "
    "ORDER BY l.line_no LIMIT 50")
CONTACTS_SQL = text("SELECT no, type, name, company_no, company_name, city, salesperson_code, "
                    "email, correspondence_type FROM contact WHERE no > :after "
                    "ORDER BY no LIMIT 50")
COUNT_SQL = text("SELECT count(*) FROM contact")
#: The page's search: part of the search name, the number, the e-mail or the city.
SEARCH_SQL = text("SELECT no, type, name, company_no, company_name, city, salesperson_code, "
                  "email, correspondence_type FROM contact WHERE (search_name LIKE :term OR "
                  "no LIKE :term OR lower(email) LIKE lower(:term) OR lower(city) LIKE "
                  "lower(:term)) ORDER BY no LIMIT 50")
SEARCH_COUNT_SQL = text("SELECT count(*) FROM contact WHERE (search_name LIKE :term OR "
                        "no LIKE :term OR lower(email) LIKE lower(:term) OR lower(city) LIKE "
                        "lower(:term))")


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
            lines = conn.execute(SEGMENT_SQL, {"no": no}).one()[0]
        if True:  # each page and each bare statement set gets its own connection and transaction

            def ok(path: str) -> Callable[[], object]:
                def get() -> object:
                    answer = web.get(path)
                    assert answer.status_code == 200, answer.text[-1500:]
                    return answer
                return get

            def bare(*statements: tuple[object, dict[str, object]]) -> Callable[[], object]:
                def run() -> object:
                    with rapport.engine.connect() as conn:
                        return [conn.execute(s, p).all()  # type: ignore[call-overload]
                                for s, p in statements]
                return run

            report("Segment page (first 50 lines)", lines, best(args.repeat, ok(f"/segments/{no}")),
                   best(args.repeat, bare((SEGMENT_SQL, {"no": no}), (LINES_SQL, {"no": no}))))
            report("contact list, first page", args.contacts,
                   best(args.repeat, ok("/contacts")),
                   best(args.repeat, bare((CONTACTS_SQL, {"after": ""}), (COUNT_SQL, {}))))
            report("contact list, page deep inside", args.contacts,
                   best(args.repeat, ok(f"/contacts?after={deep}")),
                   best(args.repeat, bare((CONTACTS_SQL, {"after": deep}), (COUNT_SQL, {}))))
            report("contact list, search 'AB'", args.contacts,
                   best(args.repeat, ok("/contacts?search=AB")),
                   best(args.repeat, bare((SEARCH_SQL, {"term": "%AB%"}),
                                          (SEARCH_COUNT_SQL, {"term": "%AB%"}))))


if __name__ == "__main__":
    main()
