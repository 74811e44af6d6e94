"""Every read of personal data by staff leaves one entry — who, what, when, from where; applicants'
reads of their own data leave none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.audit.helpers import entries, submitted_case
from tests.channels.workbench.conftest import look_up
from yiwang.audit.models import AuditAction
from yiwang.cases.models import Case

pytestmark = pytest.mark.django_db

READ = AuditAction.PERSONAL_DATA_READ


def test_staff_case_page_view_records_one_read_with_actor_ip_and_case_number(client, world):
    number = submitted_case(world)
    client.force_login(world.officer.user)

    response = client.get(
        reverse("workbench:case", args=[number]),
        REMOTE_ADDR="10.20.30.40",
        HTTP_USER_AGENT="Mozilla/5.0 测试",
    )

    assert response.status_code == 200
    (entry,) = entries(READ)
    officer = world.officer.user
    assert (entry.actor_id, entry.actor_name, entry.actor_roles) == (officer.pk, officer.name, ["officer"])
    assert (entry.department_id, entry.department_name) == (world.department.pk, "示范市市场监督管理局")
    assert (entry.ip_address, entry.user_agent, entry.channel) == (
        "10.20.30.40",
        "Mozilla/5.0 测试",
        "workbench",
    )
    assert (entry.object_type, entry.object_label) == ("cases.case", number)
    assert entry.object_id == str(Case.objects.get(number=number).pk)
    assert entry.detail == {"view": "workbench.case"}


def test_applicant_viewing_their_own_application_records_no_read(client, world):
    response = world.apply()
    application = response.json()["number"]

    assert world.citizen.get(f"/applications/{application}").status_code == 200
    client.force_login(world.citizen.user)
    assert client.get(reverse("portal:application", args=[application])).status_code == 200

    assert entries(READ) == []


def test_staff_api_read_of_a_case_and_an_application_is_recorded(world):
    number = submitted_case(world)
    application = Case.objects.get(number=number).application.number

    assert world.officer.get(f"/cases/{number}").status_code == 200
    assert world.officer.get(f"/applications/{application}").status_code == 200

    assert [(e.detail["view"], e.object_label, e.channel) for e in entries(READ)] == [
        ("api.case", number, "api"),
        ("api.application", application, "api"),
    ]


def test_window_lookup_by_id_number_records_the_number_masked(client, world):
    client.force_login(world.clerk.user)

    look_up(client, number="11010519491231002X", name="张三")

    (entry,) = entries(READ)
    assert entry.detail == {"view": "workbench.applicant_lookup", "kind": "person", "registered": False}
    assert entry.object_label == "110105********002X"
    assert "11010519491231002X" not in str(entry.detail) + entry.object_label


def test_staff_preview_of_an_uploaded_material_is_recorded(client, world):
    number = submitted_case(world)
    document = Case.objects.get(number=number).application.materials.exclude(document=None).first().document
    client.force_login(world.officer.user)

    response = client.get(reverse("workbench:case_document", args=[number, document.id]))

    assert response.status_code == 200
    (entry,) = entries(READ)
    assert entry.detail == {"view": "workbench.case_document", "document": str(document.id)}


def test_admin_change_form_of_a_user_is_recorded(as_admin, world):
    citizen = world.citizen.user

    response = as_admin.get(reverse("admin:accounts_user_change", args=[citizen.pk]))

    assert response.status_code == 200
    (entry,) = entries(READ)
    assert (entry.object_type, entry.object_id, entry.channel) == ("accounts.user", str(citizen.pk), "admin")
    assert entry.detail == {"view": "admin.user"}


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(client, world, settings):
    number = submitted_case(world)
    client.force_login(world.officer.user)
    settings.YIWANG_TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = reverse("workbench:case", args=[number])

    client.get(url, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.7")
    client.get(url, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert [e.ip_address for e in entries(READ)] == ["203.0.113.9", "198.51.100.1"]
