"""证照状态: the lifecycle, its record, and the expiry sweep."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_citizen
from tests.licences.conftest import make_licence
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.licences.models import Licence, LicenceStatus
from yiwang.licences.services import licence_change_status, licences_expire

pytestmark = pytest.mark.django_db


def test_a_suspended_licence_can_be_restored_and_every_change_is_recorded():
    licence = make_licence(make_citizen())
    licence_change_status(licence=licence, status=LicenceStatus.SUSPENDED, reason="责令停产停业整顿")
    licence_change_status(licence=licence, status=LicenceStatus.VALID, reason="整顿完毕，恢复")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID and licence.status_changed_at is not None
    assert [(c.from_status, c.to_status) for c in licence.status_changes.all()] == [
        ("01", "02"),
        ("02", "01"),
    ]


@pytest.mark.parametrize("final", [LicenceStatus.REVOKED, LicenceStatus.CANCELLED, LicenceStatus.WITHDRAWN])
def test_a_revoked_cancelled_or_withdrawn_licence_cannot_come_back(final):
    licence = make_licence(make_citizen())
    licence_change_status(licence=licence, status=final, reason="依法处理")
    with pytest.raises(Conflict):
        licence_change_status(licence=licence, status=LicenceStatus.VALID, reason="恢复")


def test_a_status_change_needs_a_reason_and_a_known_status():
    licence = make_licence(make_citizen())
    with pytest.raises(ValidationFailed):
        licence_change_status(licence=licence, status=LicenceStatus.REVOKED, reason=" ")
    with pytest.raises(ValidationFailed):
        licence_change_status(licence=licence, status="42", reason="无")


def test_a_change_made_meanwhile_by_someone_else_wins():
    licence = make_licence(make_citizen())
    stale = Licence.objects.get(pk=licence.pk)
    licence_change_status(licence=licence, status=LicenceStatus.REVOKED, reason="吊销")
    with pytest.raises(Conflict):
        licence_change_status(licence=stale, status=LicenceStatus.SUSPENDED, reason="暂扣")


def test_the_expiry_sweep_marks_only_licences_past_their_validity():
    citizen = make_citizen()
    old = make_licence(citizen, issued_on=date(2015, 1, 1))  # five years: ended 2020
    current = make_licence(citizen, issued_on=date(2025, 1, 1))
    assert licences_expire(today=date(2026, 6, 1)) == 1
    assert licences_expire(today=date(2026, 6, 1)) == 0
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.status == LicenceStatus.EXPIRED and old.status_changes.get().reason == "有效期届满"
    assert current.status == LicenceStatus.VALID


def test_is_valid_needs_status_01_and_the_validity_period():
    licence = make_licence(make_citizen(), issued_on=date(2025, 1, 1))
    assert licence.is_valid(date(2025, 1, 1)) and licence.is_valid(date(2030, 1, 1))
    assert not licence.is_valid(date(2024, 12, 31)) and not licence.is_valid(date(2030, 1, 2))
    licence_change_status(licence=licence, status=LicenceStatus.SUSPENDED, reason="暂扣")
    assert not licence.is_valid(date(2026, 1, 1))
