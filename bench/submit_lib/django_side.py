"""The parts of bench/submit that run inside Django (under the project's venv, on the bench database).

    python bench/submit_lib/django_side.py prepare --users N
        N bench citizens and N bench companies with valid ID numbers / USCCs, real-name verified, and
        an API token each.
    python bench/submit_lib/django_side.py queries --spec FILE [--sql]
        Queries per request (Django test client, in process) for the requests the load phases send.

DATABASE_URL must point at the bench database; both subcommands print one JSON document on stdout.
BENCH_CHECKOUT names the checkout whose code is served (default: this one); bench/submit sets it, and
DJANGO_SETTINGS_MODULE=submit_lib.floor_settings with bench/ on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("BENCH_CHECKOUT") or Path(__file__).resolve().parent.parent.parent)
PREFIX = "bench_"


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


def _id_number(n: int) -> str:
    """A valid 公民身份号码: 330106 (西湖区), a birth date from 1970 on, sequence 9xx (bench only)."""
    from yiwang.core.identifiers import id_number_check_char, normalize_id_number

    birth = date(1970, 1, 1) + timedelta(days=n // 100)
    first17 = f"330106{birth:%Y%m%d}{900 + n % 100:03d}"
    return normalize_id_number(first17 + id_number_check_char(first17))


def _uscc(n: int) -> str:
    """A valid 统一社会信用代码 whose organisation code starts with MB (bench only)."""
    from yiwang.core.identifiers import normalize_uscc, org_code_check_char, uscc_check_char

    body = f"MB{n:06d}"
    first17 = f"91330106{body}{org_code_check_char(body)}"
    return normalize_uscc(first17 + uscc_check_char(first17))


def prepare(users: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from yiwang.accounts.models import ApiToken, User, UserKind
    from yiwang.accounts.services import token_digest

    # Numbered after any bench users of earlier runs, so a kept database can be reused.
    start = User.objects.filter(username__startswith=PREFIX).count()
    unusable = make_password(None)  # bench accounts log in by token only
    # Items that require 实名认证 refuse an unverified applicant (403 real_name_required).
    verified: dict[str, Any] = {}
    if any(f.name == "real_name_method" for f in User._meta.get_fields()):
        verified = {"real_name_method": "provider", "real_name_verified_at": timezone.now()}
    citizens, companies = [], []
    for i in range(start, start + users):
        citizens.append(
            User(
                username=f"{PREFIX}c{i:05d}",
                kind=UserKind.PERSON,
                name=f"压测市民{i}",
                id_number=_id_number(i),
                password=unusable,
                **verified,
            )
        )
        companies.append(
            User(
                username=f"{PREFIX}l{i:05d}",
                kind=UserKind.LEGAL,
                name=f"示范市压测{i}号科技有限公司",
                uscc=_uscc(i),
                legal_representative=f"压测法人{i}",
                legal_representative_id_number=_id_number(50_000 + i),
                password=unusable,
                **verified,
            )
        )
    expires = timezone.now() + timedelta(days=2)
    out: list[dict[str, Any]] = []
    with transaction.atomic():
        created = User.objects.bulk_create(citizens + companies)
        tokens = []
        for user in created:
            token = secrets.token_urlsafe(32)
            tokens.append(ApiToken(user=user, digest=token_digest(token), expires_at=expires))
            out.append(
                {
                    "username": user.username,
                    "kind": user.kind,
                    "name": user.name,
                    "id_number": user.id_number or "",
                    "uscc": user.uscc or "",
                    "legal_representative": user.legal_representative,
                    "token": token,
                }
            )
        ApiToken.objects.bulk_create(tokens)
    return {"users": out}


def queries(spec: dict[str, Any], show_sql: bool) -> dict[str, Any]:
    """Each request twice (the first warms per-process caches); the second one's queries are reported."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out: dict[str, Any] = {}

    def run(label: str, method: str, path: str, token: str, body: Any = None, key: str = "") -> None:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        counts, sql = [], []
        for attempt in range(2):
            if key:
                headers["HTTP_IDEMPOTENCY_KEY"] = f"{key}-{secrets.token_hex(6)}-{attempt}"
            with CaptureQueriesContext(connection) as captured:
                if method == "POST":
                    response = client.post(path, json.dumps(body), content_type="application/json", **headers)
                else:
                    response = client.get(path, **headers)
            if response.status_code >= 300:
                raise SystemExit(f"{label}: HTTP {response.status_code} {response.content[:500]!r}")
            counts.append(len(captured.captured_queries))
            sql = [q["sql"] for q in captured.captured_queries]
            if key:
                created = response.json()
                out.setdefault("created", {})[label] = {
                    "number": created["number"],
                    "cases": [c["number"] for c in created["cases"]],
                }
        out[label] = {"first": counts[0], "steady": counts[1]}
        if show_sql:
            out[label]["sql"] = sql

    single, bundle = spec["single"], spec["bundle"]
    run("submit_single", "POST", "/api/v1/applications", single["token"], single["body"], key="q-single")
    run("submit_bundle", "POST", "/api/v1/applications", bundle["token"], bundle["body"], key="q-bundle")
    number = out["created"]["submit_single"]["number"]
    run("read_application", "GET", f"/api/v1/applications/{number}", single["token"])
    run("read_case", "GET", f"/api/v1/cases/{out['created']['submit_single']['cases'][0]}", single["token"])
    bundle_number = out["created"]["submit_bundle"]["number"]
    run("read_bundle_application", "GET", f"/api/v1/applications/{bundle_number}", bundle["token"])
    if settings.ROOT_URLCONF == "submit_lib.floor_urls":
        from django.contrib.sessions.models import Session
        from submit_lib.floor_urls import FLOOR_MARK, FLOOR_PATH

        run("floor", "POST", FLOOR_PATH, single["token"], {"note": "queries"})
        Session.objects.filter(session_key__startswith=FLOOR_MARK).delete()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--users", type=int, required=True)
    q = sub.add_parser("queries")
    q.add_argument("--spec", required=True)
    q.add_argument("--sql", action="store_true")
    args = parser.parse_args()
    _setup()
    if args.command == "prepare":
        result = prepare(args.users)
    else:
        result = queries(json.loads(Path(args.spec).read_text(encoding="utf-8")), args.sql)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
