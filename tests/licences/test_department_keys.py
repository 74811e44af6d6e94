"""Departments' SM2 keys: one active per department, rotation keeps old keys for verification."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tests.factories import make_citizen, make_department
from tests.licences.conftest import make_licence
from yiwang.licences.models import DepartmentKey, Licence
from yiwang.licences.services import department_key_ensure, department_key_rotate, licence_verify

pytestmark = pytest.mark.django_db


def test_rotation_keeps_old_licences_verifying_and_signs_new_ones_with_the_new_key():
    department = make_department()
    citizen = make_citizen()
    before = make_licence(citizen, issuer=department)
    old_key = before.key
    new_key = department_key_rotate(department)
    after = make_licence(citizen, issuer=department)

    old_key.refresh_from_db()
    assert not old_key.active and old_key.retired_at is not None
    assert new_key.active and new_key.fingerprint != old_key.fingerprint
    assert after.key == new_key and before.key == old_key
    for licence in (before, after):
        assert licence_verify(Licence.objects.get(pk=licence.pk)).valid_signature


def test_a_licence_does_not_verify_against_the_departments_new_key():
    department = make_department()
    licence = make_licence(make_citizen(), issuer=department)
    new_key = department_key_rotate(department)
    Licence.objects.filter(pk=licence.pk).update(key=new_key)
    assert not licence_verify(Licence.objects.get(pk=licence.pk)).valid_signature


def test_a_department_has_at_most_one_active_key():
    department = make_department()
    department_key_ensure(department)
    department_key_rotate(department)
    assert DepartmentKey.objects.filter(department=department, active=True).count() == 1
    assert DepartmentKey.objects.filter(department=department).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentKey.objects.filter(department=department).update(active=True)


def test_ensure_returns_the_active_key_without_making_another():
    department = make_department()
    assert department_key_ensure(department) == department_key_ensure(department)
    assert DepartmentKey.objects.filter(department=department).count() == 1


def test_the_command_gives_every_department_a_key_once_and_rotates_on_request(capsys):
    first, second = make_department(), make_department()
    call_command("licence_keys")
    call_command("licence_keys")
    assert DepartmentKey.objects.filter(department__in=[first, second]).count() == 2
    call_command("licence_keys", "--rotate", first.code)
    assert DepartmentKey.objects.filter(department=first).count() == 2
    assert DepartmentKey.objects.filter(department=second).count() == 1
    assert "旧密钥保留用于验证" in capsys.readouterr().out


def test_rotating_an_unknown_department_is_an_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("licence_keys", "--rotate", "no-such-dept")
