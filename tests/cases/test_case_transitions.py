"""Every transition of the case state machine through the API, and every forbidden one (409)."""

from __future__ import annotations

import pytest

from yiwang.cases.states import TRANSITIONS, Action, CaseStatus

pytestmark = pytest.mark.django_db


def submitted_case(world) -> str:
    return world.apply().json()["cases"][0]["number"]


def material_ids(world) -> list[int]:
    return [m.id for m in world.item.materials.all()]


def reach(world, status: str) -> str:
    """A case of `world.item` brought to `status` through the API."""
    case = submitted_case(world)
    officer, citizen = world.officer, world.citizen
    steps: dict[str, list] = {
        CaseStatus.PRE_REVIEW: [],
        CaseStatus.SUPPLEMENT_REQUESTED: [
            (
                officer,
                "request_supplement",
                {"items": [{"material": material_ids(world)[0], "reason": "照片模糊"}]},
            )
        ],
        CaseStatus.REFUSED: [(officer, "refuse", {"reason": "不属于本部门职权范围"})],
        CaseStatus.WITHDRAWN: [(citizen, "withdraw", {"reason": "不再需要"})],
        CaseStatus.ACCEPTED: [(officer, "accept", {})],
        CaseStatus.IN_REVIEW: [(officer, "accept", {}), (officer, "start_review", {})],
        CaseStatus.SUSPENDED: [
            (officer, "accept", {}),
            (officer, "start_review", {}),
            (officer, "suspend", {"kind": "expert_review", "reason": "组织专家评审"}),
        ],
        CaseStatus.APPROVED: [
            (officer, "accept", {}),
            (officer, "start_review", {}),
            (officer, "approve", {}),
        ],
        CaseStatus.DENIED: [
            (officer, "accept", {}),
            (officer, "start_review", {}),
            (officer, "deny", {"reason": "经营场所不符合要求"}),
        ],
        CaseStatus.COMPLETED: [
            (officer, "accept", {}),
            (officer, "start_review", {}),
            (officer, "approve", {}),
            (officer, "complete", {"result": {"number": "JY1"}}),
        ],
    }
    for who, action, body in steps[status]:
        response = who.act(case, action, **body)
        assert response.status_code == 200, (action, response.json())
    assert world.officer.get(f"/cases/{case}").json()["status"]["code"] == status
    return case


def actor_for(world, action: str):
    return world.citizen if action in (Action.SUPPLEMENT, Action.WITHDRAW) else world.head


def test_online_submission_goes_to_pre_review(world):
    body = world.apply().json()
    assert [c["status"]["code"] for c in body["cases"]] == ["pre_review"]
    assert [e["action"]["code"] for e in body["events"]] == ["submit", "pre_review"]


def test_window_submission_waits_for_the_clerk(world):
    body = {
        "item": world.item.item.code,
        "channel": "window",
        "applicant": {
            "kind": "person",
            "name": world.citizen.user.name,
            "id_number": world.citizen.user.id_number,
        },
        "form": {"applicant_name": world.citizen.user.name, "applicant_phone": "13800000000"},
        "materials": [{"material": m, "pledge": True} for m in material_ids(world)[1:]]
        + [{"material": material_ids(world)[0], "document": str(_clerk_document(world).id)}],
    }
    response = world.clerk.post("/applications", body)
    assert response.status_code == 201, response.json()
    case = response.json()["cases"][0]["number"]
    assert response.json()["cases"][0]["status"]["code"] == "submitted"
    accepted = world.clerk.act(case, "accept").json()
    assert accepted["status"]["code"] == "accepted"
    assert accepted["events"][-1]["role"] == "window_clerk"


def _clerk_document(world):
    from tests.factories import make_document

    return make_document(world.clerk.user)


def test_supplement_then_accept(world):
    case = reach(world, CaseStatus.SUPPLEMENT_REQUESTED)
    from tests.factories import make_document

    document = make_document(world.citizen.user)
    response = world.citizen.act(
        case, "supplement", materials=[{"material": material_ids(world)[0], "document": str(document.id)}]
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"]["code"] == "pre_review"
    assert world.officer.act(case, "accept").json()["status"]["code"] == "accepted"


def test_supplement_must_provide_everything_asked_and_nothing_else(world):
    case = reach(world, CaseStatus.SUPPLEMENT_REQUESTED)
    response = world.citizen.act(
        case, "supplement", materials=[{"material": material_ids(world)[1], "pledge": True}]
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]["materials"]) == {
        "“经营场所证明”不在补正告知书所列范围内",
        "缺少补正材料：居民身份证",
    }


