"""Caches kept in the process (core.changes): a submission reads an item's published version once,
and a version published or an item retired anywhere is seen by the next submission. PostgreSQL only:
changes are notified there, when they commit (hence transactional tests)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_citizen, make_department, make_document, make_item
from yiwang.cases import submission
from yiwang.cases.submission import application_submit
from yiwang.catalog import codes
from yiwang.catalog import services as catalog
from yiwang.core.changes import Kept, feed
from yiwang.core.compiled import copy_loaded
from yiwang.core.errors import ValidationFailed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="changes are notified on PostgreSQL only"),
]


@pytest.fixture
def item():
    return make_item(department=make_department())


def submission_of(item):
    """The submission for the item's version published now (its materials are that version's)."""
    citizen = make_citizen()
    document = make_document(citizen)
    published = item.item.versions.filter(status=codes.VersionStatus.PUBLISHED).first() or item
    body = {
        "actor": citizen,
        "item": item.item.code,
        "form": {"applicant_name": "张三", "applicant_phone": "13800000000"},
        "materials": [{"material": m.id, "document": str(document.id)} for m in published.materials.all()],
        "channel": "web",
    }
    return lambda: application_submit(**body)[0]


def version_reads(item) -> tuple[int, object]:
    """(queries of the version table, the case's version) of one submission."""
    submit = submission_of(item)
    with CaptureQueriesContext(connection) as captured:
        application = submit()
    reads = sum(1 for q in captured.captured_queries if 'FROM "catalog_itemversion"' in q["sql"])
    return reads, application.cases.get().item_version_id


def until_forgotten(kept: Kept) -> None:
    deadline = time.monotonic() + 5
    while kept.entries and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not kept.entries


def test_an_items_published_version_is_read_once_then_kept(process_caches, item):
    first_reads, first_version = version_reads(item)
    second_reads, second_version = version_reads(item)

    assert first_reads == 1 and second_reads == 0
    assert first_version == second_version == item.pk


def test_a_version_published_later_is_the_one_the_next_submission_uses(process_caches, item):
    version_reads(item)
    draft = catalog.item_version_new_draft(item=item.item, change_note="缩短承诺时限")

    catalog.item_version_publish(version=draft)
    until_forgotten(submission._PUBLISHED_VERSIONS)

    assert version_reads(item) == (1, draft.pk)


def test_a_retired_item_is_refused_though_its_version_was_kept(process_caches, item):
    version_reads(item)

    catalog.item_retire(item=item.item)
    until_forgotten(submission._PUBLISHED_VERSIONS)

    with pytest.raises(ValidationFailed) as refused:
        submission_of(item)()
    assert "item" in refused.value.fields


def test_each_caller_gets_its_own_copy_of_a_kept_row(process_caches, item):
    kept = Kept("yiwang_test", load=submission._PUBLISHED_VERSION.first, copy=copy_loaded)
    one = kept.get(item.item.code)
    one.name = "改过的名称"
    one.item.code = "changed"

    other = kept.get(item.item.code)

    assert other is not one and other.item is not one.item
    assert other.name == item.name and other.item.code == item.item.code


def test_without_the_listening_connection_nothing_is_kept(process_caches, item):
    feed.stop()
    feed.usable = lambda: False  # type: ignore[method-assign]  # as if the connection were down
    try:
        assert version_reads(item)[0] == 1
        assert version_reads(item)[0] == 1
        assert not submission._PUBLISHED_VERSIONS.entries
    finally:
        del feed.usable
