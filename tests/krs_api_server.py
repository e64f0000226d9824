"""A stand-in for the KRS API on 127.0.0.1, serving recorded bodies and injecting faults.

It answers as the real API does (data/reference/krs/SOURCES.md): the current extract of a
number in the register asked (200), 204 with no body for an entity struck off (its full
extract then comes from `OdpisPelny`), 404 for a number the register does not hold, and the
daily bulletin as a JSON array of numbers without leading zeros (`[]` for a day not given).

A test scripts faults per request: the n-th request of a URL gets the n-th fault listed for it
(then normal answers). Every request is logged with what it was served, so a test can tell a
first ask from a retry and a success from a failure.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

REGISTER_OF = {"RejP": "P", "RejS": "S"}


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour: `slow` (answer after `seconds`), `status` (that HTTP status
    with `headers`), `truncated` (a complete 200 whose JSON is cut), `drop` (Content-Length of
    the whole body, half of it sent, connection closed)."""

    kind: str
    status: int = 200
    seconds: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Served:
    endpoint: str
    target: str
    register: str | None
    outcome: str  # "200", "204", "404", "429", "500", "slow", "drop", "truncated"
    user_agent: str

    @property
    def answered(self) -> bool:
        """Whether the client got a complete answer the API means (not a fault to retry)."""
        return self.outcome in {"200", "204", "404", "truncated"}


@dataclass
class KrsApiStandIn:
    """What the stand-in serves: extracts by (KRS, register), bulletins by day, faults by URL."""

    current: dict[tuple[str, str], bytes] = field(default_factory=dict)
    full: dict[tuple[str, str], bytes] = field(default_factory=dict)
    struck_off: set[tuple[str, str]] = field(default_factory=set)
    bulletins: dict[str, list[str]] = field(default_factory=dict)
    #: Bulletin days answered otherwise than with a list: (status, body), e.g. (404, b"").
    bulletin_answers: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    faults: dict[str, list[Fault]] = field(default_factory=lambda: defaultdict(list))
    log: list[Served] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_extract_file(self, path: Path) -> None:
        """A body saved from the API: a current extract, or the full one of an entity struck
        off (whose current extract then answers 204)."""
        body = path.read_bytes()
        odpis = json.loads(body)["odpis"]
        header = odpis.get("naglowekA") or odpis["naglowekP"]
        key = (header["numerKRS"], REGISTER_OF[header["rejestr"]])
        if "naglowekA" in odpis:
            self.current[key] = body
        else:
            self.full[key] = body
            self.struck_off.add(key)

    def add_folder(self, folder: Path) -> None:
        for path in sorted(folder.glob("*.json")):
            self.add_extract_file(path)

    def fault(self, path: str, *faults: Fault) -> None:
        """Faults for the next requests of a URL path with its query, e.g.
        `/api/krs/OdpisAktualny/0000100001?rejestr=S&format=json`."""
        self.faults[path].extend(faults)

    def served(self, endpoint: str | None = None) -> list[Served]:
        with self.lock:
            return [s for s in self.log if endpoint is None or s.endpoint == endpoint]

    def answer(self, endpoint: str, target: str, register: str | None) -> tuple[int, bytes]:
        key = (target, register or "")
        if endpoint == "OdpisAktualny":
            if key in self.current:
                return 200, self.current[key]
            return (204, b"") if key in self.struck_off else (404, b"")
        if endpoint == "OdpisPelny":
            return (200, self.full[key]) if key in self.full else (404, b"")
        if target in self.bulletin_answers:
            return self.bulletin_answers[target]
        numbers = [n.lstrip("0") for n in self.bulletins.get(target, [])]
        return 200, json.dumps(numbers).encode()


def _handler(api: KrsApiStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 1 << 16  # headers and body leave in one write (no Nagle delay)
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the test reads `api.log` instead."""

        def _send(self, status: int, body: bytes, headers: tuple = (),
                  length: int | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in headers:
                self.send_header(name, value)
            if status != 204:
                self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            url = urlparse(self.path)
            parts = url.path.strip("/").split("/")
            if len(parts) != 4 or parts[:2] != ["api", "krs"]:
                self._send(400, b"{}")
                return
            endpoint, target = parts[2], parts[3]
            register = parse_qs(url.query).get("rejestr", [None])[0]
            with api.lock:
                pending = api.faults.get(self.path)
                fault = pending.pop(0) if pending else None
                status, body = api.answer(endpoint, target, register)
                outcome = str(status) if fault is None else (
                    str(fault.status) if fault.kind == "status" else fault.kind)
                api.log.append(Served(endpoint, target, register, outcome,
                                      self.headers.get("User-Agent", "")))
            try:
                if fault is None:
                    self._send(status, body)
                elif fault.kind == "slow":
                    time.sleep(fault.seconds)
                    self._send(status, body)
                elif fault.kind == "status":
                    self._send(fault.status, b'{"error": "fault"}', fault.headers)
                elif fault.kind == "truncated":
                    self._send(200, body[: len(body) // 2])
                elif fault.kind == "drop":
                    self._send(status, body[: len(body) // 2], length=len(body))
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a slow answer past its timeout)

    return Handler


class KrsApiServer:
    """The stand-in served on 127.0.0.1 (a free port) from a thread; use as a context manager."""

    def __init__(self, api: KrsApiStandIn) -> None:
        self.api = api
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> KrsApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
