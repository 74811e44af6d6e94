"""Reading the trail back, and changing it behind the application's back as a DBA could."""

from __future__ import annotations

from typing import Any

from tests.tampering import as_dba
from yiwang.audit.models import AuditEntry


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def submitted_case(world: Any) -> str:
    """The citizen applies online; the number of the one case (now 预审)."""
    response = world.apply()
    assert response.status_code == 201, response.content
    return response.json()["cases"][0]["number"]


def tamper(sql: str, params: list[Any]) -> None:
    as_dba("audit_auditentry", sql, params)
