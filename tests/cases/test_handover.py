"""前置事项移交数据: what a completed member hands to the members waiting for it is named in Chinese,
prefilled from the case, checked by the same identifier rules as anywhere, and shown downstream."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import (
    FORM_SCHEMA,
    make_bundle,
    make_company,
    make_department,
    make_document,
    make_item,
    make_service_point,
    make_staff,
)
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Application
from yiwang.catalog.models import BundleDependency
from yiwang.catalog.services import bundle_publish

pytestmark = pytest.mark.django_db

USCC_FIELD = {
    "type": "string",
    "title": "统一社会信用代码",
    "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$",
    "format": "uscc",
}
LICENCE_NO = {"type": "string", "title": "许可证编号", "maxLength": 30}


@pytest.fixture
def permit_then_filing(client):
    """A permit whose number and the holder's USCC a second department's filing needs."""
    first, second = make_department(code="amr9"), make_department(code="hlth9")
    permit = make_item(department=first, name="经营许可", recipients="2", materials=[])
    filing = make_item(
        department=second,
        name="经营备案",
        recipients="2",
        materials=[],
        form_schema={
            **FORM_SCHEMA,
            "properties": {
                **FORM_SCHEMA["properties"],
                "holder_uscc": USCC_FIELD,
                "permit_number": LICENCE_NO,
            },
        },
    )
    bundle = make_bundle(permit, filing, requires={1: [0]}, code="permit-filing", recipients="2")
    BundleDependency.objects.filter(member__bundle=bundle).update(
        handover_fields=["holder_uscc", "permit_number"]
    )
    bundle_publish(bundle=bundle)
    company = ApiUser(client, make_company())
    response = company.post(
        "/applications",
        {
            "bundle": "permit-filing",
            "form": {"applicant_name": company.user.name, "applicant_phone": "13800000000"},
            "materials": [],
            "channel": "web",
        },
    )
    assert response.status_code == 201, response.json()
    number = response.json()["number"]
    clerk = ApiUser(client, make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point()))
    assert clerk.act_application(number, "accept").status_code == 200
    cases = {c.item_version.name: c.number for c in Application.objects.get(number=number).cases.all()}
    officer = ApiUser(client, make_staff(StaffRole.OFFICER, department=first))
    for action in ("start_review", "approve"):
        assert officer.act(cases["经营许可"], action).status_code == 200
    return {"cases": cases, "officer": officer, "company": company, "second": second}


def test_a_missing_hand_over_field_is_named_by_its_title(permit_then_filing):
    officer, cases = permit_then_filing["officer"], permit_then_filing["cases"]

    response = officer.act(cases["经营许可"], "complete", result={"data": {"permit_number": "JY3301"}})

    assert response.status_code == 422
    assert response.json()["fields"] == {
        "result.data.holder_uscc": ["后续事项需要“统一社会信用代码”，请填写"]
    }


def test_an_invalid_uscc_never_reaches_the_waiting_department(permit_then_filing):
    officer, cases = permit_then_filing["officer"], permit_then_filing["cases"]

    response = officer.act(
        cases["经营许可"],
        "complete",
        result={"data": {"holder_uscc": "91330106MA2B3C4D1X", "permit_number": "JY3301"}},
    )

    assert response.status_code == 422
    assert response.json()["fields"]["result.data.holder_uscc"] == [
        "统一社会信用代码：统一社会信用代码校验位不正确，请核对后重新输入"
    ]
    waiting = Application.objects.get().cases.get(item_version__name="经营备案")
    assert waiting.status == "waiting" and "holder_uscc" not in waiting.data


def test_the_handed_over_data_is_shown_with_its_labels_on_the_downstream_case(permit_then_filing, client):
    officer, cases = permit_then_filing["officer"], permit_then_filing["cases"]
    uscc = permit_then_filing["company"].user.uscc

    done = officer.act(
        cases["经营许可"], "complete", result={"data": {"holder_uscc": uscc, "permit_number": "JY3301"}}
    )

    assert done.status_code == 200, done.json()
    filer = make_staff(StaffRole.OFFICER, department=permit_then_filing["second"])
    client.force_login(filer)
    page = client.get(f"/workbench/cases/{cases['经营备案']}/").content.decode()
    assert "统一社会信用代码" in page and uscc in page
    assert "许可证编号" in page and "JY3301" in page


def test_the_workbench_prefills_what_the_case_already_knows(client):
    first, second = make_department(code="amr8"), make_department(code="tax8")
    name_field = {"type": "string", "title": "企业名称", "maxLength": 100}
    schema = {
        **FORM_SCHEMA,
        "properties": {**FORM_SCHEMA["properties"], "enterprise_name": name_field},
    }
    permit = make_item(department=first, name="经营许可", recipients="2", materials=[], form_schema=schema)
    tax = make_item(department=second, name="税务登记", recipients="2", materials=[], form_schema=schema)
    bundle = make_bundle(permit, tax, requires={1: [0]}, code="permit-tax", recipients="2")
    BundleDependency.objects.filter(member__bundle=bundle).update(handover_fields=["enterprise_name"])
    bundle_publish(bundle=bundle)
    company = ApiUser(client, make_company(name="示范青禾有限公司"))
    document = make_document(company.user)  # noqa: F841 (no material asked)
    number = company.post(
        "/applications",
        {
            "bundle": "permit-tax",
            "form": {
                "applicant_name": "示范青禾有限公司",
                "applicant_phone": "13800000000",
                "enterprise_name": "示范青禾有限公司",
            },
            "materials": [],
            "channel": "web",
        },
    ).json()["number"]
    ApiUser(client, make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point())).act_application(
        number, "accept"
    )
    case = Application.objects.get().cases.get(item_version__name="经营许可")
    officer = make_staff(StaffRole.OFFICER, department=first)
    officer_api = ApiUser(client, officer)
    for action in ("start_review", "approve"):
        officer_api.act(case.number, action)
    client.force_login(officer)

    page = client.get(f"/workbench/cases/{case.number}/").content.decode()

    assert '<label for="id_data_enterprise_name">企业名称</label>' in page
    assert 'value="示范青禾有限公司"' in page
