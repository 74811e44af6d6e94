"""一件事: one application, one acceptance, five departments in parallel, a prerequisite honoured."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import FORM_SCHEMA, make_bundle, make_department, make_document, make_item, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.catalog import codes
from yiwang.catalog.models import BundleDependency
from yiwang.catalog.services import bundle_publish

pytestmark = pytest.mark.django_db

ID_CARD = {"name": "居民身份证", "source": codes.MaterialSource.LICENCE, "licence_type_code": "LT-ID"}
COMPANY_FORM = {
    **FORM_SCHEMA,
    "properties": {
        **FORM_SCHEMA["properties"],
        "enterprise_name": {"type": "string", "title": "企业名称", "maxLength": 100},
        "uscc": {"type": "string", "title": "统一社会信用代码"},
    },
    "required": ["applicant_name", "applicant_phone", "enterprise_name"],
}


@pytest.fixture
def start_business(client, world):
    """企业开办: registration first; seal, tax, social insurance and housing fund in parallel after it."""
    names = [
        ("amr2", "市场监督管理局", "企业设立登记"),
        ("psb", "公安局", "印章刻制备案"),
        ("tax2", "税务局", "发票领用"),
        ("hrss", "人力资源和社会保障局", "社会保险登记"),
        ("hpf", "住房公积金管理中心", "住房公积金单位缴存登记"),
    ]
    versions, officers = [], {}
    for code, department_name, item_name in names:
        department = make_department(code=code, name=f"示范区{department_name}")
        versions.append(
            make_item(
                department=department,
                name=item_name,
                promised_limit_days=1,
                statutory_limit_days=5,
                recipients="2",
                form_schema=COMPANY_FORM,
                materials=[dict(ID_CARD), {"name": f"{item_name}申请表"}],
            )
        )
        officers[item_name] = ApiUser(client, make_staff(StaffRole.OFFICER, department=department))
    bundle = make_bundle(
        *versions,
        requires={1: [0], 2: [0], 3: [0], 4: [0]},
        code="qykb",
        name="企业开办",
        recipients="2",
        promised_limit_days=2,
    )
    BundleDependency.objects.filter(member__bundle=bundle).update(handover_fields=["uscc"])
    bundle_publish(bundle=bundle)
    return bundle, versions, officers


def apply_for_bundle(world, bundle_code: str) -> dict:
    from tests.factories import make_company

    company = ApiUser(world.citizen.client, make_company())
    detail = company.client.get(f"/api/v1/bundles/{bundle_code}").json()
    document = make_document(company.user)
    body = {
        "bundle": bundle_code,
        "channel": "web",
        "form": {
            "applicant_name": "刘经办",
            "applicant_phone": "13900000000",
            "enterprise_name": "示范云帆科技有限公司",
        },
        "materials": [
            {"material": m["material"]["id"], "document": str(document.id)} for m in detail["materials"]
        ],
    }
    response = company.post("/applications", body)
    assert response.status_code == 201, response.json()
    return {"company": company, "application": response.json()}


def test_bundle_asks_each_shared_material_once(world, start_business):
    detail = world.citizen.client.get("/api/v1/bundles/qykb").json()
    assert [m["material"]["name"] for m in detail["materials"]].count("居民身份证") == 1
    assert len(detail["materials"]) == 6  # one ID card + five application forms


def test_bundle_submission_creates_one_case_per_department_at_once(world, start_business):
    application = apply_for_bundle(world, "qykb")["application"]
    departments = [c["department"]["label"] for c in application["cases"]]
    assert len(departments) == len(set(departments)) == 5
    assert {c["status"]["code"] for c in application["cases"]} == {"pre_review"}
    assert application["cases"][1]["number"] == application["number"] + "-02"


def test_form_fields_are_asked_once_and_copied_to_every_case(world, start_business):
    _bundle, _versions, officers = start_business
    application = apply_for_bundle(world, "qykb")["application"]
    for case in application["cases"]:
        data = officers[case["item"]["label"]].get(f"/cases/{case['number']}").json()["data"]
        assert data["enterprise_name"] == "示范云帆科技有限公司"


def test_bundle_is_accepted_once_and_processed_in_parallel_honouring_the_prerequisite(world, start_business):
    _bundle, versions, officers = start_business
    application = apply_for_bundle(world, "qykb")["application"]
    number = application["number"]
    cases = {c["item"]["label"]: c["number"] for c in application["cases"]}

    # An online bundle is taken in by its lead department (at a window, by the comprehensive clerk).
    accepted = officers["企业设立登记"].act_application(number, "accept")
    assert accepted.status_code == 200, accepted.json()
    statuses = {c["item"]["label"]: c["status"]["code"] for c in accepted.json()["cases"]}
    assert statuses == {
        "企业设立登记": "accepted",
        "印章刻制备案": "waiting",
        "发票领用": "waiting",
        "社会保险登记": "waiting",
        "住房公积金单位缴存登记": "waiting",
    }
    seal = officers["印章刻制备案"]
    assert seal.get(f"/cases/{cases['印章刻制备案']}").json()["waiting_for"] == [cases["企业设立登记"]]
    early = seal.act(cases["印章刻制备案"], "start_review")
    assert early.status_code == 409

    registration = officers["企业设立登记"]
    for action, body in [("start_review", {}), ("approve", {})]:
        assert registration.act(cases["企业设立登记"], action, **body).status_code == 200
    missing = registration.act(cases["企业设立登记"], "complete", result={"name": "营业执照"})
    assert missing.status_code == 422
    assert missing.json()["fields"]["result.data.uscc"] == ["后续事项需要“统一社会信用代码”，请填写"]
    done = registration.act(
        cases["企业设立登记"],
        "complete",
        result={"name": "营业执照", "number": "91330106MA2B3C4D11", "data": {"uscc": "91330106MA2B3C4D11"}},
    )
    assert done.status_code == 200

    for item_name in ["印章刻制备案", "发票领用", "社会保险登记", "住房公积金单位缴存登记"]:
        detail = officers[item_name].get(f"/cases/{cases[item_name]}").json()
        assert detail["status"]["code"] == "accepted"
        assert detail["data"]["uscc"] == "91330106MA2B3C4D11", "handed over, not re-typed"
        assert detail["deadlines"]["promised_due"] is not None
    # the four proceed in parallel, in any order
    for item_name in ["住房公积金单位缴存登记", "印章刻制备案", "社会保险登记", "发票领用"]:
        officer = officers[item_name]
        for action in ["start_review", "approve", "complete"]:
            assert officer.act(cases[item_name], action).status_code == 200
        expected = "completed" if item_name == "发票领用" else "in_progress"
        company_view = registration.get(f"/applications/{number}").json()
        assert company_view["status"]["code"] == expected


def test_bundle_member_cannot_be_accepted_alone(world, start_business):
    _bundle, _versions, officers = start_business
    application = apply_for_bundle(world, "qykb")["application"]
    response = officers["企业设立登记"].act(application["cases"][0]["number"], "accept")
    assert response.status_code == 409
    assert response.json()["message"] == "一件事由综合窗口整体受理，请对申办执行受理"


def test_one_supplement_notice_covers_the_whole_bundle(world, start_business):
    _bundle, _versions, officers = start_business
    application = apply_for_bundle(world, "qykb")["application"]
    detail = world.clerk.client.get("/api/v1/bundles/qykb").json()
    id_card = next(m for m in detail["materials"] if m["material"]["name"] == "居民身份证")
    response = officers["企业设立登记"].act_application(
        application["number"],
        "request_supplement",
        items=[{"material": id_card["material"]["id"], "reason": "证件已过期"}],
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"]["code"] == "supplement_requested"
    assert {c["status"]["code"] for c in response.json()["cases"]} == {"supplement_requested"}


def test_optional_members_are_included_only_when_chosen(world):
    a, b = make_item(name="出生医学证明首次签发"), make_item(name="生育医疗费用报销")
    bundle = make_bundle(a, b, code="xsr", name="新生儿出生")
    bundle.members.filter(item=b.item).update(optional=True)
    bundle_publish(bundle=bundle)
    document = make_document(world.citizen.user)
    detail = world.citizen.client.get("/api/v1/bundles/xsr").json()
    body = {
        "bundle": "xsr",
        "channel": "mobile",
        "form": {"applicant_name": "张三", "applicant_phone": "13800000000"},
        "materials": [{"material": detail["materials"][0]["material"]["id"], "document": str(document.id)}],
    }
    without = world.citizen.post("/applications", body).json()
    assert [c["item"]["label"] for c in without["cases"]] == ["出生医学证明首次签发"]
    chosen = world.citizen.post("/applications", {**body, "members": [b.item.code]}).json()
    assert [c["item"]["label"] for c in chosen["cases"]] == ["出生医学证明首次签发", "生育医疗费用报销"]


def test_one_supplement_answers_the_whole_bundle(world, start_business):
    _bundle, _versions, officers = start_business
    applied = apply_for_bundle(world, "qykb")
    company, application = applied["company"], applied["application"]
    detail = world.clerk.client.get("/api/v1/bundles/qykb").json()
    id_card = next(m for m in detail["materials"] if m["material"]["name"] == "居民身份证")["material"]["id"]
    officers["企业设立登记"].act_application(
        application["number"], "request_supplement", items=[{"material": id_card, "reason": "证件已过期"}]
    )
    document = make_document(company.user)
    response = company.act_application(
        application["number"], "supplement", materials=[{"material": id_card, "document": str(document.id)}]
    )
    assert response.status_code == 200, response.json()
    assert {c["status"]["code"] for c in response.json()["cases"]} == {"pre_review"}
