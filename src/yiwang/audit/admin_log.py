"""Admin changes into the audit trail.

Every add, change and delete made in the Django admin is first written by the admin itself as a
LogEntry, in the same transaction as the change. Listening for that one row covers every ModelAdmin
(including ones added later) without each of them having to remember to call the audit service.
The change message names the fields changed, never their values.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save

from yiwang.audit.models import AuditAction

ACTIONS = {
    ADDITION: AuditAction.ADMIN_ADD,
    CHANGE: AuditAction.ADMIN_CHANGE,
    DELETION: AuditAction.ADMIN_DELETE,
}


def admin_change_recorded(
    sender: type[LogEntry], instance: LogEntry, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not created or instance.action_flag not in ACTIONS:
        return  # raw: loaded from a fixture or a backup, not a change made now
    from yiwang.audit.services import record

    content_type = instance.content_type
    record(
        action=ACTIONS[instance.action_flag],
        label=instance.object_repr,
        actor=instance.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(instance.object_id or ""),
        detail={"changes": instance.get_change_message()},
    )


def connect() -> None:
    post_save.connect(admin_change_recorded, sender=LogEntry, dispatch_uid="yiwang_audit_admin_change")
