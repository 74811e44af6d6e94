"""The desk's application form: the same fields as the portal's, prefilled from the applicant at the window."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.channels.workbench.conftest import look_up, start
from tests.factories import FORM_SCHEMA, make_item
from yiwang.cases.models import Application

pytestmark = pytest.mark.django_db

SCHEMA = {
    **FORM_SCHEMA,
    "properties": {
        **FORM_SCHEMA["properties"],
        "kind": {"type": "string", "title": "组成形式", "enum": ["个人经营", "家庭经营"]},
        "opened": {"type": "string", "format": "date", "title": "开业日期", "examples": ["2025-05-01"]},
        "premises": {
            "type": "object",
            "title": "经营场所",
            "properties": {"address": {"type": "string", "title": "详细地址", "maxLength": 100}},
        },
        "helpers": {
            "type": "array",
            "title": "从业人员",
            "items": {
                "type": "object",
                "title": "人员",
                "properties": {"name": {"type": "string", "title": "姓名"}},
            },
        },
    },
    "required": [*FORM_SCHEMA["required"], "kind"],
}


def test_the_desk_form_is_rendered_from_the_schema_and_prefilled(client, world):
    version = make_item(form_schema=SCHEMA, materials=[])
    client.force_login(world.clerk.user)
    look_up(client)

    html = client.get(reverse("workbench:desk_start_item", args=[version.item.code])).content.decode()

    assert 'name="f.applicant_name" value="张三"' in html
    assert 'type="tel"' in html and 'pattern="^1[3-9][0-9]{9}$"' in html
    assert 'type="radio" name="f.kind" value="个人经营"' in html
    assert 'type="date" id="f-opened"' in html and "格式：年-月-日，例：2025-05-01" in html
    assert '<legend class="field-group-title">经营场所</legend>' in html
    assert 'name="f.premises.address"' in html and 'name="f.helpers.2.name"' in html


def test_what_the_engine_refuses_is_said_on_its_field_in_chinese(client, world):
    version = make_item(form_schema=SCHEMA, materials=[])
    client.force_login(world.clerk.user)
    look_up(client)

    response = start(
        client,
        reverse("workbench:desk_start_item", args=[version.item.code]),
        [version],
        {"applicant_name": "张三", "applicant_phone": "12345", "opened": "2025-02-30"},
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-kind-error"' in html and "请选择组成形式" in html
    assert 'id="f-applicant_phone-error"' in html
    assert 'id="f-opened-error"' in html
    assert 'name="f.opened" value="2025-02-30"' in html  # kept as typed
    assert not Application.objects.exists()


def test_groups_and_rows_are_submitted_as_the_schema_describes(client, world):
    version = make_item(form_schema=SCHEMA, materials=[])
    client.force_login(world.clerk.user)
    look_up(client)

    response = start(
        client,
        reverse("workbench:desk_start_item", args=[version.item.code]),
        [version],
        {
            "applicant_name": "张三",
            "applicant_phone": "13800000000",
            "kind": "家庭经营",
            "opened": "2025-05-01",
            "premises.address": "示范路1号",
            "helpers.1.name": "李四",
        },
    )

    assert response.status_code == 302
    data = Application.objects.get().cases.get().data
    assert data["kind"] == "家庭经营" and data["opened"] == "2025-05-01"
    assert data["premises"] == {"address": "示范路1号"}
    assert data["helpers"] == [{"name": "李四"}]


def test_a_missing_paper_and_the_form_problems_are_shown_together(client, world):
    version = make_item(form_schema=SCHEMA)
    identity = version.materials.get()
    client.force_login(world.clerk.user)
    look_up(client)

    response = client.post(
        reverse("workbench:desk_start_item", args=[version.item.code]),
        {"f.applicant_name": "张三", f"mat-{identity.id}-way": "scan"},
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "请上传该材料的扫描件" in html
    assert "请选择组成形式" in html and 'id="f-applicant_phone-error"' in html
    assert not Application.objects.exists()
