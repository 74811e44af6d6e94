"""草稿: an unfinished application kept server-side in the applicant's session, one per item or bundle.

Why the session and not a signed cookie: the session lives in the database (Django's default
session engine here), so a draft — which holds personal data such as ID numbers and addresses —
never sits readable in the browser's cookie jar, is not sent with every request, and is not bound
by a cookie's 4 KB limit (a ten-field form with uploaded-file names passes that easily). Like any
session data it is shared by every app server and lasts as long as the sign-in session
(SESSION_COOKIE_AGE); signing out ends it, and the page says so. A draft that must outlive the
session needs a model in the case engine (asked for in the portal's notes), not in `channels`.

Bounded: at most MAX_DRAFTS drafts per session, the oldest dropped first; values are cut to the
sizes `application_form` allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

SESSION_KEY = "portal.drafts"
MAX_DRAFTS = 10


@dataclass(frozen=True)
class Draft:
    key: str
    title: str
    url: str
    saved_at: datetime
    form: dict[str, Any]
    members: list[str]
    materials: dict[str, dict[str, Any]]


def draft_key(kind: str, code: str) -> str:
    return f"{kind}:{code}"


class DraftStore:
    def __init__(self, session: SessionBase) -> None:
        self.session = session

    def _all(self) -> dict[str, Any]:
        stored = self.session.get(SESSION_KEY)
        return stored if isinstance(stored, dict) else {}

    def get(self, key: str) -> Draft | None:
        entry = self._all().get(key)
        if not isinstance(entry, dict):
            return None
        try:
            saved_at = datetime.fromisoformat(entry["saved_at"])
        except (KeyError, TypeError, ValueError):
            return None
        form, materials = entry.get("form"), entry.get("materials")
        return Draft(
            key=key,
            title=str(entry.get("title", "")),
            url=str(entry.get("url", "")),
            saved_at=saved_at,
            form=form if isinstance(form, dict) else {},
            members=[str(m) for m in entry.get("members") or [] if isinstance(m, str)],
            materials=materials if isinstance(materials, dict) else {},
        )

    def save(
        self,
        key: str,
        *,
        title: str,
        url: str,
        form: dict[str, Any],
        members: list[str],
        materials: dict[str, dict[str, Any]],
    ) -> Draft:
        drafts = self._all()
        drafts.pop(key, None)
        while len(drafts) >= MAX_DRAFTS:
            oldest = min(drafts, key=lambda k: str(drafts[k].get("saved_at", "")))
            drafts.pop(oldest)
        now = timezone.now()
        drafts[key] = {
            "title": title[:200],
            "url": url,
            "saved_at": now.isoformat(),
            "form": form,
            "members": members,
            "materials": materials,
        }
        self.session[SESSION_KEY] = drafts
        return self.get(key)  # type: ignore[return-value]

    def delete(self, key: str) -> None:
        drafts = self._all()
        if key in drafts:
            drafts.pop(key)
            self.session[SESSION_KEY] = drafts

    def list(self) -> list[Draft]:
        found = [self.get(key) for key in self._all()]
        return sorted((d for d in found if d is not None), key=lambda d: d.saved_at, reverse=True)
