"""告知承诺: pledge → post-verification task → found false → decision revoked → credit mark →
pledge refused → repaired → pledge allowed again."""

from __future__ import annotations

import pytest

from tests.factories import make_document

pytestmark = pytest.mark.django_db


def apply_with_pledge(world):
    ids = [m.id for m in world.item.materials.all()]
    document = make_document(world.citizen.user)
    return world.apply(
        materials=[{"material": ids[0], "document": str(document.id)}, {"material": ids[1], "pledge": True}]
    )


def completed_pledged_case(world) -> str:
    response = apply_with_pledge(world)
    assert response.status_code == 201, response.json()
    case = response.json()["cases"][0]["number"]
    for action in ("accept", "start_review", "approve", "complete"):
        assert world.officer.act(case, action).status_code == 200
    return case


def test_acceptance_opens_a_post_verification_task_with_a_due_date(world):
    case = completed_pledged_case(world)
    checks = world.officer.get("/pledge-checks").json()["items"]
    assert [(c["case"], c["material"], c["status"]) for c in checks] == [(case, "经营场所证明", "pending")]
    assert checks[0]["pledge_text"].startswith("本人承诺")
    assert checks[0]["due_on"] > world.officer.get(f"/cases/{case}").json()["deadlines"]["accepted_on"]


def test_other_departments_do_not_see_the_task(world):
    completed_pledged_case(world)
    assert world.other_officer.get("/pledge-checks").json()["count"] == 0


def test_a_truthful_pledge_changes_nothing_else(world):
    case = completed_pledged_case(world)
    check = world.officer.get("/pledge-checks").json()["items"][0]
    response = world.officer.post(
        f"/pledge-checks/{check['id']}/conclude",
        {"truthful": True, "method": "数据共享", "note": "经共享核验，场所权属一致"},
    )
    assert response.json()["status"] == "truthful"
    assert world.officer.get(f"/cases/{case}").json()["status"]["code"] == "completed"


def test_a_false_pledge_revokes_the_decision_and_marks_the_applicant(world):
    case = completed_pledged_case(world)
    check = world.officer.get("/pledge-checks").json()["items"][0]
    response = world.officer.post(
        f"/pledge-checks/{check['id']}/conclude",
        {"truthful": False, "method": "现场核查", "note": "经现场核查，该场所为住宅，与承诺不符"},
    )
    assert response.status_code == 200
    detail = world.officer.get(f"/cases/{case}").json()
    assert detail["status"]["code"] == "revoked"
    assert detail["events"][-1]["reason"].startswith("告知承诺不实（经营场所证明）")
    application = world.citizen.get(f"/applications/{detail['application']}").json()
    assert application["status"]["code"] == "revoked"
    marks = world.citizen.get("/credit-marks").json()
    assert len(marks) == 1 and marks[0]["repaired_at"] is None


def test_pledge_is_refused_while_the_credit_mark_stands_and_allowed_after_repair(world):
    completed_pledged_case(world)
    check = world.officer.get("/pledge-checks").json()["items"][0]
    world.officer.post(
        f"/pledge-checks/{check['id']}/conclude",
        {"truthful": False, "method": "现场核查", "note": "承诺不实"},
    )
    refused = apply_with_pledge(world)
    assert refused.status_code == 422
    assert refused.json()["fields"]["materials[1].pledge"] == [
        "存在未修复的承诺不实记录，暂不能适用告知承诺，请提交材料（信用修复后可恢复）"
    ]

    mark = world.supervisor.get("/credit-marks").json()[0]
    assert world.officer.post(f"/credit-marks/{mark['id']}/repair", {"note": "已整改"}).status_code == 403
    repaired = world.supervisor.post(
        f"/credit-marks/{mark['id']}/repair", {"note": "已整改并提交真实材料，准予修复"}
    )
    assert repaired.status_code == 200 and repaired.json()["repaired_at"] is not None
    assert apply_with_pledge(world).status_code == 201


def test_a_check_is_concluded_once(world):
    completed_pledged_case(world)
    check = world.officer.get("/pledge-checks").json()["items"][0]
    body = {"truthful": True, "method": "部门协查", "note": "协查属实"}
    assert world.officer.post(f"/pledge-checks/{check['id']}/conclude", body).status_code == 200
    again = world.officer.post(f"/pledge-checks/{check['id']}/conclude", body)
    assert again.status_code == 409 and again.json()["code"] == "pledge_check_concluded"


def test_conclusion_needs_a_method_and_a_note(world):
    completed_pledged_case(world)
    check = world.officer.get("/pledge-checks").json()["items"][0]
    response = world.officer.post(
        f"/pledge-checks/{check['id']}/conclude", {"truthful": True, "method": "猜", "note": " "}
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"method", "note"}
