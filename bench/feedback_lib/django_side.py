"""The parts of bench/feedback that run inside Django (the project's venv, the bench database).

    python bench/feedback_lib/django_side.py prepare --users N --cases M --clerks C --bad-share F --out DIR
        N bench citizens with an API token each (submit_lib.django_side.prepare), M ended cases of
        theirs (办结 an hour ago, in departments whose officers and head get the 差评 messages), C bench
        window clerks at the 市民中心 with a token each, and in DIR the wrk data: rate.tsv (one
        POST /api/v1/cases/<number>/rating per case, F of them 差评, evenly spread) and tablet.tsv (a clerk per
        line and a rating body each). The cases are written directly (bulk_create): the bench measures
        rating them, not taking them through the case engine.
    python bench/feedback_lib/django_side.py queries --spec FILE
        Queries of one 好评, one 差评 and one invite + rating on the 评价器 (Django test client, in
        process; each kind twice, the second counted).
    python bench/feedback_lib/django_side.py verify --after-rating R --after-message M
        What the phases left: ratings by scope and level, 差评 tasks, their messages.

DATABASE_URL must point at the bench database; each subcommand prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # submit_lib
CLERK_PREFIX = "bench_clerk"
# Departments of the demo with an officer (and 市场监管 a head): a 差评 there notifies someone.
DEPARTMENTS = ["scjg", "rsj", "gjj", "swj", "gazagl"]
GOOD_OPTIONS = {5: ["516", "517", "513"], 4: ["408", "412", "409"], 3: ["309", "314"]}
QUERY_CASES = 4  # rated by `queries`: a 好评 and a 差评, each twice
BAD = [(1, ["110"], "超过承诺时限才办完，中间没有任何告知"), (2, ["212"], "补正要求分了两次才说清楚")]


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


def _bad(n: int, share: float) -> bool:
    """Whether the n-th rating is a 差评: spread evenly, so any run of ratings holds `share` of them."""
    return int((n + 1) * share) > int(n * share)


def _body(rng: random.Random, bad: bool, *, onsite: bool) -> dict[str, Any]:
    """A rating as people give them: mostly 5 and 4 stars, some 3; a 差评 with its reason."""
    if bad:
        level, chosen, text = rng.choice(BAD)
        body: dict[str, Any] = {"level": level, "options": chosen, "text": text}
    else:
        level = rng.choices([5, 4, 3], [78, 19, 3])[0]
        body = {"level": level, "options": rng.sample(GOOD_OPTIONS[level], 1) if rng.random() < 0.5 else []}
        if rng.random() < 0.3:
            body["indicators"] = {"efficiency": level, ("attitude" if onsite else "convenience"): level}
    if not onsite:
        body["channel"] = rng.choice(["pc", "mobile", "mobile", "sms"])
    return body


def prepare(users: int, cases: int, clerks: int, bad_share: float, out: Path) -> dict[str, Any]:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from submit_lib.django_side import prepare as users_prepare

    from yiwang.accounts.models import ApiToken, User, UserKind
    from yiwang.accounts.roles import StaffRole
    from yiwang.accounts.services import token_digest
    from yiwang.cases.models import (
        ApplicantKind,
        Application,
        ApplicationStatus,
        Case,
        CaseEvent,
        Channel,
    )
    from yiwang.cases.states import CaseStatus
    from yiwang.catalog.models import ItemVersion, ServiceItem, ServicePoint

    citizens = [u for u in users_prepare(users)["users"] if u["kind"] == UserKind.PERSON]
    people = {u.username: u for u in User.objects.filter(username__in=[c["username"] for c in citizens])}
    published = ServiceItem.objects.filter(department__code__in=DEPARTMENTS, published_version__isnull=False)
    versions = list(
        ItemVersion.objects.filter(pk__in=published.values("published_version"))
        .select_related("item__department")
        .order_by("pk")
    )
    if not versions:
        sys.exit("no published items in the demo departments: load the demo first")
    officers = {}
    for user in User.objects.filter(kind=UserKind.STAFF, department__code__in=DEPARTMENTS).order_by("pk"):
        if user.has_role(StaffRole.OFFICER):
            officers.setdefault(user.department_id, user)
    now = timezone.now()
    today = timezone.localdate(now)
    ended = now - timedelta(hours=1)
    stamp = secrets.token_hex(2).upper()  # numbers of this run, beside a kept database's earlier ones
    applications, rows = [], []
    for n in range(cases + QUERY_CASES):
        # the last ones are the first citizen's, for the query count after the phases
        citizen = citizens[n % len(citizens)] if n < cases else citizens[0]
        person = people[citizen["username"]]
        version = versions[n % len(versions)]
        number = f"{settings.YIWANG_REGION_CODE}-{today:%Y%m%d}-B{stamp}{n:06d}"
        applications.append(
            Application(
                number=number,
                item_version=version,
                status=ApplicationStatus.COMPLETED,
                channel=Channel.WEB,
                applicant_user=person,
                applicant_kind=ApplicantKind.PERSON,
                applicant_name=person.name,
                applicant_id_type="111",
                applicant_id_number=citizen["id_number"],
                submitted_by=person,
                region_code=settings.YIWANG_REGION_CODE,
            )
        )
        rows.append((number, version, citizen))
    with transaction.atomic():
        Application.objects.bulk_create(applications, batch_size=1000)
        officer_of = {v.item.department_id: officers.get(v.item.department_id) for v in versions}
        case_rows = [
            Case(
                number=f"{application.number}-01",
                application=application,
                item_version=version,
                department_id=version.item.department_id,
                status=CaseStatus.COMPLETED,
                case_type=version.case_type,
                received_on=today - timedelta(days=7),
                supplement_deadline=today - timedelta(days=2),
                accepted_at=ended - timedelta(days=6),
                accepted_on=today - timedelta(days=6),
                accepted_by=officer_of[version.item.department_id],
                promised_days=version.promised_limit_days,
                statutory_days=version.statutory_limit_days,
                decided_at=ended - timedelta(minutes=5),
                completed_at=ended,
            )
            for application, (_, version, _) in zip(applications, rows, strict=True)
        ]
        Case.objects.bulk_create(case_rows, batch_size=1000)
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case=case,
                    action="complete",
                    from_status=CaseStatus.APPROVED,
                    to_status=CaseStatus.COMPLETED,
                    actor=case.accepted_by,
                    actor_role=StaffRole.OFFICER,
                    at=ended,
                )
                for case in case_rows
            ],
            batch_size=1000,
        )
        # 评价器 at the 市民中心's windows: one clerk per wrk connection, of the departments above
        centre = ServicePoint.objects.filter(code="centre").first()
        departments = sorted({v.item.department_id for v in versions})
        start = User.objects.filter(username__startswith=CLERK_PREFIX).count()
        staff = User.objects.bulk_create(
            [
                User(
                    username=f"{CLERK_PREFIX}{start + i:04d}",
                    kind=UserKind.STAFF,
                    name=f"压测窗口{start + i}",
                    department_id=departments[i % len(departments)],
                    service_point=centre,
                    roles=[StaffRole.WINDOW_CLERK.value],
                    password=make_password(None),
                )
                for i in range(clerks)
            ]
        )
        clerk_tokens = [secrets.token_urlsafe(32) for _ in staff]
        ApiToken.objects.bulk_create(
            [
                ApiToken(user=u, digest=token_digest(t), expires_at=now + timedelta(days=2))
                for u, t in zip(staff, clerk_tokens, strict=True)
            ]
        )
    rng = random.Random(7)
    rate_lines, bad = [], 0
    for n, (number, _version, citizen) in enumerate(rows[:cases]):
        body = _body(rng, _bad(n, bad_share), onsite=False)
        bad += body["level"] <= 2
        path = f"/api/v1/cases/{number}-01/rating"
        rate_lines.append(f"{citizen['token']}\t{path}\t{json.dumps(body, ensure_ascii=False)}")
    tablet_lines = [
        f"{clerk_tokens[i % len(clerk_tokens)]}\t{json.dumps(_body(rng, _bad(i, bad_share), onsite=True), ensure_ascii=False)}"
        for i in range(max(1000, clerks))
    ]
    out.mkdir(parents=True, exist_ok=True)
    (out / "rate.tsv").write_text("".join(f"{line}\n" for line in rate_lines), encoding="utf-8")
    (out / "tablet.tsv").write_text("".join(f"{line}\n" for line in tablet_lines), encoding="utf-8")
    spec = {
        "citizen": {"token": citizens[0]["token"], "cases": [f"{n}-01" for n, _, _ in rows[cases:]]},
        "clerk": clerk_tokens[0],
    }
    return {"users": len(citizens), "cases": cases, "bad": bad, "clerks": len(staff), "spec": spec}


def queries(spec: dict[str, Any]) -> dict[str, Any]:
    """Queries per request of the phases' kinds, each the second time (the first warms caches)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    cases = list(spec["citizen"]["cases"])
    out: dict[str, Any] = {}

    def post(token: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
            )
        if response.status_code != 201:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.content[:300]!r}")
        return len(captured.captured_queries), response.json()

    for label, body in (
        ("rating (好评)", {"level": 5, "options": ["517"], "channel": "mobile"}),
        ("rating (差评: task and messages)", {"level": 1, "options": ["110"], "channel": "mobile"}),
    ):
        for _ in range(2):
            if len(cases) < 1:
                raise SystemExit("not enough cases of the first bench citizen left for the query count")
            counted, _ = post(spec["citizen"]["token"], f"/api/v1/cases/{cases.pop()}/rating", body)
        out[label] = counted
    for _ in range(2):
        invited, answer = post(spec["clerk"], "/api/v1/rating-invitations", {})
        rated, _ = post(spec["clerk"], f"/api/v1/rating-invitations/{answer['id']}/rating", {"level": 5})
    out["评价器: invite"] = invited
    out["评价器: rating"] = rated
    return out


