"""Submitting an application: everything wrong reported at once, field by field; retries are idempotent."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen, make_document
from yiwang.audit.models import AuditEntry
from yiwang.cases.models import Application, Case, CaseEvent
from yiwang.documents.models import Document

pytestmark = pytest.mark.django_db


def _full_body(world) -> dict:
    """A complete single-item application of the world's citizen, with a document of theirs."""
    document = make_document(world.citizen.user)
    return {
        "item": world.item.item.code,
        "channel": "web",
        "form": {"applicant_name": "张三", "applicant_phone": "13800000000"},
        "materials": [{"material": m.id, "document": str(document.id)} for m in world.item.materials.all()],
    }


def test_everything_missing_or_invalid_is_reported_at_once(world):
    response = world.apply(
        form={"applicant_name": "", "applicant_phone": "12", "shoe_size": 42}, materials=[]
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["form.applicant_phone"] == ["格式不正确"]
    assert fields["form.shoe_size"] == ["不是该申请表的字段"]
    missing = [m for k, v in fields.items() if k.startswith("materials.") for m in v]
    assert sorted(missing) == [
        "缺少必要材料：居民身份证（食品经营许可）",
        "缺少必要材料：经营场所证明（食品经营许可）",
    ]
    assert not Application.objects.exists() and not Case.objects.exists()


def test_required_form_field_missing_is_named(world):
    response = world.apply(form={"applicant_name": "张三"})
    assert response.json()["fields"]["form.applicant_phone"] == ["必填"]


def test_pledge_replaces_a_material_that_allows_it(world):
    ids = [m.id for m in world.item.materials.all()]
    document = make_document(world.citizen.user)
    response = world.apply(
        materials=[{"material": ids[0], "document": str(document.id)}, {"material": ids[1], "pledge": True}]
    )
    assert response.status_code == 201
    pledged = [m for m in response.json()["materials"] if m["way"] == "pledge"]
    assert [m["name"] for m in pledged] == ["经营场所证明"]


def test_pledge_is_refused_where_the_item_does_not_allow_it(world):
    ids = [m.id for m in world.item.materials.all()]
    response = world.apply(
        materials=[{"material": ids[0], "pledge": True}, {"material": ids[1], "pledge": True}]
    )
    assert response.json()["fields"]["materials[0].pledge"] == ["“居民身份证”不适用告知承诺，须提交材料"]


def test_someone_elses_document_cannot_be_used(world):
    other = make_citizen()
    stranger_document = make_document(other)
    ids = [m.id for m in world.item.materials.all()]
    response = world.apply(
        materials=[
            {"material": ids[0], "document": str(stranger_document.id)},
            {"material": ids[1], "pledge": True},
        ]
    )
    assert response.json()["fields"]["materials[0].document"] == ["未找到该文件，请先上传"]


def test_a_licence_the_applicant_does_not_hold_is_refused(world):
    ids = [m.id for m in world.item.materials.all()]
    response = world.apply(
        materials=[{"material": ids[0], "licence": "1.2.156.3005.2.X"}, {"material": ids[1], "pledge": True}]
    )
    assert response.json()["fields"]["materials[0].licence"] == ["未找到申请人持有的有效电子证照"]


def test_material_of_another_item_is_refused(world):
    from tests.factories import make_item

    foreign = make_item(name="别的事项").materials.first()
    response = world.apply(materials=[{"material": foreign.id, "pledge": True}])
    assert response.json()["fields"]["materials[0].material"] == ["不是所申请事项的申请材料"]


def test_unpublished_item_is_a_field_error(world):
    response = world.apply(item="NOPE")
    assert response.status_code == 422
    assert response.json()["fields"]["item"] == ["未找到该事项或事项未发布"]


def test_citizen_cannot_apply_in_someone_elses_name(world):
    response = world.apply(applicant={"kind": "person", "name": "李四", "id_number": "11010519491231002X"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_own_application"


def test_window_application_needs_a_valid_id_number(world):
    response = world.clerk.post(
        "/applications",
        {
            "item": world.item.item.code,
            "channel": "window",
            "applicant": {"kind": "person", "name": "李四", "id_number": "110105194912310021"},
            "form": {"applicant_name": "李四", "applicant_phone": "13800000000"},
            "materials": [],
        },
    )
    assert response.status_code == 422
    assert response.json()["fields"]["applicant.id_number"] == ["公民身份号码校验位不正确，请核对后重新输入"]


def test_officer_cannot_submit_applications(world):
    response = world.apply(who=world.officer)
    assert response.status_code == 403


def test_malformed_body_gets_a_field_error(world):
    response = world.citizen.post("/applications", {"item": world.item.item.code, "materials": "lots"})
    assert response.status_code == 422
    assert response.json()["fields"]["materials"] == ["须为数组"]


def test_unauthenticated_submission_is_401(client, world):
    response = client.post("/api/v1/applications", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_retry_with_the_same_idempotency_key_returns_the_first_result(world):
    assert world.apply().status_code == 201  # an earlier application without a key
    body = _full_body(world)
    one = world.citizen.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "retry-1"})
    two = world.citizen.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "retry-1"})
    assert one.status_code == two.status_code == 201
    assert one.json()["number"] == two.json()["number"]
    assert Application.objects.count() == 2 and Case.objects.count() == 2


