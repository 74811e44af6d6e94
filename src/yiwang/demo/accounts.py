"""Demo accounts: one per role, documented in the README. Fictional people and organisations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import RealNameMethod, User, UserKind
from yiwang.catalog.codes import StaffRole
from yiwang.catalog.models import Department, ServicePoint

DEMO_PASSWORD = "Yiwang@2026"

# Department and service-point codes refer to the demo catalog (catalog_data.py).
DEMO_ACCOUNTS: list[dict[str, Any]] = [
    {
        "username": "admin",
        "name": "系统管理员",
        "kind": UserKind.STAFF,
        "is_superuser": True,
        "is_staff": True,
        "department": "zwfw",
        "roles": [StaffRole.CATALOG_ADMIN, StaffRole.SUPERVISOR],
    },
    {
        "username": "catalog",
        "name": "周目录",
        "kind": UserKind.STAFF,
        "is_staff": True,
        "department": "zwfw",
        "roles": [StaffRole.CATALOG_ADMIN],
    },
    {
        "username": "clerk",
        "name": "王窗口",
        "kind": UserKind.STAFF,
        "department": "zwfw",
        "service_point": "centre",
        "roles": [StaffRole.WINDOW_CLERK],
    },
    {
        "username": "officer",
        "name": "李审批",
        "kind": UserKind.STAFF,
        "department": "scjg",
        "roles": [StaffRole.OFFICER],
    },
    {
        "username": "head",
        "name": "陈科长",
        "kind": UserKind.STAFF,
        "department": "scjg",
        "roles": [StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD],
    },
    # 企业开办一件事 runs in five departments at once: an officer in each of the other four.
    *[
        {
            "username": username,
            "name": name,
            "kind": UserKind.STAFF,
            "department": department,
            "roles": [StaffRole.OFFICER],
        }
        for username, name, department in [
            ("police", "周治安", "gazagl"),
            ("tax", "吴税务", "swj"),
            ("hrss", "郑社保", "rsj"),
            ("fund", "冯公积金", "gjj"),
        ]
    ],
    {
        "username": "supervisor",
        "name": "赵监察",
        "kind": UserKind.STAFF,
        "department": "zwfw",
        "roles": [StaffRole.SUPERVISOR],
    },
    {
        "username": "citizen",
        "name": "张示范",
        "kind": UserKind.PERSON,
        "id_number": "330102199003071230",
        "mobile": "13800000001",
        "real_name_method": RealNameMethod.WINDOW,  # verified in person at the 市民中心
    },
    {
        "username": "company",
        "name": "示范市云帆科技有限公司",
        "kind": UserKind.LEGAL,
        "uscc": "91330106MA2B3C4D11",
        "legal_representative": "刘云帆",
        "legal_representative_id_number": "330105198506120043",
        "mobile": "13800000002",
        "real_name_method": RealNameMethod.WINDOW,
    },
]

CATALOG_ADMIN_PERMISSIONS = ["view", "add", "change", "delete"]


@transaction.atomic
def demo_accounts_load() -> int:
    """Create the demo accounts that do not exist yet; existing ones are left as they are."""
    created = 0
    for spec in DEMO_ACCOUNTS:
        existing = User.objects.filter(username=spec["username"]).first()
        if existing is not None:
            if spec.get("real_name_method") and not existing.is_real_name_verified:
                # loaded before accounts had a real-name status: the demo people are verified ones
                User.objects.filter(pk=existing.pk).update(
                    real_name_method=spec["real_name_method"], real_name_verified_at=timezone.now()
                )
            continue
        values = dict(spec)
        if values.get("real_name_method"):
            values["real_name_verified_at"] = timezone.now()
        department = values.pop("department", None)
        point = values.pop("service_point", None)
        user = User(
            **values,
            department=Department.objects.get(code=department) if department else None,
            service_point=ServicePoint.objects.get(code=point) if point else None,
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean(exclude=["password"])
        user.save()
        if StaffRole.CATALOG_ADMIN in user.roles and not user.is_superuser:
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="catalog",
                    codename__regex=rf"^({'|'.join(CATALOG_ADMIN_PERMISSIONS)})_",
                )
            )
        created += 1
    return created
