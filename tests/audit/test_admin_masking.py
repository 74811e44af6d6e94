"""Admin pages of personal data (audit.admin_reads): posts without clear data — 效能监察 and the
系统管理员 — see ID and mobile numbers masked on every change page, list and export, and a masked value
is never saved back."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_data_use, make_document, make_staff
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user, backend="yiwang.accounts.backends.IdentifierBackend")
    return client


@pytest.fixture
def supervisor(world) -> Client:
    return admin_client(world.supervisor.user)


@pytest.fixture
def superuser(db) -> Client:
    return admin_client(make_staff(is_superuser=True, department=None))


def test_supervisor_sees_the_holder_code_masked_on_a_data_use_change_page(supervisor, world):
    id_number = world.citizen.user.id_number
    use = make_data_use(id_number, reason=f"核对申请人 {id_number} 的电话 {MOBILE}")

    response = supervisor.get(reverse("admin:sharing_datause_change", args=[use.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert id_number not in page and MOBILE not in page
    assert f"{id_number[:6]}********{id_number[-4:]}" in page and "139****5678" in page


def test_superuser_sees_a_users_identifiers_masked_and_cannot_overwrite_them(superuser, world):
    citizen = world.citizen.user
    User.objects.filter(pk=citizen.pk).update(mobile=MOBILE)
    url = reverse("admin:accounts_user_change", args=[citizen.pk])

    page = superuser.get(url).content.decode()
    saved = superuser.post(
        url,
        {
            "username": citizen.username,
            "kind": citizen.kind,
            "name": "改过的姓名",
            "id_number": "110105194912310021",
            "mobile": "13800000000",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "is_active": "on",
        },
    )

    assert citizen.id_number not in page and MOBILE not in page
    assert 'name="id_number"' not in page and "139****5678" in page
    assert saved.status_code == 302, saved.content.decode()[-2000:]
    citizen.refresh_from_db()
    assert (citizen.name, citizen.id_number, citizen.mobile) == (
        "改过的姓名",
        world.citizen.user.id_number,
        MOBILE,
    )


def test_a_post_with_clear_data_sees_the_clear_number(world):
    officer_and_superuser = make_staff(StaffRole.OFFICER, is_superuser=True, department=world.department)
    citizen = world.citizen.user

    page = admin_client(officer_and_superuser).get(reverse("admin:accounts_user_change", args=[citizen.pk]))

    assert citizen.id_number in page.content.decode()


def test_superuser_sees_an_id_card_licences_number_masked_in_the_list_and_change_page(superuser, world):
    citizen = world.citizen.user
    licence = make_licence(
        citizen,
        licence_type=make_licence_type(code="11100000000013338W001"),
        number=citizen.id_number,
    )

    listed = superuser.get(reverse("admin:licences_licence_changelist")).content.decode()
    changed = superuser.get(reverse("admin:licences_licence_change", args=[licence.pk])).content.decode()

    assert citizen.id_number not in listed and citizen.id_number not in changed
    assert citizen.id_number[-4:] in changed


def test_superuser_sees_a_documents_file_name_masked(superuser, world):
    document = make_document(world.citizen.user)
    id_number = world.citizen.user.id_number
    type(document).objects.filter(pk=document.pk).update(original_name=f"身份证{id_number}.pdf")

    listed = superuser.get(reverse("admin:documents_document_changelist")).content.decode()
    changed = superuser.get(reverse("admin:documents_document_change", args=[document.pk])).content.decode()

    assert id_number not in listed and id_number not in changed


def test_a_user_agent_with_an_id_number_is_masked_on_the_audit_page_and_in_its_export(supervisor, world):
    id_number = world.citizen.user.id_number
    entry = _entry_with_user_agent(world, id_number)

    page = supervisor.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).content.decode()
    export = supervisor.get(reverse("admin:audit_auditentry_export"))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))

    assert id_number not in page
    assert any(f"{id_number[:6]}********" in cell for row in rows for cell in row)
    assert not any(id_number in cell for row in rows for cell in row)


def _entry_with_user_agent(world, user_agent: str) -> AuditEntry:
    """An application submitted from a client whose user agent is `user_agent`."""
    response = world.citizen.client.post(
        "/api/v1/applications",
        {
            "item": world.item.item.code,
            "form": {"applicant_name": world.citizen.user.name, "applicant_phone": "13800000000"},
            "materials": [
                {"material": m.id, "document": str(make_document(world.citizen.user).id)}
                for m in world.item.materials.all()
            ],
            "channel": "web",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.citizen.token}",
        HTTP_USER_AGENT=user_agent,
    )
    assert response.status_code == 201, response.content
    return AuditEntry.objects.filter(user_agent=user_agent).latest("id")
