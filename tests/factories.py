"""Builders for test data: one call gives a valid, publishable object; keywords override fields."""

from __future__ import annotations

import itertools
from typing import Any

from yiwang.accounts.roles import StaffRole
from yiwang.catalog import codes
from yiwang.catalog.models import (
    Bundle,
    BundleDependency,
    BundleMember,
    Department,
    Fee,
    ItemVersion,
    Material,
    ProcessStep,
    ServiceItem,
)
from yiwang.core.identifiers import org_code_check_char, uscc_check_char

_seq = itertools.count(1)
PASSWORD = "pw-Yiwang-2026"  # of every account the factories make


def make_uscc(n: int, region: str = "330100") -> str:
    """A valid 统一社会信用代码 for a government organ (11…) with a made-up organisation code."""
    body = f"{n:08d}"
    org = body + org_code_check_char(body)
    first17 = f"11{region}{org}"
    return first17 + uscc_check_char(first17)


def make_department(**overrides: Any) -> Department:
    n = next(_seq)
    values: dict[str, Any] = {
        "code": f"dept{n}",
        "name": f"示范市测试局{n}",
        "uscc": make_uscc(10_000 + n),
        "region_code": "330100",
        "enquiry_phone": f"0571-8{n:07d}",
        "complaint_phone": "12345",
    }
    values.update(overrides)
    return Department.objects.create(**values)


FORM_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "title": "申请人姓名", "maxLength": 50, "examples": ["张三"]},
        "applicant_phone": {
            "type": "string",
            "title": "联系电话",
            "pattern": "^1[3-9][0-9]{9}$",
            "examples": ["13800000000"],
        },
    },
    "required": ["applicant_name", "applicant_phone"],
}


def version_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "测试事项",
        "base_code": "000000000001",
        "item_type": codes.ItemType.LICENCE,
        "exercise_level": codes.ExerciseLevel.MUNICIPAL,
        "legal_basis": "《中华人民共和国行政许可法》",
        "recipients": "1",
        "acceptance_conditions": "符合条件的申请人",
        "case_type": codes.CaseType.PROMISED,
        "statutory_limit_days": 20,
        "promised_limit_days": 5,
        "visits": 1,
        "visit_reason": "需现场核验原件",
        "online_depth": codes.OnlineDepth.III,
        "channels": "1^2",
        "place": "示范市市民中心二楼",
        "hours": "工作日 9:00-17:00",
        "enquiry_phone": "0571-81234567",
        "complaint_phone": "12345",
        "form_schema": FORM_SCHEMA,
    }
    values.update(overrides)
    return values


