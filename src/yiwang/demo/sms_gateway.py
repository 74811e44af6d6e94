"""演示短信网关: a local stand-in for a Chinese SMS provider, for `make run`, the tests and the benches.

It speaks the protocol of notifications.gateway: checks each request's signature, sends (here: keeps)
each message once per idempotency key — a repeated key gets the first answer and nothing is sent again,
as real gateways do — and pushes signed delivery receipts to the platform's callback in batches. Its
page lists what "phones" received (numbers masked); `/stats` counts requests, messages and duplicates.
It can be told to fail: answer 503 for the next N requests, refuse some numbers for good, or report a
number as switched off.
"""

from __future__ import annotations

import html
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import urllib3

from yiwang.core.masking import mask_mobile
from yiwang.notifications.gateway import RECEIPT_PATH, SEND_PATH, signature_valid, signed_headers
from yiwang.notifications.kinds import sms_text


@dataclass
class Sent:
    biz_id: str
    out_id: str
    phone: str
    template: str
    params: dict[str, Any]
    at: float
    requests: int = 1


@dataclass
class FakeSmsGateway:
    key_id: str
    secret: str
    callback_url: str = ""
    receipt_interval: float = 0.2
    host: str = "127.0.0.1"
    port: int = 0
    fail_next: int = 0  # answer 503 to this many coming requests
    refused_numbers: set[str] = field(default_factory=set)  # MOBILE_NUMBER_ILLEGAL, for good
    switched_off: set[str] = field(default_factory=set)  # delivered nowhere: receipt PHONE_OFF

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.by_key: dict[str, Sent] = {}
        self.requests = 0
        self.bad_signatures = 0
        self.receipts_sent = 0
        self._receipts: deque[dict[str, Any]] = deque()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer((self.host, self.port), _handler(self))
        self._server.daemon_threads = True
        self._threads = [
            # A short poll: stop() (after every test) waits for it.
            threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True),
            threading.Thread(target=self._push_receipts, daemon=True),
        ]

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}" if isinstance(host, str) else f"http://{self.host}:{port}"

    def start(self) -> FakeSmsGateway:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSmsGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- what it was asked and what it did ----------------------------------------------------

    def stats(self) -> dict[str, int]:
        with self.lock:
            return {
                "requests": self.requests,
                "messages": len(self.by_key),
                "duplicates": sum(s.requests - 1 for s in self.by_key.values()),
                "bad_signatures": self.bad_signatures,
                "receipts_sent": self.receipts_sent,
                "receipts_pending": len(self._receipts),
            }

    def messages(self) -> list[Sent]:
        with self.lock:
            return list(self.by_key.values())

    def take_receipts(self) -> list[dict[str, Any]]:
        """The receipts not pushed yet (a gateway without a callback keeps them for whoever asks)."""
        with self.lock:
            taken = list(self._receipts)
            self._receipts.clear()
        return taken

    def send(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        phone, out_id = str(body.get("phone_number", "")), str(body.get("out_id", ""))
        template = str(body.get("template_code", ""))
        with self.lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return 503, {"code": "SERVICE_UNAVAILABLE", "message": "网关繁忙"}
            if not (phone and out_id and template):
                return 400, {"code": "MISSING_PARAMETER", "message": "缺少参数"}
            if phone in self.refused_numbers:
                return 200, {"code": "MOBILE_NUMBER_ILLEGAL", "message": "号码不存在"}
            known = self.by_key.get(out_id)
            if known is not None:  # the same idempotency key: the first answer, no second SMS
                known.requests += 1
                return 200, {"code": "OK", "biz_id": known.biz_id}
            params = body.get("template_param") or {}
            sent = Sent(uuid.uuid4().hex[:20], out_id, phone, template, dict(params), time.time())
            self.by_key[out_id] = sent
            delivered = phone not in self.switched_off
            self._receipts.append(
                {
                    "biz_id": sent.biz_id,
                    "out_id": out_id,
                    "status": "DELIVERED" if delivered else "FAILED",
                    "err_code": "DELIVERED" if delivered else "PHONE_OFF",
                    "report_time": time.strftime("%Y-%m-%d %H:%M:%S"),
                }
            )
        return 200, {"code": "OK", "biz_id": sent.biz_id}

    def _push_receipts(self) -> None:
        pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=10))
        while not self._stop.wait(self.receipt_interval):
            if not self.callback_url:
                continue
            with self.lock:
                batch = [self._receipts.popleft() for _ in range(min(500, len(self._receipts)))]
            if not batch:
                continue
            body = json.dumps(batch).encode()
            try:
                headers = signed_headers(self.key_id, self.secret, path=RECEIPT_PATH, body=body)
                response = pool.request("POST", self.callback_url, body=body, headers=headers)
                ok = response.status == 200
            except urllib3.exceptions.HTTPError:
                ok = False
            with self.lock:
                if ok:
                    self.receipts_sent += len(batch)
                else:  # the platform is down or restarting: the same receipts again later
                    self._receipts.extendleft(reversed(batch))


def _handler(gateway: FakeSmsGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the platform's connection pool expects
        # Headers and body leave in two writes; with Nagle's algorithm the body would wait for the
        # client's delayed ACK (40 ms on Linux), on every request of a keep-alive connection.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:  # noqa: N802 (the http.server API)
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            if len(body) < length:  # the client went away mid-request (a worker killed while sending)
                self.close_connection = True
                return
            if self.path != SEND_PATH:
                self._answer(404, {"code": "NOT_FOUND"})
                return
            if self.headers.get("X-Sms-Key") != gateway.key_id or not signature_valid(
                gateway.secret, dict(self.headers.items()), path=SEND_PATH, body=body
            ):
                with gateway.lock:
                    gateway.bad_signatures += 1
                self._answer(403, {"code": "SIGNATURE_DOES_NOT_MATCH", "message": "签名错误"})
                return
            try:
                request = json.loads(body)
            except ValueError:
                self._answer(400, {"code": "INVALID_JSON"})
                return
            if self.headers.get("Idempotency-Key", request.get("out_id")) != request.get("out_id"):
                self._answer(400, {"code": "IDEMPOTENCY_KEY_MISMATCH"})
                return
            self._answer(*gateway.send(request))

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/stats":
                self._answer(200, gateway.stats())
                return
            rows = "".join(
                f"<tr><td>{time.strftime('%H:%M:%S', time.localtime(s.at))}</td><td>{mask_mobile(s.phone)}</td>"
                f"<td>{html.escape(sms_text(s.template, s.params) or s.template)}</td></tr>"
                for s in sorted(gateway.messages(), key=lambda s: s.at, reverse=True)[:200]
            )
            page = (
                "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
                "<title>演示短信网关</title><h1>演示短信网关：已发送的短信</h1>"
                "<p>本页为演示用的本地短信网关，号码已脱敏。</p>"
                f"<table border=1 cellpadding=4><tr><th>时间</th><th>号码</th><th>内容</th></tr>{rows}</table>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass  # requests carry phone numbers: nothing printed

    return Handler