def test_a_retry_writes_nothing_not_even_an_audit_entry(world):
    body = _full_body(world)
    first = world.citizen.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "once"})
    counts = (Application.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count())
    again = world.citizen.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "once"})
    assert again.status_code == 201 and again.json() == first.json()
    assert (Application.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count()) == counts


def test_a_retry_returns_the_first_result_even_when_the_request_would_now_fail(world):
    body = _full_body(world)
    first = world.citizen.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "before"})
    Document.objects.filter(pk=body["materials"][0]["document"]).update(
        owner=make_citizen()
    )  # no longer the caller's
    again = world.citizen.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "before"})
    assert again.status_code == 201 and again.json()["number"] == first.json()["number"]
    fresh = world.citizen.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "after"})
    assert fresh.status_code == 422 and "materials[0].document" in fresh.json()["fields"]
    assert Application.objects.count() == 1


def test_reusing_an_idempotency_key_for_a_different_request_is_a_conflict(world):
    body = _full_body(world)
    world.citizen.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "k"})
    other = world.citizen.post(
        "/applications", {**body, "channel": "mobile"}, headers={"HTTP_IDEMPOTENCY_KEY": "k"}
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"


def test_idempotency_keys_are_per_caller(client, world):
    other = ApiUser(client, make_citizen())
    numbers = []
    for who in (world.citizen, other):
        document = make_document(who.user)
        body = {
            "item": world.item.item.code,
            "channel": "web",
            "form": {"applicant_name": who.user.name, "applicant_phone": "13800000000"},
            "materials": [
                {"material": m.id, "document": str(document.id)} for m in world.item.materials.all()
            ],
        }
        response = who.post("/applications", body, headers={"HTTP_IDEMPOTENCY_KEY": "same-key"})
        assert response.status_code == 201
        numbers.append(response.json()["number"])
    assert numbers[0] != numbers[1]


def test_case_numbers_carry_region_date_and_sequence(world):
    from django.utils import timezone

    first, second = (world.apply().json() for _ in range(2))
    region, day, sequence = first["number"].split("-")
    assert region == "330100" and day == f"{timezone.localdate():%Y%m%d}"
    assert len(sequence) == 8 and sequence.isdigit()
    assert int(second["number"].split("-")[2]) > int(sequence)
    assert [c["number"] for c in first["cases"]] == [f"{first['number']}-01"]


def test_a_sequence_past_eight_digits_is_written_whole(world):
    from django.db import connection

    from yiwang.cases.numbers import APPLICATION_SEQUENCE
    from yiwang.core.models import NumberSequence
    from yiwang.core.sequences import postgres_sequence_name

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(%s, 123456789)", [postgres_sequence_name(APPLICATION_SEQUENCE)])
    else:
        NumberSequence.objects.update_or_create(name=APPLICATION_SEQUENCE, defaults={"value": 123456789})

    assert world.apply().json()["number"].endswith("-123456790")


def test_the_application_form_material_is_the_form_filled_in(world):
    from tests.factories import make_item

    world.item = make_item(
        department=world.department,
        name="出生登记",
        materials=[{"name": "出生登记申请表", "is_application_form": True}, {"name": "出生医学证明"}],
    )
    ids = [m.id for m in world.item.materials.all()]
    document = make_document(world.citizen.user)
    response = world.apply(materials=[{"material": ids[1], "document": str(document.id)}])
    assert response.status_code == 201, response.json()
    form = next(m for m in response.json()["materials"] if m["name"] == "出生登记申请表")
    assert (form["way"], form["note"]) == ("form", "以在线填报的申请表代替")


def test_a_submission_locks_only_its_own_audit_chain_and_the_trail_verifies(world, settings):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.YIWANG_AUDIT_CHAINS = 2
    for _ in range(2):  # the first submission on each chain makes its head
        assert world.apply().status_code == 201
    document = make_document(world.citizen.user)  # the upload is its own request, before the submission
    body = {
        "item": world.item.item.code,
        "form": {"applicant_name": world.citizen.user.name, "applicant_phone": "13800000000"},
        "materials": [{"material": m.id, "document": str(document.id)} for m in world.item.materials.all()],
        "channel": "web",
    }
    with CaptureQueriesContext(connection) as queries:
        assert world.citizen.post("/applications", body).status_code == 201

    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(locks) == 1 and '"audit_chainhead"' in locks[0], locks
    entries = list(AuditEntry.objects.filter(action="application.submit").order_by("id"))
    assert {e.chain for e in entries} == {0, 1}
    call_command("audit", "verify")