def make_item(
    *,
    department: Department | None = None,
    code: str | None = None,
    publish: bool = True,
    materials: list[dict[str, Any]] | None = None,
    fees: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> ItemVersion:
    """An item with version 1 (published unless publish=False), one material and two steps."""
    from yiwang.catalog.services import item_version_publish, search_text_for

    department = department or make_department()
    n = next(_seq)
    item = ServiceItem.objects.create(code=code or f"TEST{n:06d}", department=department)
    version = ItemVersion(item=item, version=1, **version_values(**overrides))
    version.search_text = search_text_for(version)
    version.save()
    for i, material in enumerate(materials if materials is not None else [{"name": "居民身份证"}]):
        Material.objects.create(
            version=version, code=material.pop("code", f"M{i + 1:02d}"), order=i, **material
        )
    for fee in fees or []:
        Fee.objects.create(version=version, **fee)
    ProcessStep.objects.create(
        version=version, order=1, name="受理", role=StaffRole.WINDOW_CLERK, limit_days=1
    )
    ProcessStep.objects.create(
        version=version, order=2, name="审查决定", role=StaffRole.OFFICER, limit_days=3
    )
    if publish:
        version = item_version_publish(version=version)
    return version


def make_bundle(
    *versions: ItemVersion, requires: dict[int, list[int]] | None = None, **overrides: Any
) -> Bundle:
    """A draft bundle of the given items; `requires` maps member index → indexes it depends on."""
    values: dict[str, Any] = {
        "code": f"bundle{next(_seq)}",
        "name": "测试一件事",
        "summary": "测试",
        "recipients": "1",
        "promised_limit_days": 60,
        "lead_department": versions[0].item.department,
    }
    values.update(overrides)
    bundle = Bundle.objects.create(**values)
    members = [
        BundleMember.objects.create(bundle=bundle, item=v.item, order=i) for i, v in enumerate(versions)
    ]
    for member_index, prerequisite_indexes in (requires or {}).items():
        for prerequisite in prerequisite_indexes:
            BundleDependency.objects.create(member=members[member_index], requires=members[prerequisite])
    return bundle


def make_id_number(n: int, region: str = "330102", birth: str = "19900101") -> str:
    from yiwang.core.identifiers import id_number_check_char

    first17 = f"{region}{birth}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


VERIFIED_AT_WINDOW: dict[str, Any] = {"real_name_method": "window"}


def _verified(values: dict[str, Any]) -> dict[str, Any]:
    """Applicants are real-name verified unless a test says `real_name_method=""`."""
    from django.utils import timezone

    if values.get("real_name_method") and "real_name_verified_at" not in values:
        values["real_name_verified_at"] = timezone.now()
    return values


def make_citizen(**overrides: Any) -> Any:
    from yiwang.accounts.models import User

    n = next(_seq)
    values: dict[str, Any] = {
        "username": f"citizen{n}",
        "kind": "person",
        "name": f"市民{n}",
        "id_number": make_id_number(n),
        **VERIFIED_AT_WINDOW,
    }
    values.update(overrides)
    return User.objects.create_user(password=PASSWORD, **_verified(values))


def make_company(**overrides: Any) -> Any:
    from yiwang.accounts.models import User

    n = next(_seq)
    values: dict[str, Any] = {
        "username": f"company{n}",
        "kind": "legal",
        "name": f"示范企业{n}有限公司",
        "legal_representative": "法人代表",
        "legal_representative_id_number": make_id_number(n + 500),
        **VERIFIED_AT_WINDOW,
    }
    values["uscc"] = _business_uscc(50_000 + n)
    values.update(overrides)
    return User.objects.create_user(password=PASSWORD, **_verified(values))


def _business_uscc(n: int) -> str:
    body = f"MA{n:06d}"
    org = body + org_code_check_char(body)
    first17 = f"91330106{org}"
    return first17 + uscc_check_char(first17)


def make_staff(
    *roles: str, department: Department | None = None, service_point: Any = None, **overrides: Any
) -> Any:
    from yiwang.accounts.models import User

    n = next(_seq)
    values: dict[str, Any] = {
        "username": f"staff{n}",
        "kind": "staff",
        "name": f"工作人员{n}",
        "department": department or make_department(),
        "service_point": service_point,
        "roles": list(roles),
    }
    values.update(overrides)
    return User.objects.create_user(password=PASSWORD, **values)


def make_service_point(**overrides: Any) -> Any:
    from yiwang.catalog.models import ServicePoint

    n = next(_seq)
    values: dict[str, Any] = {
        "code": f"point{n}",
        "name": f"便民服务中心{n}",
        "kind": codes.ServicePointKind.CENTRE,
        "region_code": "330102",
        "address": "市民街1号",
    }
    values.update(overrides)
    return ServicePoint.objects.create(**values)


def make_document(owner: Any, content: bytes | None = None) -> Any:
    """An uploaded PDF owned by `owner`, through the documents service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.documents.services import document_upload

    n = next(_seq)
    body = content or (b"%PDF-1.4\n% test document " + str(n).encode() + b"\n%%EOF\n")
    return document_upload(
        owner=owner, upload=SimpleUploadedFile(f"doc{n}.pdf", body, content_type="application/pdf")
    )


def make_data_use(holder_code: str, **overrides: Any) -> Any:
    """One granted query in the use log (用数记录) about `holder_code`."""
    from yiwang.sharing import chain

    values: dict[str, Any] = {
        "actor_name": "李审批",
        "department_name": "示范市市场监督管理局",
        "case_number": "X",
        "reason": "核验",
        "holder_code": holder_code,
        "action": "query",
        "fields": [],
        "outcome": "granted",
        "basis": "",
    }
    values.update(overrides)
    return chain.append(**values)
