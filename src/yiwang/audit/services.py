"""Writing the audit trail: one hash-chained entry per state change or staff read of personal data.

Callers say what happened (`action`), to what (`obj`) and any detail; who and from where come from
the request context (`audit.context`). Labels and details are masked before they are written:
no entry ever holds a clear ID or mobile number.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model

from yiwang.audit import chain, context
from yiwang.audit.models import AuditAction, AuditEntry
from yiwang.core.masking import mask_json, mask_text

LABEL_MAX = 200
SYSTEM_ACTOR = "系统"


class Actor(Protocol):
    """Who acted: an account (accounts.User), as the trail records it."""

    @property
    def pk(self) -> Any: ...
    @property
    def name(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def roles(self) -> list[str]: ...
    @property
    def department_id(self) -> int | None: ...
    @property
    def department(self) -> Any: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_staff_member(self) -> bool: ...


def masked_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The detail as it will be stored: plain JSON (dates as ISO text), every string masked."""
    return mask_json(json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder)))


def _request_user(ctx: context.RequestContext) -> Actor | None:
    user = getattr(ctx.request, "user", None) if ctx.request is not None else None
    return user if user is not None and user.is_authenticated else None


def _label(obj: Model | None) -> str:
    if obj is None:
        return ""
    number = getattr(obj, "number", None)
    return number if isinstance(number, str) and number else str(obj)


def record(
    *,
    action: str,
    obj: Model | None = None,
    label: str = "",
    detail: dict[str, Any] | None = None,
    actor: Actor | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """记录审计日志: append one entry; the actor defaults to the request's user ("系统" without one).

    `object_type`/`object_id` name an object that cannot be passed as `obj` (a deleted row, say).

    Runs in the caller's transaction when there is one, so the entry commits with the change it records.
    """
    ctx = context.current()
    actor = actor if actor is not None else _request_user(ctx)
    person = getattr(ctx.request, "acting_person", None)
    if person is not None and actor is not None and actor.pk != person.pk:
        # A person working in a company's name: the trail names who it was (经办人).
        detail = {**(detail or {}), "acting_person": {"id": person.pk, "name": person.name}}
    department = actor.department if actor is not None and actor.department_id else None
    return chain.append(
        actor_id=actor.pk if actor is not None else None,
        actor_name=mask_text(actor.name or actor.username) if actor is not None else SYSTEM_ACTOR,
        actor_roles=list(actor.roles) if actor is not None and actor.is_staff_member else [],
        department_id=department.pk if department is not None else None,
        department_name=department.name if department is not None else "",
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent,
        channel=ctx.channel,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id[:64],
        object_label=mask_text(label or _label(obj))[:LABEL_MAX],
        detail=masked_detail(detail),
    )


def reads_are_audited(user: Any) -> bool:
    """Staff reading someone's personal data leave an entry; applicants reading their own do not."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_staff_member or user.is_staff or user.is_superuser)
    )


def personal_data_read(
    *, actor: Any, obj: Model | None, view: str, label: str = "", detail: dict[str, Any] | None = None
) -> AuditEntry | None:
    """查阅个人信息: record a staff member's read of `obj` through `view` (e.g. `workbench.case`)."""
    if not reads_are_audited(actor):
        return None
    return record(
        action=AuditAction.PERSONAL_DATA_READ,
        obj=obj,
        label=label,
        actor=actor,
        detail={"view": view, **(detail or {})},
    )
