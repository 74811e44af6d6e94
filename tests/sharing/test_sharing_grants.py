"""A department reads a holder's licences only with a reason, for its own case, and only with the
holder's authorisation or a legal basis; everything else is 403 — and every attempt is logged."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen, make_data_use, make_document
from tests.licences.conftest import make_licence
from yiwang.catalog.models import ItemVersion
from yiwang.sharing.models import DataUse

pytestmark = pytest.mark.django_db


def submit(world, *, consent: bool) -> dict:
    document = make_document(world.citizen.user)
    body = {
        "item": world.item.item.code,
        "channel": "web",
        "sharing_consent": consent,
        "form": {"applicant_name": "张三", "applicant_phone": "13800000000"},
        "materials": [{"material": m.id, "document": str(document.id)} for m in world.item.materials.all()],
    }
    response = world.citizen.post("/applications", body)
    assert response.status_code == 201, response.json()
    return response.json()


def query(api, holder: str, **params):
    return api.get("/licences", {"holder": holder, **params})


def test_holder_reads_their_own_licences_without_a_reason(world):
    make_licence(world.citizen.user)
    response = world.citizen.get("/licences")
    assert response.status_code == 200 and len(response.json()) == 1


def test_officer_with_reason_and_consent_reads_and_it_is_logged(world):
    make_licence(world.citizen.user)
    case = submit(world, consent=True)["cases"][0]["number"]
    response = query(world.officer, world.citizen.user.id_number, reason="核验申请人经营资质", case=case)
    assert response.status_code == 200 and len(response.json()) == 1
    use = DataUse.objects.get()
    assert (use.outcome, use.basis, use.case_number, use.reason) == (
        "granted",
        "holder_authorised",
        case,
        "核验申请人经营资质",
    )
    assert use.department_name == world.department.name


def test_officer_without_a_reason_is_refused_and_logged(world):
    case = submit(world, consent=True)["cases"][0]["number"]
    response = query(world.officer, world.citizen.user.id_number, case=case)
    assert response.status_code == 422
    assert response.json()["fields"] == {"reason": ["须填写申请事由"]}
    assert DataUse.objects.get().outcome == "refused"


def test_reason_longer_than_200_characters_is_refused(world):
    case = submit(world, consent=True)["cases"][0]["number"]
    response = query(world.officer, world.citizen.user.id_number, case=case, reason="长" * 201)
    assert response.status_code == 422


def test_without_consent_or_legal_basis_the_read_is_forbidden(world):
    case = submit(world, consent=False)["cases"][0]["number"]
    response = query(world.officer, world.citizen.user.id_number, reason="核验", case=case)
    assert response.status_code == 403
    assert (
        response.json()["message"] == "查询被拒绝：申请人未授权共享，且该事项无法定共享依据（本次查询已记录）"
    )
    assert DataUse.objects.get().refusal == "申请人未授权共享，且该事项无法定共享依据"


def test_a_legal_basis_allows_the_read_without_consent(world):
    ItemVersion.objects.filter(pk=world.item.pk).update(sharing_basis="《食品经营许可管理办法》第十二条")
    case = submit(world, consent=False)["cases"][0]["number"]
    response = query(world.officer, world.citizen.user.id_number, reason="核验", case=case)
    assert response.status_code == 200
    assert DataUse.objects.get().basis == "legal_basis"


def test_another_departments_officer_is_forbidden(world):
    case = submit(world, consent=True)["cases"][0]["number"]
    response = query(world.other_officer, world.citizen.user.id_number, reason="核验", case=case)
    assert response.status_code == 403
    assert DataUse.objects.get().refusal == "不是本部门经办的办件"


def test_a_holder_who_is_not_the_cases_applicant_is_forbidden(world):
    case = submit(world, consent=True)["cases"][0]["number"]
    response = query(world.officer, "11010519491231002X", reason="顺便查一下", case=case)
    assert response.status_code == 403


def test_a_citizen_cannot_read_another_holder(world):
    response = query(world.citizen, "11010519491231002X")
    assert response.status_code == 403
    assert response.json()["code"] == "sharing_refused"


def test_another_applicants_refused_read_leaves_the_holders_log_unchanged(world, client):
    holder = world.citizen.user
    make_data_use(holder.id_number)  # a department's read the holder already sees
    stranger = ApiUser(client, make_citizen())

    response = query(stranger, holder.id_number, reason="本人查询", case="伪造的办件")

    assert response.status_code == 403
    assert DataUse.objects.count() == 1
    uses = world.citizen.get("/me/data-uses").json()
    assert uses["count"] == 1 and uses["items"][0]["reason"] == "核验"


def test_a_burst_of_refused_reads_by_one_applicant_gets_429(world, client, settings):
    settings.YIWANG_FOREIGN_READS_PER_ACCOUNT = 3
    stranger = ApiUser(client, make_citizen())

    answers = [query(stranger, world.citizen.user.id_number).status_code for _ in range(5)]

    assert answers == [403, 403, 403, 429, 429]
    assert not DataUse.objects.exists()
    assert query(stranger, stranger.user.id_number).status_code == 200, "own reads are not throttled"


def test_refused_reads_logged_before_the_fix_are_not_in_the_holders_log(world, client):
    holder = world.citizen.user
    stranger = make_citizen()
    make_data_use(
        holder.id_number,
        actor_id=stranger.pk,
        actor_name=stranger.name,
        department_name="",
        reason="陌生人写入的文字",
        outcome="refused",
    )
    make_data_use(holder.id_number, outcome="refused", reason="核验")  # a department's refused read

    uses = world.citizen.get("/me/data-uses").json()

    assert [u["reason"] for u in uses["items"]] == ["核验"]


def test_the_holder_sees_every_use_of_their_data(world):
    case = submit(world, consent=True)["cases"][0]["number"]
    query(world.officer, world.citizen.user.id_number, reason="核验经营资质", case=case)
    query(world.other_officer, world.citizen.user.id_number, reason="好奇", case=case)
    uses = world.citizen.get("/me/data-uses").json()
    assert uses["count"] == 2
    assert [u["outcome"] for u in uses["items"]] == ["refused", "granted"]
    assert (
        uses["items"][1]["department"] == world.department.name
        and uses["items"][1]["reason"] == "核验经营资质"
    )


def test_staff_viewing_one_licence_needs_a_reason_too(world):
    licence = make_licence(world.citizen.user)
    case = submit(world, consent=True)["cases"][0]["number"]
    assert world.officer.get(f"/licences/{licence.identifier}").status_code == 422
    ok = world.officer.get(f"/licences/{licence.identifier}", {"reason": "核验", "case": case})
    assert ok.status_code == 200
    assert [u.outcome for u in DataUse.objects.order_by("seq")] == ["refused", "granted"]
