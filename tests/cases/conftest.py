from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import (
    make_citizen,
    make_department,
    make_document,
    make_item,
    make_service_point,
    make_staff,
)
from yiwang.accounts.roles import StaffRole


@dataclass
class World:
    """One department with an item, a window, and a user for every role."""

    department: Any
    item: Any
    point: Any
    citizen: ApiUser
    clerk: ApiUser
    officer: ApiUser
    head: ApiUser
    other_officer: ApiUser
    supervisor: ApiUser

    def apply(self, who: ApiUser | None = None, **overrides: Any) -> Any:
        who = who or self.citizen
        document = make_document(who.user)
        body = {
            "item": self.item.item.code,
            "form": {"applicant_name": who.user.name, "applicant_phone": "13800000000"},
            "materials": [
                {"material": m.id, "document": str(document.id)} for m in self.item.materials.all()
            ],
            "channel": "web",
        }
        body.update(overrides)
        return who.post("/applications", body)


@pytest.fixture
def world(client, db) -> World:
    department = make_department(code="amr", name="示范市市场监督管理局")
    point = make_service_point(code="centre")
    item = make_item(
        department=department,
        name="食品经营许可",
        statutory_limit_days=20,
        promised_limit_days=10,
        materials=[
            {"name": "居民身份证"},
            {
                "name": "经营场所证明",
                "pledge_allowed": True,
                "pledge_text": "本人承诺经营场所真实合法，如有不实愿承担法律责任。",
            },
        ],
    )
    other = make_department(code="tax", name="示范市税务局")
    return World(
        department=department,
        item=item,
        point=point,
        citizen=ApiUser(client, make_citizen()),
        clerk=ApiUser(client, make_staff(StaffRole.WINDOW_CLERK, service_point=point)),
        officer=ApiUser(client, make_staff(StaffRole.OFFICER, department=department)),
        head=ApiUser(
            client,
            make_staff(StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD, department=department),
        ),
        other_officer=ApiUser(client, make_staff(StaffRole.OFFICER, department=other)),
        supervisor=ApiUser(client, make_staff(StaffRole.SUPERVISOR, department=other)),
    )
