"""A real SMTP server on loopback (aiosmtpd) for the delivery tests, with scripted refusals.

``SmtpServer`` records every message it accepts. A test scripts its behaviour per recipient:
``refuse[address] = ["451 4.3.0 Try later", …]`` answers that recipient's next RCPTs with the
replies in turn (then accepts); ``drop_at_rcpt`` / ``drop_after_data`` close the connection
at that recipient's RCPT, or after its message was handed over and before answering.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> Message:
        return email.message_from_bytes(self.data)


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, list[str]] = field(default_factory=dict)
    drop_at_rcpt: set[str] = field(default_factory=set)
    drop_after_data: set[str] = field(default_factory=set)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        address = address.lower()
        if address in self.drop_at_rcpt:
            self.drop_at_rcpt.discard(address)
            server.transport.close()
            return "421 4.3.0 closing"
        replies = self.refuse.get(address)
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        dropped = [r for r in envelope.rcpt_tos if r in self.drop_after_data]
        if dropped:
            self.drop_after_data.difference_update(dropped)
            server.transport.close()
            return "421 4.3.0 closing"
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          bytes(envelope.original_content)))
        return "250 Message accepted"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 in a thread of its own."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler = handler or Handler()
        self.port = free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def message_ids(self) -> list[str]:
        return [str(r.message["Message-ID"]) for r in self.received]
