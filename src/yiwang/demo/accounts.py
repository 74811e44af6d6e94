"""Demo accounts: one per role, documented in the README, from `data/accounts.json`. Fictional people and
organisations; department and service-point codes refer to the demo catalog (`data/catalog.json`), and
the demo people (citizen, company) were verified in person at the 市民中心 (`real_name_method`)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.catalog.models import Department, ServicePoint
from yiwang.demo.data_files import demo_data

DEMO_PASSWORD = "Yiwang@2026"
ACCOUNTS_FILE = "accounts.json"

CATALOG_ADMIN_PERMISSIONS = ["view", "add", "change", "delete"]


@transaction.atomic
def demo_accounts_load() -> int:
    """Create the demo accounts that do not exist yet; existing ones are left as they are."""
    created = 0
    for spec in demo_data(ACCOUNTS_FILE):
        existing = User.objects.filter(username=spec["username"]).first()
        if existing is not None:
            if spec.get("real_name_method") and not existing.is_real_name_verified:
                # loaded before accounts had a real-name status: the demo people are verified ones
                User.objects.filter(pk=existing.pk).update(
                    real_name_method=spec["real_name_method"], real_name_verified_at=timezone.now()
                )
            continue
        unknown = set(spec.get("roles", [])) - set(StaffRole.values)
        if unknown:  # roles are a JSON list: full_clean would take any string
            raise ValueError(f"demo account {spec['username']}: unknown roles {sorted(unknown)}")
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
