"""The policy through Django's permission API: `user.has_perm("policy.<permission>")`, which apps below
accounts (the audit trail's masking admin pages) ask instead of importing the policy."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import make_citizen, make_staff
from yiwang.accounts.policy import PERM_PREFIX, Permission, allows
from yiwang.accounts.roles import StaffRole
from yiwang.audit.admin_reads import CLEAR_PERSONAL_DATA

pytestmark = pytest.mark.django_db


def test_the_audit_trails_clear_data_question_is_the_policys_permission():
    assert CLEAR_PERSONAL_DATA == PERM_PREFIX + Permission.PERSONAL_DATA_CLEAR


def test_has_perm_answers_every_policy_permission_as_the_policy_does():
    users = [
        make_citizen(),
        make_staff(StaffRole.OFFICER),
        make_staff(StaffRole.SUPERVISOR),
        make_staff(StaffRole.CATALOG_ADMIN, is_superuser=True),
        AnonymousUser(),
    ]
    for user in users:
        for permission in Permission:
            assert user.has_perm(PERM_PREFIX + permission) == allows(user, permission), (user, permission)


def test_the_superuser_holds_only_what_the_policy_grants_it():
    superuser = make_staff(is_superuser=True)
    assert not superuser.has_perm(CLEAR_PERSONAL_DATA)
    assert superuser.has_perm(PERM_PREFIX + Permission.ACCOUNTS_ADMIN)
    assert superuser.has_perm("catalog.change_item")  # Django's own permissions: every one, as before


def test_an_unknown_policy_permission_is_refused():
    assert not make_staff(is_superuser=True).has_perm(PERM_PREFIX + "no.such.permission")
