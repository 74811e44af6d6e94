"""Every subject (anonymous, person, legal person, each staff post, superuser) × every endpoint,
every case action and every admin model: allowed, 403 or 404, exactly as accounts.policy says.

The endpoints are not listed here: they are walked from the URL map and the API's operations,
and each must declare its permission (a new view without one fails the first test). Requests run
inside a savepoint rolled back after each, so every subject meets the same data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.cases.conftest import world  # noqa: F401 - fixture
from tests.factories import make_company, make_data_use, make_staff
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.accounts.admin_site import admin_permission
from yiwang.accounts.models import User
from yiwang.accounts.policy import APPLICANTS, CASE_ACTIONS, POLICY, STAFF, Permission, Subject, allows
from yiwang.accounts.roles import StaffRole
from yiwang.documents.models import Document
from yiwang.licences.models import Licence
from yiwang.sharing.models import DataUse

pytestmark = pytest.mark.django_db

# Machine endpoints outside the policy: the API's own description.
UNGUARDED = {"api/v1/openapi.json", "api/v1/docs", "api/v1/"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    route: str  # the URL pattern, e.g. "workbench/cases/<str:number>/"
    permission: Permission
    api: bool


class Rollback(Exception):
    pass


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route != "admin/":
                yield from _walk(pattern.url_patterns, route)
        else:
            yield route, pattern


def _operations(callback: Any) -> list[Any]:
    """The API operations behind a ninja path view (kept in the view function's closure)."""
    for cell in callback.__closure__ or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations is not None:
            return list(operations)
    return []


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route in UNGUARDED:
            continue
        operations = _operations(pattern.callback)
        if operations:
            for operation in operations:
                for method in operation.methods:
                    permission = getattr(operation.view_func, "permission", None)
                    found.append(Endpoint(method, route, permission, api=True))
        else:
            permission = getattr(pattern.callback, "permission", None)
            found.extend(Endpoint(m, route, permission, api=False) for m in ("GET", "POST"))
    return found


ENDPOINTS = endpoints()


def test_every_endpoint_declares_its_permission():
    missing = sorted({f"{e.method} /{e.route}" for e in ENDPOINTS if e.permission is None})
    assert not missing, f"endpoints without a declared permission: {missing}"


def test_the_policy_covers_every_subject_and_permission():
    assert set(POLICY) == set(Permission)
    assert POLICY[Permission.PUBLIC] == frozenset(Subject)
    assert all(
        actions <= CASE_ACTIONS[Subject.DEPARTMENT_HEAD] | {"supplement", "withdraw"}
        for actions in CASE_ACTIONS.values()
    )


@pytest.fixture
def cast(world):  # noqa: F811 - the fixture imported above
    """A user for every subject, and an application taken in at the clerk's window for the citizen,
    routed to the officer's and head's department — so the object rules let every post act."""
    users = {
        Subject.ANONYMOUS: None,
        Subject.PERSON: world.citizen.user,
        Subject.LEGAL: make_company(),
        Subject.WINDOW_CLERK: world.clerk.user,
        Subject.OFFICER: world.officer.user,
        Subject.DEPARTMENT_HEAD: make_staff(StaffRole.DEPARTMENT_HEAD, department=world.department),
        Subject.CATALOG_ADMIN: make_staff(StaffRole.CATALOG_ADMIN),
        Subject.SUPERVISOR: world.supervisor.user,
        Subject.SUPERUSER: make_staff(is_superuser=True, department=None),
    }
    citizen = world.citizen.user
    response = world.apply(
        world.clerk,
        channel="window",
        applicant={"kind": "person", "name": citizen.name, "id_number": citizen.id_number},
        form={"applicant_name": citizen.name, "applicant_phone": "13800000000"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["materials"][0]["document"], "the cast's application carries an uploaded document"
    return {
        "users": users,
        "application": body["number"],
        "case": body["cases"][0]["number"],
        "document": body["materials"][0]["document"],
        "item": world.item.item.code,
    }


def _url(endpoint: Endpoint, cast: dict[str, Any]) -> str:
    values = {
        "number": cast["case"] if "cases/" in endpoint.route else cast["application"],
        "code": cast["item"],
        "item_code": cast["item"],
        "kind": "acceptance",
        "document_id": cast["document"],
        "identifier": "1.2.156.3005.2.0.0.0.1.0",
        "check_id": "1",
        "mark_id": "1",
        "account_id": "1",
        "message_id": "1",
        "task_id": "1",
        "appeal_id": "1",
        "invitation_id": "1",
    }
    route = endpoint.route
    for name, value in values.items():
        for converter in ("", "str:", "slug:", "int:", "uuid:"):
            route = route.replace(f"<{converter}{name}>", value)
    assert "<" not in route, f"no test value for a parameter of {endpoint.route}"
    return "/" + route


# Well-formed bodies, so that a refusal is the policy's and not the body validation's.
API_BODIES = {
    "api/v1/applications/<number>/actions": {"action": "accept"},
    "api/v1/cases/<number>/actions": {"action": "accept"},
    "api/v1/pledge-checks/<check_id>/conclude": {"truthful": True, "method": "数据共享", "note": "核查"},
    "api/v1/credit-marks/<mark_id>/repair": {"note": "已整改"},
    "api/v1/cases/<number>/rating": {"level": 5},
    "api/v1/cases/<number>/rating/again": {"level": 5},
    "api/v1/rating-invitations/<invitation_id>/rating": {"level": 5},
    "api/v1/rating-tasks/<task_id>/callback": {"note": "已回访"},
    "api/v1/rating-tasks/<task_id>/rectification": {"outcome": "immediate", "result": "已整改"},
    "api/v1/rating-tasks/<task_id>/appeal": {"reason": "mistaken", "statement": "误评"},
    "api/v1/rating-appeals/<appeal_id>/decision": {"upheld": True, "note": "复核"},
    "api/v1/requests/<number>/dispatch": {"department": "amr"},
    "api/v1/requests/<number>/return": {"reason": "非本部门职责"},
    "api/v1/requests/<number>/extension": {"days": 1, "reason": "需要现场核查"},
    "api/v1/requests/<number>/extension/decision": {"approve": True},
    "api/v1/requests/<number>/answer": {"answer": "已答复"},
    "api/v1/requests/<number>/conclusion": {"conclusion": "已办结"},
    "api/v1/requests/<number>/judgement": {"satisfied": True},
    "api/v1/requests": {"type": "consult", "text": "请问食品经营许可怎么办理"},
    "api/v1/requests/track": {"code": "ABCDE-FGHJK"},
}


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="yiwang.accounts.backends.IdentifierBackend")
    return client


def _send(
    client: Client, method: str, url: str, body: dict[str, Any] | None = None, api: bool = False
) -> Any:
    """One request whose writes are rolled back, so the next subject meets the same data."""
    outcome: dict[str, Any] = {}
    try:
        with transaction.atomic():
            if method == "GET":
                outcome["response"] = client.get(url)
            elif api:
                outcome["response"] = client.generic(method, url, json.dumps(body or {}), "application/json")
            else:
                outcome["response"] = client.post(url, body or {})
            raise Rollback
    except Rollback:
        pass
    return outcome["response"]


def _denied_by_policy(response: Any, api: bool) -> bool:
    if response.status_code != 403:
        return False
    if api:
        return response.json().get("code") == "forbidden"
    return response.get("X-Denied-By") == "policy"


def _outcome(response: Any, api: bool) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if api and status == 401:
        return "login"
    if not api and status == 302 and response["Location"].startswith("/accounts/login/?next="):
        return "login"
    if _denied_by_policy(response, api):
        return "forbidden"
    if status == 404:
        return "not_found"
    if status == 405:
        return "wrong_method"  # past the guard: the view answers only GET or only POST
    return "allowed"


def _visible(subject: Subject, route: str) -> bool:
    """Which subjects the cast's application and case are visible to (cases.access)."""
    if not _object_route(route):
        return True
    if "api/v1/" not in route and route.startswith("me/"):
        return subject == Subject.PERSON  # the applicant's own pages
    return subject in {
        Subject.PERSON,
        Subject.WINDOW_CLERK,
        Subject.OFFICER,
        Subject.DEPARTMENT_HEAD,
        Subject.SUPERVISOR,
    }


def expected(endpoint: Endpoint, subject: Subject) -> set[str]:
    if endpoint.permission == Permission.KIOSK_SELF:
        return {"kiosk_login"}  # the kiosk keeps its own sign-in (ID number + PIN)
    if endpoint.route.startswith("workbench/") and subject in APPLICANTS:
        return {"forbidden"}  # staff only, whatever else the permission grants applicants (their own uploads)
    if subject not in POLICY[endpoint.permission]:
        return {"login"} if subject == Subject.ANONYMOUS else {"forbidden"}
    if not _visible(subject, endpoint.route):
        return {"not_found", "wrong_method"}
    if _object_route(endpoint.route) and endpoint.method == "GET" and "kind>" not in endpoint.route:
        return {"allowed", "wrong_method"}  # the cast's application or case, visible to this subject
    # Other objects named in the URL (bundles, licences, checks …) may not exist in the cast:
    # the permission was granted if the answer is anything but a denial.
    return {"allowed", "not_found", "wrong_method"}


def _object_route(route: str) -> bool:
    return any(part in route for part in ("applications/<", "cases/<"))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} /{e.route}")
def test_each_subject_gets_what_the_policy_grants(endpoint, cast):
    if endpoint.permission is None:
        pytest.skip("reported by test_every_endpoint_declares_its_permission")
    mismatches = []
    for subject, user in cast["users"].items():
        body = API_BODIES.get(endpoint.route)
        response = _send(_client(user), endpoint.method, _url(endpoint, cast), body, api=endpoint.api)
        got = _outcome(response, endpoint.api)
        if got == "allowed" and response.status_code == 302 and "/kiosk/login/" in response["Location"]:
            got = "kiosk_login"
        if got not in expected(endpoint, subject):
            mismatches.append(
                f"{subject}: {got} ({response.status_code}), expected {expected(endpoint, subject)}"
            )
    assert not mismatches, "\n".join(mismatches)


def test_a_kiosk_session_opens_the_kiosk_pages_and_nothing_else(cast, settings):
    """The citizen signed in at a kiosk (ID number + PIN): their kiosk pages, and elsewhere no more than
    an anonymous visitor — a PIN never opens the portal, the API or a workbench."""
    from yiwang.kiosk.services import kiosk_pin_set

    settings.YIWANG_KIOSK_IDLE_SECONDS = 3600  # the walk outlasts the kiosk's idle time
    citizen = cast["users"][Subject.PERSON]
    kiosk_pin_set(user=citizen, pin="246810")
    kiosk = Client()
    signed_in = kiosk.post("/kiosk/login/", {"id_number": citizen.id_number, "pin": "246810"})
    assert signed_in.status_code == 302, "signed in at the kiosk"
    session = kiosk.cookies[settings.SESSION_COOKIE_NAME].value
    mismatches = []
    for endpoint in ENDPOINTS:
        if endpoint.permission is None:
            continue
        body = API_BODIES.get(endpoint.route)
        response = _send(kiosk, endpoint.method, _url(endpoint, cast), body, api=endpoint.api)
        kiosk.cookies[settings.SESSION_COOKIE_NAME] = session  # a sign-out above was rolled back
        got = _outcome(response, endpoint.api)
        if got == "allowed" and response.status_code == 302 and "/kiosk/login/" in response["Location"]:
            got = "kiosk_login"
        if endpoint.permission == Permission.KIOSK_SELF:
            wanted = {"allowed", "not_found", "wrong_method"}
        else:
            wanted = expected(endpoint, Subject.ANONYMOUS)
        if got not in wanted:
            mismatches.append(
                f"{endpoint.method} /{endpoint.route}: {got} ({response.status_code}), expected {wanted}"
            )
    assert not mismatches, "\n".join(mismatches)


CASE_ACTION_NAMES = sorted(set().union(*CASE_ACTIONS.values()))


@pytest.mark.parametrize("action", CASE_ACTION_NAMES)
def test_each_post_may_take_exactly_its_case_actions(action, cast):
    mismatches = []
    for subject, user in cast["users"].items():
        if user is None:
            continue
        body = {
            "action": action,
            "reason": "矩阵测试",
            "result": {"结论": "准予"},
            "kind": "hearing",
            "items": [],
        }
        response = _send(_client(user), "POST", f"/api/v1/cases/{cast['case']}/actions", body, api=True)
        status, code = response.status_code, response.json().get("code")
        if subject not in POLICY[Permission.CASE_ACT]:
            ok = status == 403 and code == "forbidden"
        elif not _visible(subject, "cases/<"):
            ok = status == 404
        elif action in CASE_ACTIONS.get(subject, frozenset()):
            ok = status in (200, 409, 422) or (
                status == 403 and code != "action_forbidden" and code != "forbidden"
            )
        else:
            ok = status == 403 and code == "action_forbidden"
        if not ok:
            mismatches.append(f"{subject}: {status} {code}")
    assert not mismatches, f"{action}: " + "; ".join(mismatches)


ADMIN_MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_each_subject_sees_exactly_the_admin_models_the_policy_grants(model, cast):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    permission = admin_permission(model)
    mismatches = []
    for subject, user in cast["users"].items():
        response = _client(user).get(url)
        if subject not in POLICY[Permission.ADMIN_SITE]:
            ok = response.status_code == 302 and response["Location"].startswith("/admin/login/")
        elif subject not in POLICY[permission]:
            ok = response.status_code == 403
        else:
            ok = response.status_code == 200
        if not ok:
            mismatches.append(f"{subject}: {response.status_code}")
    assert not mismatches, "; ".join(mismatches)


def test_materials_open_only_to_the_posts_that_handle_the_case(cast):
    """Document downloads by post: the clerk who took the application in, the officer and the head of
    the case's department open its material; 效能监察, the catalog admin and the superuser are refused
    by the policy (they see the case masked: the scan is not one click away), applicants are sent to
    their own pages. Through the API a material is its uploader's only (the clerk's here)."""
    number, case, document = cast["application"], cast["case"], cast["document"]
    workbench = [
        f"/workbench/cases/{case}/documents/{document}/",
        f"/workbench/applications/{number}/documents/{document}/",
    ]
    readers = POLICY[Permission.DOCUMENT_READ]
    mismatches = []
    for subject, user in cast["users"].items():
        for url in workbench:
            response = _send(_client(user), "GET", url)
            if user is None:
                want = "login"
            else:
                want = "allowed" if subject in readers and subject in STAFF else "forbidden"
            got = _outcome(response, api=False)
            if got == "allowed" and response.get("Content-Type") != "application/pdf":
                got = f"allowed without the file ({response.status_code})"
            if got != want:
                mismatches.append(f"{subject} {url}: {got}, expected {want}")
        response = _send(_client(user), "GET", f"/api/v1/documents/{document}/content", api=True)
        if user is None:
            want = "login"
        elif subject not in readers:
            want = "forbidden"
        else:
            want = "allowed" if subject == Subject.WINDOW_CLERK else "not_found"
        if (got := _outcome(response, api=True)) != want:
            mismatches.append(f"{subject} API content: {got}, expected {want}")
    assert not mismatches, "\n".join(mismatches)
    assert Subject.SUPERVISOR not in readers and Subject.OFFICER in readers


def test_admin_change_pages_show_identifiers_masked_to_posts_without_clear_data(cast):
    """Every admin model's change page and list, for every post that may open them: no clear ID or
    mobile number unless the post holds PERSONAL_DATA_CLEAR (none of the admin's posts does)."""
    citizen = cast["users"][Subject.PERSON]
    company = cast["users"][Subject.LEGAL]
    User.objects.filter(pk=citizen.pk).update(mobile="13912345678")
    use = make_data_use(citizen.id_number, reason=f"核对 {citizen.id_number}，电话 13912345678")
    licence = make_licence(
        citizen, licence_type=make_licence_type(code="11100000000013338W001"), number=citizen.id_number
    )
    Document.objects.filter(pk=cast["document"]).update(original_name=f"身份证{citizen.id_number}.pdf")
    shown: dict[type, Any] = {
        User: citizen,
        DataUse: use,
        Licence: licence,
        Document: Document.objects.get(pk=cast["document"]),
    }
    clear = [citizen.id_number, "13912345678", company.legal_representative_id_number]
    mismatches = []
    for model in ADMIN_MODELS:
        obj = shown.get(model) or model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        meta = model._meta
        urls = [
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        ]
        for subject, user in cast["users"].items():
            if subject not in POLICY[Permission.ADMIN_SITE] or subject not in POLICY[admin_permission(model)]:
                continue
            for url in urls:
                response = _send(_client(user), "GET", url)
                page = response.content.decode()
                leaked = [value for value in clear if value in page]
                if response.status_code != 200:
                    mismatches.append(f"{subject} {url}: {response.status_code}")
                elif leaked and not allows(user, Permission.PERSONAL_DATA_CLEAR):
                    mismatches.append(f"{subject} {url}: shows {len(leaked)} clear identifier(s)")
    assert not mismatches, "\n".join(mismatches)
