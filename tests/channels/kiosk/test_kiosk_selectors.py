"""常办事项 on the kiosk home: ranked by last month's applications, filled up with kiosk items."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import make_citizen, make_department, make_item
from tests.kiosk.helpers import apply, kiosk_item
from yiwang.catalog.services import item_retire
from yiwang.channels.kiosk.selectors import popular_items

pytestmark = pytest.mark.django_db


def names(versions) -> list[str]:
    return [v.name for v in versions]


def test_items_with_most_applications_in_the_last_30_days_come_first():
    citizen = make_citizen()
    rare, common = make_item(name="户籍证明出具"), make_item(name="普通护照签发")
    apply(citizen, rare)
    for _ in range(2):
        apply(citizen, common)

    assert names(popular_items(limit=2)) == ["普通护照签发", "户籍证明出具"]


def test_applications_older_than_30_days_do_not_count():
    citizen = make_citizen()
    old, recent = make_item(name="旧的热门事项"), make_item(name="最近的事项")
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        for _ in range(3):
            apply(citizen, old)
    apply(citizen, recent)

    assert names(popular_items(limit=5)) == ["最近的事项"]


def test_without_history_kiosk_items_are_shown_in_department_order():
    first, second = make_department(order=1), make_department(order=2)
    kiosk_item(department=second, name="社会保障卡申领")
    kiosk_item(department=first, name="居民身份证挂失")
    make_item(department=first, name="不在自助终端的事项")

    assert names(popular_items()) == ["居民身份证挂失", "社会保障卡申领"]


def test_kiosk_items_fill_the_slots_history_leaves_without_repeating():
    citizen = make_citizen()
    used = kiosk_item(name="普通护照签发")
    kiosk_item(name="居民身份证挂失")
    apply(citizen, used)

    assert names(popular_items(limit=5)) == ["普通护照签发", "居民身份证挂失"]


def test_retired_items_are_not_shown_even_when_popular():
    citizen = make_citizen()
    retired = make_item(name="已停用的事项")
    apply(citizen, retired)
    item_retire(item=retired.item)

    assert popular_items() == []


def test_a_given_ranking_is_used_as_it_is():
    first, second = make_item(name="甲事项"), make_item(name="乙事项")

    assert names(popular_items(ranked=[second.item_id, first.item_id], limit=2)) == ["乙事项", "甲事项"]
