"""短信网关: the provider interface and its one HTTP implementation, shaped like the common Chinese SMS
gateways (template code + parameters + signature name, requests signed with the account's secret, the
provider's message id back, delivery receipts pushed to a callback).

Send: `POST {YIWANG_SMS_URL}/v1/sms/send` with a JSON body `{"phone_number", "sign_name",
"template_code", "template_param", "out_id"}`; headers `X-Sms-Key` (access key id), `X-Sms-Timestamp`
(Unix seconds), `X-Sms-Nonce`, `X-Sms-Signature` (`signature()` below) and `Idempotency-Key` (= out_id:
the gateway answers a repeated key with the first answer and sends nothing again).
Answer (HTTP 200): `{"code": "OK", "biz_id": "..."}`, or `{"code": "<error>", "message": "..."}`.

Receipts: the gateway `POST`s a JSON list `[{"biz_id", "out_id", "status": "DELIVERED" | "FAILED",
"err_code", "report_time"}]` to `/api/v1/notifications/sms/receipts`, signed the same way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import urllib3
from django.conf import settings

SEND_PATH = "/v1/sms/send"
RECEIPT_PATH = "/sms/receipts"  # what receipts are signed as, wherever the callback is mounted
# Provider answers that no retry can mend (a number that does not exist, a template not approved).
PERMANENT_CODES = frozenset(
    {"MOBILE_NUMBER_ILLEGAL", "TEMPLATE_MISSING", "SIGN_NAME_ILLEGAL", "BLACK_KEY_CONTROL"}
)
# Receipt errors a later attempt may get past (phone switched off, carrier congestion).
TEMPORARY_RECEIPT_CODES = frozenset({"PHONE_OFF", "NETWORK_BUSY", "CARRIER_TIMEOUT"})
RECEIPT_MAX_AGE_SECONDS = 300


class TemporaryFailure(Exception):
    """The provider could not take the message now: try again later."""


class PermanentFailure(Exception):
    """The provider refused the message for good."""


class SmsGateway(Protocol):
    def send(self, *, phone: str, template: str, params: Mapping[str, str], key: str) -> str:
        """Hands one SMS to the provider; returns its message id. Raises Temporary/PermanentFailure."""
        ...


def signature(secret: str, *, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """HMAC-SHA256 over method, path, timestamp, nonce and the body's SHA-256, base64."""
    canonical = "\n".join([method, path, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    digest = hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_headers(key_id: str, secret: str, *, path: str, body: bytes) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
    return {
        "Content-Type": "application/json; charset=utf-8",
        "X-Sms-Key": key_id,
        "X-Sms-Timestamp": timestamp,
        "X-Sms-Nonce": nonce,
        "X-Sms-Signature": signature(
            secret, method="POST", path=path, timestamp=timestamp, nonce=nonce, body=body
        ),
    }


def signature_valid(
    secret: str, headers: Mapping[str, str], *, path: str, body: bytes, now: float | None = None
) -> bool:
    """Whether a request carries a valid signature made within the last five minutes."""
    timestamp, nonce = headers.get("X-Sms-Timestamp", ""), headers.get("X-Sms-Nonce", "")
    given = headers.get("X-Sms-Signature", "")
    if not (timestamp.isdigit() and nonce and given and secret):
        return False
    if abs((now or time.time()) - int(timestamp)) > RECEIPT_MAX_AGE_SECONDS:
        return False
    expected = signature(secret, method="POST", path=path, timestamp=timestamp, nonce=nonce, body=body)
    return hmac.compare_digest(expected, given)


@dataclass
class HttpSmsGateway:
    """The HTTP provider, one keep-alive connection pool per process."""

    url: str
    key_id: str
    secret: str
    sign_name: str
    timeout: float = 5.0

    def __post_init__(self) -> None:
        self._pool = urllib3.PoolManager(
            num_pools=2, maxsize=4, retries=False, timeout=urllib3.Timeout(total=self.timeout)
        )

    def send(self, *, phone: str, template: str, params: Mapping[str, str], key: str) -> str:
        body = json.dumps(
            {
                "phone_number": phone,
                "sign_name": self.sign_name,
                "template_code": template,
                "template_param": dict(params),
                "out_id": key,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        headers = signed_headers(self.key_id, self.secret, path=SEND_PATH, body=body)
        headers["Idempotency-Key"] = key
        try:
            response = self._pool.request(
                "POST", self.url.rstrip("/") + SEND_PATH, body=body, headers=headers
            )
        except urllib3.exceptions.HTTPError as exc:
            raise TemporaryFailure(type(exc).__name__) from None  # the message may echo the request
        if response.status == 429 or response.status >= 500:
            raise TemporaryFailure(f"HTTP {response.status}")
        try:
            answer = json.loads(response.data[: 64 * 1024])
        except ValueError:
            raise TemporaryFailure(f"HTTP {response.status}: not JSON") from None
        code = str(answer.get("code", "")) if isinstance(answer, dict) else ""
        if response.status == 200 and code == "OK" and answer.get("biz_id"):
            return str(answer["biz_id"])[:64]
        if code in PERMANENT_CODES or response.status in (400, 401, 403):
            raise PermanentFailure(f"{code or 'HTTP ' + str(response.status)}")
        raise TemporaryFailure(code or f"HTTP {response.status}")


_gateway: HttpSmsGateway | None = None


def gateway() -> SmsGateway:
    """The configured provider (YIWANG_SMS_URL, _KEY_ID, _SECRET, _SIGN), made once per process."""
    global _gateway
    wanted = (
        settings.YIWANG_SMS_URL,
        settings.YIWANG_SMS_KEY_ID,
        settings.YIWANG_SMS_SECRET,
        settings.YIWANG_SMS_SIGN,
    )
    if _gateway is None or (_gateway.url, _gateway.key_id, _gateway.secret, _gateway.sign_name) != wanted:
        _gateway = HttpSmsGateway(*wanted)
    return _gateway
