"""URL map of the bench server: the product's, plus the floor endpoint (bench/submit only).

POST /api/bench/floor stores one small row through the ORM in a transaction, behind the API's own
token authentication, on the same granian server, settings and middleware (an /api/ call with a Bearer
token takes the same short chain as a submission). Its rate is what this stack does with one write
and no domain rules at all: the floor the submission path is measured against. The row goes to
Django's session table (django_session): no token API call writes it and no signal listens to it (the
admin log, the obvious log-like table, is copied into the audit trail by a receiver). bench/submit
deletes the rows afterwards.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.urls import path
from django.utils import timezone
from ninja import NinjaAPI, Schema

from yiwang.accounts.auth import api_auth
from yiwang.urls import handler404
from yiwang.urls import urlpatterns as product_urlpatterns

FLOOR_PATH = "/api/bench/floor"  # api/bench/ below, then the operation's /floor
# The session keys' prefix: bench/submit deletes the rows that have it after the floor phase.
FLOOR_MARK = "benchfloor"

floor_api = NinjaAPI(
    title="bench floor", urls_namespace="bench-floor", auth=api_auth, docs_url=None, openapi_url=None
)


class FloorIn(Schema):
    note: str = ""


class FloorOut(Schema):
    key: str


@floor_api.post("/floor", response={201: FloorOut})
def floor_insert(request: HttpRequest, payload: FloorIn) -> tuple[int, FloorOut]:
    with transaction.atomic():
        row = Session.objects.create(
            session_key=FLOOR_MARK + secrets.token_hex(15),  # 40 characters, the column's width
            session_data=f"{request.auth.pk} {payload.note[:200]}",  # type: ignore[attr-defined]
            expire_date=timezone.now() + timedelta(hours=1),
        )
    return 201, FloorOut(key=row.session_key)


# First, so that the product's pattern list is not walked for it (its own cost is one prefix match).
urlpatterns = [path("api/bench/", floor_api.urls), *product_urlpatterns]

__all__ = ["FLOOR_MARK", "FLOOR_PATH", "handler404", "urlpatterns"]
