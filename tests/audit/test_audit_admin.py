"""The audit trail in the admin: read-only, for superusers and supervisors only, exported as CSV that
Excel opens in Chinese — and every export is itself in the trail."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.audit.helpers import entries, submitted_case
from yiwang.audit.models import AuditAction
from yiwang.ops.export import HEADERS

pytestmark = pytest.mark.django_db

LIST = "/admin/audit/auditentry/"
EXPORT = "/admin/audit/auditentry/export.csv"


@pytest.fixture
def supervisor(client, world):
    user = world.supervisor.user
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def refused_case(world) -> str:
    """An application refused with a reason that holds a mobile number."""
    number = submitted_case(world)
    response = world.officer.act(number, "refuse", reason="材料不全，请致电 13812345678 咨询")
    assert response.status_code == 200, response.content
    return number


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_supervisor_sees_the_audit_list(supervisor, refused_case):
    response = supervisor.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert "审计日志" in page and refused_case in page and "导出 CSV" in page
    assert 'href="/admin/audit/auditentry/add/"' not in page


def test_window_clerk_is_refused_the_audit_list_and_its_export(client, world):
    clerk = world.clerk.user
    clerk.is_staff = True  # even with the admin's staff flag
    clerk.save()
    client.force_login(clerk)

    listed, exported = client.get(LIST), client.get(EXPORT)

    # Sent to the admin login (not an admin user) or refused (an admin user without the audit post).
    assert listed.status_code in (302, 403) and exported.status_code in (302, 403)
    assert listed.status_code == 403 or listed["Location"].startswith("/admin/login/")
    assert entries(AuditAction.AUDIT_EXPORT) == []


def test_nobody_can_change_an_entry_in_the_admin(supervisor, refused_case):
    entry = entries(AuditAction.CASE_TRANSITION)[0]

    response = supervisor.post(
        reverse("admin:audit_auditentry_change", args=[entry.pk]), {"object_label": "x"}
    )

    assert response.status_code == 403
    assert (
        supervisor.post(
            reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_csv_export_has_a_bom_chinese_headers_masked_data_and_is_itself_audited(
    supervisor, refused_case, world
):
    response = supervisor.get(EXPORT, {"action__exact": AuditAction.CASE_TRANSITION})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = _rows(response)
    assert header == HEADERS and header[:3] == ["序号", "时间", "操作人"]
    assert len(rows) == 1 and rows[0][8] == "办件状态变更" and rows[0][11] == refused_case
    assert "138****5678" in rows[0][12] and "13812345678" not in "".join(rows[0])
    (export,) = entries(AuditAction.AUDIT_EXPORT)
    assert (export.actor_id, export.channel) == (world.supervisor.user.pk, "admin")
    assert export.detail == {"filters": {"action__exact": "case.transition"}, "rows": 1}


def test_export_command_writes_the_days_asked_and_records_the_export(refused_case, tmp_path, capsys):
    today = timezone.localdate().isoformat()
    output = tmp_path / "audit.csv"

    call_command("audit", "export", "--since", today, "--until", today, "--output", str(output))

    text = output.read_text(encoding="utf-8")
    assert text.startswith("\ufeff序号,时间,操作人")
    assert refused_case in text and "13812345678" not in text
    (export,) = entries(AuditAction.AUDIT_EXPORT)
    assert export.channel == "command" and export.detail["rows"] == len(text.splitlines()) - 1
