"""Account reads: real-name status (实名认证), the code a user holds licences and data under, and the legal
persons a natural person may act for."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, QuerySet

from yiwang.accounts.models import EntityMandate, User, UserKind
from yiwang.accounts.roles import StaffRole
from yiwang.core.errors import DomainError

REAL_NAME_HOW = "携带身份证到政务服务中心综合窗口核验、在自助终端刷身份证登录，或在“实名认证”页在线核验"


class RealNameRequired(DomainError):
    """The account is not real-name verified, and what was asked needs it."""

    status = 403

    def __init__(self, what: str) -> None:
        super().__init__("real_name_required", f"{what}须先完成实名认证：{REAL_NAME_HOW}")


def is_real_name_verified(user: User) -> bool:
    """Staff are vouched for by their department; an applicant by one of the RealNameMethod channels."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.kind == UserKind.STAFF:
        return True
    return user.is_real_name_verified


def require_real_name(user: User, what: str) -> None:
    """403 `real_name_required` unless the account is real-name verified."""
    if not is_real_name_verified(user):
        raise RealNameRequired(what)


def holder_code(user: User) -> str:
    """持证主体代码: the code the user's licences, data uses and credit marks are filed under — a natural
    person's ID number, a legal person's USCC; none for staff."""
    if user.kind == UserKind.PERSON:
        return user.id_number or ""
    if user.kind == UserKind.LEGAL:
        return user.uscc or ""
    return ""


def mandates_of(person: User) -> QuerySet[EntityMandate]:
    """The legal persons this natural person may act for now (open mandates), by name."""
    return (
        EntityMandate.objects.filter(person=person, revoked_at__isnull=True, entity__is_active=True)
        .select_related("entity")
        .order_by("entity__name")
    )


def mandate_for(person: User, entity_id: int) -> EntityMandate | None:
    return mandates_of(person).filter(entity_id=entity_id).first()


def accounts_holding(id_number: str) -> list[User]:
    """The natural-person accounts that hold an ID number: its verified owner first, then unverified ones."""
    if not id_number:
        return []
    return list(
        User.objects.filter(kind=UserKind.PERSON, id_number=id_number, is_active=True).order_by(
            F("real_name_verified_at").desc(nulls_last=True), "date_joined"
        )[:10]
    )


def department_staff(department_ids: set[int], *roles: StaffRole) -> dict[StaffRole, dict[int, list[User]]]:
    """The departments' active staff holding each of `roles` (role → department id → users), one query."""
    staff: dict[StaffRole, dict[int, list[User]]] = {role: defaultdict(list) for role in roles}
    users = User.objects.filter(kind=UserKind.STAFF, is_active=True, department_id__in=department_ids)
    for user in users.order_by("pk"):
        for role in roles:
            if user.has_role(role) and user.department_id is not None:
                staff[role][user.department_id].append(user)
    return staff


def department_people(department_id: int, *roles: StaffRole) -> list[User]:
    """The department's active staff holding any of `roles`, each once (a head is often an officer too)."""
    staff = department_staff({department_id}, *roles)
    people = {user.pk: user for role in roles for user in staff[role][department_id]}
    return list(people.values())
