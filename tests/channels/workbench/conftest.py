from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import FORM_SCHEMA, make_bundle, make_department, make_item, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.catalog.services import bundle_publish

TEST_ID = "11010519491231002X"  # the GB 11643 test number; never a real person's
MASKED_ID = "110105********002X"

_scan = itertools.count(1)


def scan(name: str = "scan.pdf") -> SimpleUploadedFile:
    """A small PDF, different each time (documents are stored once per content)."""
    body = b"%PDF-1.4\n% window scan " + str(next(_scan)).encode() + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def look_up(client: Any, number: str = TEST_ID, name: str = "张三", **extra: str) -> Any:
    return client.post(reverse("workbench:desk"), {"kind": "person", "number": number, "name": name, **extra})


def start(client: Any, url: str, versions: list[Any], form: dict[str, str], **extra: Any) -> Any:
    """Submit the desk's form with a scan for every material of `versions` (each paper once)."""
    data: dict[str, Any] = {"token": uuid.uuid4().hex, **{f"f.{k}": v for k, v in form.items()}}
    seen: set[str] = set()
    for version in versions:
        for material in version.materials.order_by("order", "id"):
            if material.share_key in seen:
                continue
            seen.add(material.share_key)
            data[f"mat-{material.id}-way"] = "scan"
            data[f"mat-{material.id}-file"] = scan()
    data.update(extra)
    return client.post(url, data)


def start_item(client: Any, world: Any) -> Any:
    """The clerk looks up 张三 and submits the world's item for him at the window."""
    client.force_login(world.clerk.user)
    look_up(client)
    return start(
        client,
        reverse("workbench:desk_start_item", args=[world.item.item.code]),
        [world.item],
        {"applicant_name": "张三", "applicant_phone": "13800000000"},
    )


@pytest.fixture
def newborn(world) -> Any:
    """新生儿出生一件事: the birth certificate first (health), then the household registration (police)."""
    health = make_department(code="wjw", name="示范市卫生健康委员会")
    police = make_department(code="gaj", name="示范市公安局")
    certificate = make_item(
        department=health,
        name="出生医学证明首次签发",
        materials=[{"name": "居民身份证"}, {"name": "住院分娩证明"}],
    )
    registration_form = {
        **FORM_SCHEMA,
        "properties": {
            **FORM_SCHEMA["properties"],
            "certificate_number": {
                "type": "string",
                "title": "出生医学证明编号",
                "pattern": "^[A-Z][0-9]{9}$",
            },
        },
    }
    registration = make_item(
        department=police,
        name="出生登记",
        materials=[{"name": "居民身份证"}, {"name": "户口簿"}],
        form_schema=registration_form,
    )
    bundle = make_bundle(
        certificate, registration, requires={1: [0]}, code="newborn", name="新生儿出生一件事"
    )
    from yiwang.catalog.models import BundleDependency

    BundleDependency.objects.filter(member__bundle=bundle).update(handover_fields=["certificate_number"])
    bundle_publish(bundle=bundle)
    return {
        "bundle": bundle,
        "versions": [certificate, registration],
        "health_officer": make_staff(StaffRole.OFFICER, department=health),
        "police_officer": make_staff(StaffRole.OFFICER, department=police),
    }
