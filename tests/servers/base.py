"""A small threaded HTTP server on 127.0.0.1 that records what it receives and can
inject faults; the GitHub and results-service stand-ins build on it."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Fault:
    """Answer ``status`` (with ``headers`` and ``body``) to ``times`` requests matching
    ``method`` and the ``path`` pattern; ``times=None`` means every one."""

    method: str
    path: str
    status: int
    times: int | None = 1
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass
class Hold:
    """Hold the first ``parties`` requests matching ``method`` and ``path`` until all of
    them have arrived, then answer them together: two clients racing, made to meet."""

    method: str
    path: str
    parties: int = 2
    timeout: float = 30.0
    waiting: int = 0
    barrier: threading.Barrier = field(init=False)

    def __post_init__(self) -> None:
        self.barrier = threading.Barrier(self.parties, timeout=self.timeout)


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


class StubServer:
    """Subclasses implement ``handle(request) -> Reply``."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.holds: list[Hold] = []
        self.lock = threading.RLock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Recorded(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                server._wait(request)
                with server.lock:
                    server.requests.append(request)
                    reply = server._fault(request) or server.handle(request)
                payload = (
                    reply.raw
                    if reply.raw is not None
                    else (b"" if reply.body is None else json.dumps(reply.body).encode())
                )
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _wait(self, request: Recorded) -> None:
        with self.lock:
            hold = next(
                (
                    h
                    for h in self.holds
                    if h.method == request.method
                    and re.fullmatch(h.path, request.path)
                    and h.waiting < h.parties
                ),
                None,
            )
            if hold is not None:
                hold.waiting += 1
        if hold is not None:
            try:
                hold.barrier.wait()
            except threading.BrokenBarrierError:
                pass  # the other party never came: answer anyway

    def _fault(self, request: Recorded) -> Reply | None:
        for fault in self.faults:
            if fault.method == request.method and re.fullmatch(fault.path, request.path):
                if fault.times is not None:
                    if fault.times <= 0:
                        continue
                    fault.times -= 1
                return Reply(fault.status, fault.body, dict(fault.headers))
        return None

    def handle(self, request: Recorded) -> Reply:  # pragma: no cover - overridden
        raise NotImplementedError

    def calls(self, method: str, pattern: str = ".*") -> list[Recorded]:
        with self.lock:
            return [
                r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)
            ]
