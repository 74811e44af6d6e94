"""The client side of bench/crash: threads that submit applications the way a careful real client does.

Each submission uploads its documents (POST /api/v1/documents), then posts the application
(POST /api/v1/applications) under an Idempotency-Key. A request that fails because the server went
away (connection refused or cut, 5xx) is sent again — the same bytes, the same body, the same key —
until it gets a definite answer or `give_up` seconds have passed. Nothing here imports Django.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

# Answers that mean "the server did not do it, or did not say": the request is sent again. A 500 is
# not among them: no kill makes the server answer 500, so it is a bug to report, not to retry away.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class Failure:
    """One attempt that got no definite answer."""

    at: float  # time.time() when it failed
    sent_at: float  # time.time() when the attempt started (a kill between the two cut it)
    what: str  # "upload" or "submit"
    reason: str  # exception class or HTTP status


@dataclass
class Submission:
    """One application as the client knows it. `documents` are uploaded for it alone (unique bytes);
    `shared_documents` carry bytes many applicants upload (a blank form), so their blobs are shared."""

    key: str
    username: str
    kind: str  # "single" or "bundle"
    target: str  # item or bundle code
    started_at: float
    documents: list[str] = field(default_factory=list)
    shared_documents: list[str] = field(default_factory=list)
    post_attempts: int = 0
    upload_attempts: int = 0
    failures: list[Failure] = field(default_factory=list)
    status: int | None = None  # the final answer to the POST, None when the client gave up
    number: str = ""
    cases: list[str] = field(default_factory=list)
    last_post_at: float = 0.0  # when the attempt that got the final answer was sent
    error: str = ""  # text of an unexpected final answer (mask it before printing)
    # Kept to replay the request later; never written out (the body holds the applicant's ID number).
    token: str = field(default="", repr=False)
    body: bytes = field(default=b"", repr=False)

    def record(self) -> dict[str, Any]:
        data = asdict(self)
        del data["token"], data["body"]
        return data


@dataclass
class Target:
    """What a submission applies for and how to fill it in for one user."""

    kind: str
    code: str
    users: list[dict[str, Any]]  # bench users who may apply (with their token)
    materials: list[int]  # material ids to provide, each with an uploaded document
    build: Any  # (user, {material id: document id}, channel) -> request body


def pdf_bytes(tag: bytes, size: int) -> bytes:
    """A small valid-looking PDF of about `size` bytes whose content (hence SHA-256) depends on `tag`.
    The documents API identifies PDFs by their magic bytes; the padding lives in a comment."""
    head = b"%PDF-1.4\n%" + tag + b"\n"
    body = b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    tail = b"trailer<</Root 1 0 R>>\n%%EOF\n"
    pad = max(0, size - len(head) - len(body) - len(tail) - 2)
    filler = (tag * (pad // max(1, len(tag)) + 1))[:pad]
    return head + b"%" + filler + b"\n" + body + tail


class Connection:
    """One keep-alive HTTP connection, reopened after any transport error."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class GaveUp(Exception):
    pass


class Unexpected(Exception):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"HTTP {status}")
        self.status, self.body = status, body