def verify(after_rating: int, after_message: int) -> dict[str, Any]:
    from django.db.models import Count, Q

    from yiwang.accounts.models import User, UserKind
    from yiwang.accounts.roles import StaffRole
    from yiwang.feedback.models import BAD_LEVELS, BadRatingTask, Rating
    from yiwang.notifications.models import Message, MessageKind

    ratings = Rating.objects.filter(pk__gt=after_rating)
    by_scope = {
        row["scope"]: {"ratings": row["n"], "bad": row["bad"]}
        for row in ratings.values("scope").annotate(
            n=Count("pk"), bad=Count("pk", filter=Q(level__in=BAD_LEVELS))
        )
    }
    tasks = BadRatingTask.objects.filter(rating__pk__gt=after_rating)
    # every task notifies each officer and the head of its department (rectification.task_open)
    per_task = {}
    for department in set(tasks.values_list("department_id", flat=True)):
        staff = User.objects.filter(kind=UserKind.STAFF, department_id=department, is_active=True)
        per_task[department] = sum(
            1 for u in staff if u.has_role(StaffRole.OFFICER) or u.has_role(StaffRole.DEPARTMENT_HEAD)
        )
    expected = sum(per_task[d] for d in tasks.values_list("department_id", flat=True))
    messages = Message.objects.filter(pk__gt=after_message, kind=MessageKind.BAD_RATING).count()
    twice = (
        ratings.filter(scope="matter", previous__isnull=True)
        .values("case_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "by_scope": by_scope,
        "tasks": tasks.count(),
        "messages": messages,
        "messages_expected": expected,
        "cases_rated_twice": twice,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--users", type=int, required=True)
    p.add_argument("--cases", type=int, required=True)
    p.add_argument("--clerks", type=int, required=True)
    p.add_argument("--bad-share", type=float, required=True)
    p.add_argument("--out", type=Path, required=True)
    q = sub.add_parser("queries")
    q.add_argument("--spec", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--after-rating", type=int, required=True)
    v.add_argument("--after-message", type=int, required=True)
    args = parser.parse_args()
    _setup()
    if args.command == "prepare":
        result = prepare(args.users, args.cases, args.clerks, args.bad_share, args.out)
    elif args.command == "queries":
        result = queries(json.loads(Path(args.spec).read_text(encoding="utf-8")))
    else:
        result = verify(args.after_rating, args.after_message)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
