"""A list of records on the apply page (股东): numbered rows, every filled row kept, one empty row more."""

from __future__ import annotations

import pytest

from tests.channels.portal.conftest import form_post
from tests.factories import FORM_SCHEMA, make_item
from yiwang.cases.models import Application

pytestmark = pytest.mark.django_db

SCHEMA = {
    **FORM_SCHEMA,
    "properties": {
        **FORM_SCHEMA["properties"],
        "shareholders": {
            "type": "array",
            "title": "股东信息",
            "items": {
                "type": "object",
                "title": "股东",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "title": "股东姓名"},
                    "contribution": {"type": "number", "title": "出资额（万元）", "minimum": 0},
                },
            },
        },
    },
}


def _rows(count: int) -> dict[str, str]:
    return {f"shareholders.{i}.name": f"股东{i}" for i in range(count)} | {
        f"shareholders.{i}.contribution": str(10 * (i + 1)) for i in range(count)
    }


def test_a_list_of_records_starts_with_three_empty_rows_none_of_them_required(client, world):
    version = make_item(form_schema=SCHEMA, materials=[])
    client.force_login(world.citizen.user)

    html = client.get(f"/apply/item/{version.item.code}/").content.decode()

    assert [f'name="f.shareholders.{i}.name"' in html for i in range(4)] == [True, True, True, False]
    assert "股东 3" in html
    assert 'name="f.shareholders.0.name" value="" required' not in html


def test_every_filled_row_is_kept_and_one_empty_row_is_added(client, world):
    version = make_item(form_schema=SCHEMA, materials=[])
    client.force_login(world.citizen.user)
    url = f"/apply/item/{version.item.code}/"

    client.post(url, form_post(intent="draft", fields={"applicant_name": "市民张三", **_rows(4)}))

    html = client.get(url).content.decode()
    assert 'name="f.shareholders.3.name" value="股东3"' in html
    assert 'name="f.shareholders.4.name" value=""' in html and "f.shareholders.5.name" not in html


def test_the_filled_rows_are_submitted_as_a_list_and_empty_rows_are_left_out(client, world):
    version = make_item(form_schema=SCHEMA, materials=[])
    client.force_login(world.citizen.user)
    fields = {"applicant_name": world.citizen.user.name, "applicant_phone": "13800000000", **_rows(2)}
    fields["shareholders.2.name"] = ""

    response = client.post(f"/apply/item/{version.item.code}/", form_post(fields=fields))

    assert response.status_code == 302
    data = Application.objects.get().cases.get().data
    assert data["shareholders"] == [
        {"name": "股东0", "contribution": 10},
        {"name": "股东1", "contribution": 20},
    ]


def test_a_problem_in_a_row_is_shown_on_that_row(client, world):
    version = make_item(form_schema=SCHEMA, materials=[])
    client.force_login(world.citizen.user)
    fields = {
        "applicant_name": world.citizen.user.name,
        "applicant_phone": "13800000000",
        "shareholders.0.name": "股东0",
        "shareholders.0.contribution": "很多",
    }

    response = client.post(f"/apply/item/{version.item.code}/", form_post(fields=fields))

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-shareholders-0-contribution-error"' in html
    assert 'name="f.shareholders.0.contribution" value="很多"' in html  # kept as typed