def test_supplement_notice_is_issued_only_once(world):
    case = reach(world, CaseStatus.SUPPLEMENT_REQUESTED)
    from tests.factories import make_document

    document = make_document(world.citizen.user)
    world.citizen.act(
        case, "supplement", materials=[{"material": material_ids(world)[0], "document": str(document.id)}]
    )
    again = world.officer.act(
        case, "request_supplement", items=[{"material": material_ids(world)[1], "reason": "再补"}]
    )
    assert again.status_code == 409
    assert again.json()["message"] == "补正材料只能一次性告知，该办件已告知过"


def test_supplement_request_must_list_what_is_missing(world):
    case = submitted_case(world)
    response = world.officer.act(case, "request_supplement", items=[])
    assert response.status_code == 422
    assert response.json()["fields"] == {"items": ["须列出需要补正的全部材料（一次性告知）"]}


def test_suspend_and_resume_returns_to_review(world):
    case = reach(world, CaseStatus.SUSPENDED)
    response = world.officer.act(case, "resume", reason="专家评审通过")
    assert response.json()["status"]["code"] == "in_review"
    assert response.json()["suspensions"][0]["result"] == "专家评审通过"


def test_extension_keeps_the_status(world):
    case = reach(world, CaseStatus.IN_REVIEW)
    response = world.head.act(case, "extend", reason="情况复杂需实地核查")
    assert response.status_code == 200
    assert response.json()["status"]["code"] == "in_review"
    assert response.json()["deadlines"]["extension_days"] == 10


@pytest.mark.parametrize("action", ["refuse", "deny"])
def test_refusal_and_denial_need_a_reason(world, action):
    case = reach(world, CaseStatus.IN_REVIEW if action == "deny" else CaseStatus.PRE_REVIEW)
    response = world.officer.act(case, action, reason="  ")
    assert response.status_code == 422
    assert response.json()["code"] == "reason_required"


def test_withdraw_after_decision_is_refused(world):
    case = reach(world, CaseStatus.APPROVED)
    response = world.citizen.act(case, "withdraw")
    assert response.status_code == 409
    assert response.json() == {"code": "action_not_allowed", "message": f"办件 {case} 当前为“准予”，不能撤回"}


REACHABLE = [
    CaseStatus.PRE_REVIEW,
    CaseStatus.SUPPLEMENT_REQUESTED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_REVIEW,
    CaseStatus.SUSPENDED,
    CaseStatus.APPROVED,
    CaseStatus.DENIED,
    CaseStatus.COMPLETED,
    CaseStatus.REFUSED,
    CaseStatus.WITHDRAWN,
]
API_ACTIONS = [
    a for a in TRANSITIONS if a not in (Action.PRE_REVIEW, Action.DEEMED_ACCEPT, Action.START, Action.REVOKE)
]


@pytest.mark.parametrize("status", REACHABLE)
def test_every_action_not_allowed_from_a_status_is_a_conflict(world, status):
    case = reach(world, status)
    before = world.officer.get(f"/cases/{case}").json()
    for action in API_ACTIONS:
        if status in TRANSITIONS[action][0]:
            continue
        response = actor_for(world, action).act(
            case, action, reason="理由", kind="hearing", items=[], materials=[], result={}
        )
        assert response.status_code == 409, (status, action, response.json())
        assert response.json()["code"] == "action_not_allowed"
        assert "不能" in response.json()["message"]
    after = world.officer.get(f"/cases/{case}").json()
    assert after["events"] == before["events"], "a refused action writes nothing"


def test_allowed_actions_are_listed_for_the_caller(world):
    case = reach(world, CaseStatus.IN_REVIEW)
    assert set(world.officer.get(f"/cases/{case}").json()["allowed_actions"]) == {
        "suspend",
        "approve",
        "deny",
    }
    assert set(world.head.get(f"/cases/{case}").json()["allowed_actions"]) == {
        "suspend",
        "approve",
        "deny",
        "extend",
    }
    assert world.citizen.get(f"/cases/{case}").json()["allowed_actions"] == ["withdraw"]


def test_unknown_action_is_a_field_error(world):
    case = submitted_case(world)
    response = world.officer.act(case, "teleport")
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_action"


def test_events_record_who_when_from_to_and_channel(world):
    case = reach(world, CaseStatus.ACCEPTED)
    event = world.officer.get(f"/cases/{case}").json()["events"][-1]
    assert event["action"]["code"] == "accept"
    assert (event["from_status"], event["to_status"]["code"]) == ("pre_review", "accepted")
    assert (
        event["actor"] == world.officer.user.name and event["role"] == "officer" and event["channel"] == "api"
    )
