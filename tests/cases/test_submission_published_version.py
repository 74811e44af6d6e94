"""A submission applies for the item version published now, although each process keeps the published
versions it has read (catalog.selectors.published_version): nothing tells the process of a publication,
as nothing would tell the other server processes, so each test publishes and then submits."""

from __future__ import annotations

import pytest

from tests.factories import make_document
from yiwang.cases.models import Case
from yiwang.catalog.services import (
    item_retire,
    item_version_new_draft,
    item_version_publish,
    item_version_update,
)

pytestmark = pytest.mark.django_db


def _apply(world, version):
    document = make_document(world.citizen.user)
    return world.apply(
        materials=[{"material": m.id, "document": str(document.id)} for m in version.materials.all()]
    )


def test_a_submission_applies_for_the_edition_published_since_the_last_one(world):
    assert _apply(world, world.item).status_code == 201
    draft = item_version_new_draft(item=world.item.item)
    item_version_update(version=draft, promised_limit_days=3)
    second = item_version_publish(version=draft)

    response = _apply(world, second)

    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["cases"][0]["number"])
    assert case.item_version_id == second.pk
    assert case.promised_days == 3


def test_the_materials_of_the_edition_before_are_not_taken_once_a_new_one_is_published(world):
    assert _apply(world, world.item).status_code == 201
    item_version_publish(version=item_version_new_draft(item=world.item.item))

    response = _apply(world, world.item)

    assert response.status_code == 422
    assert "不是所申请事项的申请材料" in response.json()["fields"]["materials[0].material"]


def test_an_item_retired_since_the_last_submission_is_not_applied_for(world):
    assert _apply(world, world.item).status_code == 201
    item_retire(item=world.item.item)

    response = _apply(world, world.item)

    assert response.status_code == 422
    assert response.json()["fields"]["item"] == ["未找到该事项或事项未发布"]
