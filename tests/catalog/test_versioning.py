"""A published version never changes; editing drafts a new version; publishing retires the old one."""

from __future__ import annotations

import pytest

from tests.factories import make_item
from yiwang.catalog import codes
from yiwang.catalog.models import ItemVersion
from yiwang.catalog.services import (
    item_retire,
    item_version_new_draft,
    item_version_publish,
    item_version_update,
)
from yiwang.core.errors import Conflict

pytestmark = pytest.mark.django_db


def test_published_version_cannot_be_edited():
    version = make_item()
    with pytest.raises(Conflict) as caught:
        item_version_update(version=version, name="改名")
    assert caught.value.code == "version_immutable"
    version.refresh_from_db()
    assert version.name == "测试事项"


def test_editing_creates_a_draft_copy_with_materials_steps_and_fees():
    from decimal import Decimal

    v1 = make_item(
        charges_fee=True,
        fee_basis="依据",
        fees=[{"name": "工本费", "amount": Decimal("20"), "basis": "依据"}],
    )
    draft = item_version_new_draft(item=v1.item, change_note="调整承诺时限")
    assert (draft.version, draft.status) == (2, codes.VersionStatus.DRAFT)
    assert [m.name for m in draft.materials.all()] == [m.name for m in v1.materials.all()]
    assert draft.steps.count() == v1.steps.count() == 2
    assert draft.fees.get().amount == Decimal("20.00")
    assert draft.materials.first().pk != v1.materials.first().pk


def test_asking_for_a_draft_twice_returns_the_same_draft():
    v1 = make_item()
    assert item_version_new_draft(item=v1.item).pk == item_version_new_draft(item=v1.item).pk


def test_publishing_a_draft_retires_the_previous_version():
    v1 = make_item()
    draft = item_version_new_draft(item=v1.item)
    item_version_update(version=draft, promised_limit_days=3)
    v2 = item_version_publish(version=draft)
    v1.refresh_from_db()
    assert v1.status == codes.VersionStatus.RETIRED and v1.retired_at is not None
    assert v2.status == codes.VersionStatus.PUBLISHED
    assert v1.item.__class__.objects.get(pk=v1.item_id).published_version_id == v2.pk
    assert ItemVersion.objects.filter(item=v1.item, status=codes.VersionStatus.PUBLISHED).count() == 1


def test_retired_version_keeps_its_content():
    v1 = make_item(promised_limit_days=5)
    draft = item_version_new_draft(item=v1.item)
    item_version_update(version=draft, promised_limit_days=2)
    item_version_publish(version=draft)
    v1.refresh_from_db()
    assert v1.promised_limit_days == 5


def test_publishing_an_already_published_version_is_a_conflict():
    version = make_item()
    with pytest.raises(Conflict):
        item_version_publish(version=version)


def test_retiring_an_item_leaves_no_published_version():
    version = make_item()
    item_retire(item=version.item)
    version.refresh_from_db()
    assert version.status == codes.VersionStatus.RETIRED
    assert version.item.__class__.objects.get(pk=version.item_id).published_version is None


def test_unknown_fields_cannot_be_edited():
    draft = make_item(publish=False)
    with pytest.raises(Exception) as caught:
        item_version_update(version=draft, status="published")
    assert "status" in caught.value.fields
