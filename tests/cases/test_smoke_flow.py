from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_single_item_walks_from_submission_to_completion(world):
    response = world.apply()
    assert response.status_code == 201, response.content
    body = response.json()
    case = body["cases"][0]["number"]
    assert body["cases"][0]["status"]["code"] == "pre_review"
    for who, action, extra in [
        (world.officer, "accept", {}),
        (world.officer, "start_review", {}),
        (world.officer, "approve", {"reason": "符合条件"}),
        (world.officer, "complete", {"result": {"name": "食品经营许可证", "number": "JY13301000000001"}}),
    ]:
        r = who.act(case, action, **extra)
        assert r.status_code == 200, r.content
    final = world.citizen.get(f"/applications/{body['number']}").json()
    assert final["status"]["code"] == "completed"
    assert [e["action"]["code"] for e in final["events"]] == [
        "submit",
        "pre_review",
        "accept",
        "start_review",
        "approve",
        "complete",
    ]
