"""A small HTTP/1.1 load generator: keep-alive connections on loopback, one request at a time
each, for a fixed time; prints one JSON line with the throughput and the latencies.

    python -m bench.load --port 8000 --path /api/v1/health [--method POST --body '{…}']
                         [--header 'Authorization: Bearer …'] [--connections 8]
                         [--seconds 10] [--warmup 2]

It runs in a process of its own (``bench.bench_api`` starts it), so that its work is not the
server's. Each connection sends its next request as soon as the answer to the previous one has
been read (a closed loop, as ``wrk`` does); requests started during the warm-up are not
counted. The client is a few lines on asyncio streams rather than an HTTP library, so that it
costs as little CPU per request as possible on a machine the server shares: it handles answers
with a ``Content-Length`` (every answer of uvicorn's JSON responses) and refuses anything else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field

import uvloop  # uvicorn[standard]'s event loop: less CPU per request than asyncio's


@dataclass
class Tally:
    """What the connections measured after the warm-up."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    last_done: float = 0.0


async def answer(reader: asyncio.StreamReader) -> int:
    """Read one response (status line, headers, a Content-Length body); its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            raise RuntimeError("chunked responses are not supported by this load generator")
    if length is None:
        raise RuntimeError(f"response without Content-Length: {head!r}")
    await reader.readexactly(length)
    return status


async def connection(port: int, request: bytes, counted_from: float, until: float,
                     tally: Tally) -> None:
    """One keep-alive connection sending ``request`` back to back until ``until``."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while (started := time.perf_counter()) < until:
            writer.write(request)
            status = await answer(reader)
            done = time.perf_counter()
            if started >= counted_from:
                tally.latencies.append(done - started)
                tally.statuses[status] += 1
                tally.last_done = max(tally.last_done, done)
    finally:
        writer.close()


async def run(port: int, request: bytes, connections: int, seconds: float,
              warmup: float) -> dict[str, object]:
    """Load the server; the figures of the counted part."""
    tally = Tally()
    counted_from = time.perf_counter() + warmup
    until = counted_from + seconds
    await asyncio.gather(*(connection(port, request, counted_from, until, tally)
                           for _ in range(connections)))
    latencies = sorted(tally.latencies)
    if not latencies:
        raise RuntimeError("no request completed after the warm-up")
    elapsed = tally.last_done - counted_from

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    return {"requests": len(latencies), "seconds": elapsed,
            "per_second": len(latencies) / elapsed,
            "p50_ms": percentile(0.50) * 1000, "p99_ms": percentile(0.99) * 1000,
            "max_ms": latencies[-1] * 1000,
            "statuses": {str(k): v for k, v in sorted(tally.statuses.items())}}


def request_bytes(method: str, path: str, port: int, headers: list[str], body: str | None
                  ) -> bytes:
    """The request as sent on the wire, every time."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: application/json",
             *headers]
    payload = (body or "").encode()
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, load the server, print the figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    args = parser.parse_args(argv)
    request = request_bytes(args.method, args.path, args.port, args.header, args.body)
    figures = uvloop.run(run(args.port, request, args.connections, args.seconds, args.warmup))
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
