"""Catalog administrators see what the assistant could not answer, most asked first, and teach the
catalog the words people used: a 常用叫法 added to the right item's draft."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_item, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.assistant.models import UnansweredQuestion
from yiwang.catalog.models import ItemVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog_admin(client):
    admin = make_staff(StaffRole.CATALOG_ADMIN, is_staff=True)
    client.force_login(admin)
    return admin


def test_the_most_asked_questions_come_first(client, catalog_admin):
    UnansweredQuestion.objects.create(text="锅炉投用要办啥", times_asked=2)
    UnansweredQuestion.objects.create(text="开奶茶店办什么证", times_asked=9)

    page = client.get(reverse("admin:assistant_unansweredquestion_changelist")).content.decode()

    assert page.index("开奶茶店办什么证") < page.index("锅炉投用要办啥")


def test_an_alias_from_a_question_goes_into_the_items_draft(client, catalog_admin):
    version = make_item(name="特种设备使用登记", keywords="电梯登记")
    question = UnansweredQuestion.objects.create(text="锅炉投用要办啥", times_asked=3)

    response = client.post(
        reverse("admin:assistant_unansweredquestion_alias", args=[question.pk]),
        {"item": version.item.pk, "alias": "锅炉投用"},
    )

    draft = ItemVersion.objects.get(item=version.item, status="draft")
    assert response.status_code == 302 and response["Location"].endswith(f"/{draft.pk}/change/")
    assert draft.keywords == "电梯登记 锅炉投用"
    version.refresh_from_db()
    assert version.keywords == "电梯登记"  # the published guide never changes
    assert not UnansweredQuestion.objects.exists()


def test_someone_who_may_not_change_items_cannot_add_aliases(client):
    client.force_login(make_staff(StaffRole.SUPERVISOR, is_staff=True))
    question = UnansweredQuestion.objects.create(text="锅炉投用要办啥")

    response = client.post(
        reverse("admin:assistant_unansweredquestion_alias", args=[question.pk]), {"alias": "锅炉投用"}
    )

    assert response.status_code == 403
    assert UnansweredQuestion.objects.exists()