class InFlight:
    """How many POST /applications are awaiting their answer, so a kill can be aimed at one."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0

    def add(self, n: int) -> None:
        with self.lock:
            self.count += n


class ClientThread(threading.Thread):
    """Submits until `stop` is set; the submission under way when it is set is still finished."""

    def __init__(
        self,
        index: int,
        *,
        host: str,
        port: int,
        targets: list[tuple[Target, float]],
        stop: threading.Event,
        in_flight: InFlight,
        shared_payloads: list[bytes],
        doc_bytes: int,
        shared_share: float,
        give_up: float,
        seed: int,
    ) -> None:
        super().__init__(name=f"crash-client-{index}", daemon=True)
        self.index = index
        self.conn = Connection(host, port, timeout=15.0)
        self.targets = targets
        self.stop = stop
        self.in_flight = in_flight
        self.shared_payloads = shared_payloads
        self.doc_bytes = doc_bytes
        self.shared_share = shared_share
        self.give_up = give_up
        self.random = random.Random(seed)
        self.submissions: list[Submission] = []
        self.crashed: str = ""  # a bug in this client, not the server: reported, never hidden

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self.submit_one()
        except Exception as exc:  # reported by the caller
            self.crashed = f"{type(exc).__name__}: {exc}"

    # -- one submission ----------------------------------------------------------------------------

    def submit_one(self) -> None:
        target = self.random.choices([t for t, _ in self.targets], weights=[w for _, w in self.targets])[0]
        user = self.random.choice(target.users)
        sub = Submission(
            key=f"crash-{uuid.uuid4()}",
            username=user["username"],
            kind=target.kind,
            target=target.code,
            started_at=time.time(),
            token=user["token"],
        )
        self.submissions.append(sub)
        try:
            # One file of its own serves all the submission's materials (as in bench/submit): few uploads
            # per submission, so a kill often lands on a POST /applications. No other submission may
            # name that file, so a submission stored twice shows up by it. Now and then one material is
            # a blank form many applicants upload alike, whose blob every uploader shares.
            own = self.upload(sub, user, pdf_bytes(sub.key.encode(), self.doc_bytes))
            sub.documents.append(own)
            documents = dict.fromkeys(target.materials, own)
            if len(target.materials) > 1 and self.random.random() < self.shared_share:
                blank = self.upload(sub, user, self.random.choice(self.shared_payloads))
                sub.shared_documents.append(blank)
                documents[self.random.choice(target.materials[1:])] = blank
            channel = self.random.choice(["web", "mobile", "api"])
            sub.body = json.dumps(target.build(user, documents, channel), ensure_ascii=False).encode()
            status, answer = self.send(
                sub,
                "submit",
                "/api/v1/applications",
                sub.body,
                {
                    "Authorization": f"Bearer {user['token']}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": sub.key,
                },
            )
            sub.status = status
            sub.number = answer["number"]
            sub.cases = [c["number"] for c in answer["cases"]]
        except GaveUp as exc:
            sub.error = str(exc)
        except Unexpected as exc:
            sub.status = exc.status
            sub.error = exc.body[:300].decode("utf-8", "replace")

    def upload(self, sub: Submission, user: dict[str, Any], payload: bytes) -> str:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="material.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + payload
            + f"\r\n--{boundary}--\r\n".encode()
        )
        _status, answer = self.send(
            sub,
            "upload",
            "/api/v1/documents",
            body,
            {
                "Authorization": f"Bearer {user['token']}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        return str(answer["id"])

    def send(
        self, sub: Submission, what: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """POST until a definite answer: 201 returns it, any other but RETRY_STATUSES raises Unexpected."""
        first_failure: float | None = None
        delay = 0.05
        while True:
            sent_at = time.time()
            if what == "submit":
                sub.post_attempts += 1
                sub.last_post_at = sent_at
                self.in_flight.add(1)
            else:
                sub.upload_attempts += 1
            try:
                status, raw = self.conn.request("POST", path, body, headers)
            except TRANSPORT_ERRORS as exc:
                status, raw = 0, b""
                reason = "timeout" if isinstance(exc, socket.timeout) else type(exc).__name__
            finally:
                if what == "submit":
                    self.in_flight.add(-1)
            if status == 201:
                return status, json.loads(raw)
            if status and status not in RETRY_STATUSES:
                raise Unexpected(status, raw)
            if status:
                reason = f"HTTP {status}"
            now = time.time()
            sub.failures.append(Failure(at=now, sent_at=sent_at, what=what, reason=reason))
            first_failure = first_failure or now
            if now - first_failure > self.give_up:
                raise GaveUp(f"{what}: no answer for {self.give_up:.0f} s (last: {reason})")
            # Back off a little (with jitter, so the threads do not all come back at the same instant).
            time.sleep(delay * (0.5 + self.random.random()))
            delay = min(delay * 2, 0.5)


def shared_payloads(count: int, size: int) -> list[bytes]:
    """Bytes several applicants upload alike (the portal's blank forms): new ones each run."""
    run = os.urandom(8).hex().encode()
    return [pdf_bytes(b"blank-form-" + run + b"-" + str(i).encode(), size) for i in range(count)]
