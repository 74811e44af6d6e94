"""实名核验 over HTTP: a JSON service of the kind provincial platforms reach through their data hub.

Request: `POST {YIWANG_REALNAME_URL}` with `Authorization: Bearer {YIWANG_REALNAME_KEY}` and
`{"request_id": "...", "name": "...", "id_number": "..."}`.
Answer: `{"result": "consistent" | "inconsistent" | "not_found", "reference": "..."}` (HTTP 200).
Anything else — a timeout, another status, a body that is not that — is ProviderUnavailable.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

from django.conf import settings

from yiwang.accounts.verification import Answer, ProviderUnavailable, RealNameProvider, Verdict, register

_VERDICTS = {"consistent": Verdict.MATCH, "inconsistent": Verdict.MISMATCH, "not_found": Verdict.NO_RECORD}


@register("http")
class HttpProvider(RealNameProvider):
    def check(self, *, name: str, id_number: str) -> Answer:
        body = json.dumps(
            {"request_id": uuid.uuid4().hex, "name": name, "id_number": id_number}, ensure_ascii=False
        ).encode("utf-8")
        request = urllib.request.Request(
            settings.YIWANG_REALNAME_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.YIWANG_REALNAME_KEY}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.YIWANG_REALNAME_TIMEOUT) as response:
                answer = json.loads(response.read(64 * 1024).decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
            # The message may echo the request: keep only the kind of failure.
            raise ProviderUnavailable(type(exc).__name__) from None
        result = answer.get("result") if isinstance(answer, dict) else None
        verdict = _VERDICTS.get(result) if isinstance(result, str) else None
        if verdict is None:
            raise ProviderUnavailable("unexpected answer")
        return Answer(verdict=verdict, reference=str(answer.get("reference") or "")[:64])
