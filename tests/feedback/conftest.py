from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.cases.conftest import world  # noqa: F401 (the cases' world: a department, an item, every role)


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[time_machine.Coordinates]:
    """Monday 2026-03-02, 10:00 in Shanghai: tests move the clock with the traveller they get."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))) as traveller:
        yield traveller


def completed_case(world) -> str:  # noqa: F811 (the fixture's value, passed in)
    """A case of the world's citizen, taken through to 办结 (准予)."""
    response = world.apply()
    assert response.status_code == 201, response.content
    number = response.json()["cases"][0]["number"]
    for action, body in [
        ("accept", {}),
        ("start_review", {}),
        ("approve", {}),
        ("complete", {"result": {"number": "JY1"}}),
    ]:
        assert world.officer.act(number, action, **body).status_code == 200
    return number


def signed_in_again(world) -> None:  # noqa: F811
    """New API tokens for everyone, after the clock moved past a token's life."""
    from tests.cases.helpers import ApiUser

    for name in ("citizen", "clerk", "officer", "head", "other_officer", "supervisor"):
        old = getattr(world, name)
        setattr(world, name, ApiUser(old.client, old.user))
