"""A local 实名核验 service for the tests: answers as the HTTP provider expects, from a table of
registered persons; it can be told to fail. Started on a free port per test, stopped after."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "test-realname-key"


@dataclass
class Registry:
    """The population register the fake consults: ID number → name."""

    people: dict[str, str] = field(default_factory=dict)
    down: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)


def _handler(registry: Registry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server API)
            if registry.down:
                self.send_error(503)
                return
            if self.headers.get("Authorization") != f"Bearer {KEY}":
                self.send_error(401)
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            registry.requests.append(body)
            known = registry.people.get(body.get("id_number", ""))
            result = (
                "not_found"
                if known is None
                else "consistent"
                if known == body.get("name")
                else "inconsistent"
            )
            answer = json.dumps({"result": result, "reference": f"T{len(registry.requests)}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass  # the request holds ID numbers: nothing printed

    return Handler


@contextmanager
def realname_service() -> Iterator[tuple[str, Registry]]:
    registry = Registry()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(registry))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/verify", registry
    finally:
        server.shutdown()
        server.server_close()
