"""企业开办 for a founder: a natural person founds a company that does not exist yet; 企业设立登记 gives it
a USCC, an account, a mandate for the founder and its 营业执照; the other departments get the USCC by
hand-over and work in parallel; an existing company is sent to 变更登记."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cases.helpers import ApiUser
from tests.demo_slice import BUSINESS_LICENCE, ID_CARD, give_id_licence, load_demo_bundle
from tests.factories import (
    make_citizen,
    make_company,
    make_document,
    make_id_number,
    make_service_point,
    make_staff,
)
from yiwang.accounts.models import EntityMandate, MandateRole, User
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Application, ApplicationMaterial
from yiwang.catalog.models import Department, Material
from yiwang.core.identifiers import normalize_uscc
from yiwang.licences.models import Licence, LicenceType
from yiwang.licences.services import licence_create

pytestmark = pytest.mark.django_db

FOUNDER_ID = make_id_number(321)
OPTIONAL_MEMBER_FIELDS = {"effective_period"}  # 增值税一般纳税人登记, optional and not chosen here


@pytest.fixture
def founding(client) -> dict[str, Any]:
    """The demo's 企业开办一件事, a founder holding an ID e-licence, a clerk and an officer per department."""
    bundle = load_demo_bundle("enterprise-start")
    founder = make_citizen(name="林创业", id_number=FOUNDER_ID, mobile="13900000321")
    give_id_licence(founder)
    officers = {
        m.item.published_version.name: ApiUser(
            client, make_staff(StaffRole.OFFICER, department=m.item.department)
        )
        for m in bundle.members.select_related("item__published_version", "item__department")
    }
    return {
        "bundle": bundle,
        "founder": ApiUser(client, founder),
        "clerk": ApiUser(client, make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point())),
        "officers": officers,
    }


def company_form(schema: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """The merged form filled as a founder would: the company-to-be, its shareholders, the choices."""
    form: dict[str, Any] = {
        "enterprise_name": "示范市青禾科技有限公司",
        "registered_capital": 100,
        "business_scope": "软件开发；信息技术咨询服务",
        "business_address": "示范市西湖区文三路100号",
        "legal_representative": "林创业",
        "legal_representative_id_number": FOUNDER_ID,
        "shareholders": [{"name": "林创业", "id_number": FOUNDER_ID, "contribution": 100}],
        "contact_person": "林创业",
        "applicant_phone": "13900000321",
    }
    for name, prop in schema["properties"].items():
        if name in form or name in OPTIONAL_MEMBER_FIELDS:
            continue
        if "enum" in prop:
            form[name] = prop["enum"][0]
        elif prop.get("type") == "array" and "enum" in prop.get("items", {}):
            form[name] = [prop["items"]["enum"][0]]
    form.update(overrides)
    return form


def papers(founder: ApiUser, detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Every required paper the founder must hand in (not the forms, not what the library or the
    registration itself provides), uploaded."""
    document = make_document(founder.user)
    entries = []
    for row in detail["materials"]:
        material = Material.objects.get(pk=row["material"]["id"])
        if material.required and not material.is_application_form and not material.licence_type_code:
            entries.append({"material": material.id, "document": str(document.id)})
    return entries


def submit(founding: dict[str, Any], **form_overrides: Any) -> Any:
    founder = founding["founder"]
    detail = founder.get("/bundles/enterprise-start").json()
    return founder.post(
        "/applications",
        {
            "bundle": "enterprise-start",
            "form": company_form(detail["form_schema"], **form_overrides),
            "materials": papers(founder, detail),
            "channel": "web",
        },
    )


def test_no_form_of_the_bundle_asks_the_founder_for_the_uscc_the_registration_will_produce(founding):
    detail = founding["founder"].get("/bundles/enterprise-start").json()
    assert "uscc" not in detail["form_schema"]["properties"]
    assert "uscc" not in detail["form_schema"]["required"]
    assert {"enterprise_name", "legal_representative_id_number", "shareholders"} <= set(
        detail["form_schema"]["properties"]
    )


def test_a_natural_person_applies_for_a_company_that_does_not_exist_yet(founding):
    response = submit(founding)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["applicant"]["kind"] == "legal" and body["applicant"]["name"] == "示范市青禾科技有限公司"
    application = Application.objects.get(number=body["number"])
    assert application.applicant_id_number == "", "no USCC until 企业设立登记 gives one"
    assert application.agent_user == founding["founder"].user and application.agent_name == "林创业"
    assert application.applicant_user is None
    # the founder's own ID e-licence stands in for the legal representative's ID card (免提交)
    ids = ApplicationMaterial.objects.filter(application=application, material__licence_type_code=ID_CARD)
    assert ids.exists() and all(m.licence_identifier for m in ids)
    # the founder sees it among their own applications
    listed = founding["founder"].get("/applications").json()["items"]
    assert [a["number"] for a in listed] == [body["number"]]


def test_the_founder_is_never_asked_for_the_business_licence_the_registration_issues(founding):
    founder = founding["founder"]
    detail = founder.get("/bundles/enterprise-start").json()
    licence_material = next(
        Material.objects.get(pk=row["material"]["id"])
        for row in detail["materials"]
        if row["material"]["licence_type_code"] == BUSINESS_LICENCE
    )
    own = licence_create(  # a sole proprietorship's 营业执照 the founder holds: of another holder
        licence_type=LicenceType.objects.get(code=BUSINESS_LICENCE),
        issuer=Department.objects.get(code="scjg"),
        holder_name=founder.user.name,
        holder_code=FOUNDER_ID,
        holder_code_type="111",
        data={},
    )
    body = {
        "bundle": "enterprise-start",
        "form": company_form(detail["form_schema"]),
        "materials": [*papers(founder, detail), {"material": licence_material.id, "licence": own.identifier}],
        "channel": "web",
    }
    response = founder.post("/applications", body)

    assert response.status_code == 422
    messages = [m for ms in response.json()["fields"].values() for m in ms]
    assert any("设立登记办结后自动提供" in m for m in messages)
    assert not Application.objects.exists()


def test_completing_the_registration_founds_the_company_and_hands_its_uscc_to_every_department(founding):
    number = submit(founding).json()["number"]
    assert founding["clerk"].act_application(number, "accept").status_code == 200
    application = Application.objects.get(number=number)
    cases = {c.item_version.name: c.number for c in application.cases.select_related("item_version")}
    registration = founding["officers"]["企业设立登记"]
    for action in ("start_review", "approve"):
        assert registration.act(cases["企业设立登记"], action).status_code == 200

    typed = registration.act(
        cases["企业设立登记"], "complete", result={"data": {"uscc": "91330106MA2B3C4D11"}}
    )
    assert typed.status_code == 422
    assert typed.json()["fields"]["result.data.uscc"] == ["由办结时自动生成，无需填写"]
    done = registration.act(cases["企业设立登记"], "complete")
    assert done.status_code == 200, done.json()

    application.refresh_from_db()
    uscc = application.applicant_id_number
    assert normalize_uscc(uscc) == uscc and uscc.startswith("91330100"), "GB 32100, 市场监管 + 企业 + 区划"
    company = User.objects.get(uscc=uscc)
    assert company.kind == "legal" and company.name == "示范市青禾科技有限公司"
    assert company.is_real_name_verified and not company.has_usable_password()
    assert application.applicant_user == company
    mandate = EntityMandate.objects.get(entity=company)
    assert (mandate.person, mandate.role) == (founding["founder"].user, MandateRole.LEGAL_REPRESENTATIVE)
    licence = Licence.objects.get(licence_type__code=BUSINESS_LICENCE, holder_code=uscc)
    assert licence.holder_name == "示范市青禾科技有限公司"
    assert not Licence.objects.filter(licence_type__code=BUSINESS_LICENCE, holder_code=FOUNDER_ID).exists()

    downstream = [name for name in cases if name not in ("企业设立登记", "增值税一般纳税人登记")]
    for name in downstream:
        detail = founding["officers"][name].get(f"/cases/{cases[name]}").json()
        assert detail["status"]["code"] == "accepted", name
        assert detail["data"]["uscc"] == uscc, "handed over, never typed"
        # the new 营业执照 stands for the department's own 营业执照 material
    assert ApplicationMaterial.objects.filter(
        application=application, licence_identifier=licence.identifier, from_library=True
    ).exists()


def test_five_departments_complete_in_parallel_and_the_company_finds_its_licence_and_case(founding):
    number = submit(founding).json()["number"]
    founding["clerk"].act_application(number, "accept")
    cases = {
        c.item_version.name: c.number
        for c in Application.objects.get(number=number).cases.select_related("item_version")
    }
    for name in ["企业设立登记", "社会保险登记", "印章刻制备案", "住房公积金单位缴存登记", "发票领用"]:
        officer = founding["officers"][name]
        for action in ("start_review", "approve", "complete"):
            assert officer.act(cases[name], action).status_code == 200, (name, action)
    company = Application.objects.get(number=number).applicant_user
    founder = founding["founder"]
    acting = {"HTTP_X_ACTING_ENTITY": company.uscc}

    assert founder.get(f"/applications/{number}").json()["status"]["code"] == "completed"
    wallet = founder.get("/me/licences", headers=acting).json()["items"]
    assert [w["type_name"] for w in wallet] == ["营业执照"]
    mine = founder.get("/me/licences").json()["items"]
    assert "营业执照" not in [w["type_name"] for w in mine], "the company's licence is the company's"
    assert [a["number"] for a in founder.get("/applications", headers=acting).json()["items"]] == [number]


def test_a_person_without_a_mandate_cannot_act_for_the_company(founding, client):
    company = make_company()
    stranger = ApiUser(client, make_citizen())
    response = stranger.get("/me/licences", headers={"HTTP_X_ACTING_ENTITY": company.uscc})
    assert response.status_code == 403 and response.json()["code"] == "no_mandate"


def test_an_existing_company_is_told_to_apply_for_a_change_of_registration(founding, client):
    company = ApiUser(client, make_company())
    detail = company.get("/bundles/enterprise-start").json()
    response = company.post(
        "/applications",
        {
            "bundle": "enterprise-start",
            "form": company_form(detail["form_schema"]),
            "materials": [],
            "channel": "web",
        },
    )

    assert response.status_code == 422
    assert response.json()["code"] == "entity_exists"
    assert "企业变更登记" in response.json()["message"]
    assert (
        not Application.objects.exists()
        and not Licence.objects.exists()
        or not Licence.objects.filter(licence_type__code=BUSINESS_LICENCE).exists()
    )


def test_the_window_founds_a_company_for_the_person_standing_there(founding):
    clerk = founding["clerk"]
    detail = clerk.get("/bundles/enterprise-start").json()
    document = make_document(clerk.user)
    materials = [
        {"material": row["material"]["id"], "document": str(document.id)}
        for row in detail["materials"]
        if row["material"]["required"]
        and not row["material"]["licence_type_code"]
        and row["needed_by"] != ["增值税一般纳税人登记"]  # optional, not chosen
    ]
    response = clerk.post(
        "/applications",
        {
            "bundle": "enterprise-start",
            "applicant": {"kind": "person", "name": "林创业", "id_number": FOUNDER_ID},
            "form": company_form(detail["form_schema"]),
            "materials": materials,
            "channel": "window",
        },
    )

    assert response.status_code == 201, response.json()
    application = Application.objects.get(number=response.json()["number"])
    assert application.agent_user == founding["founder"].user, "the founder's verified account"
    assert application.applicant_kind == "legal" and application.applicant_id_number == ""


def test_the_officer_is_shown_the_uscc_as_made_on_completion_not_asked_for_it(founding, client):
    number = submit(founding).json()["number"]
    founding["clerk"].act_application(number, "accept")
    case = Application.objects.get(number=number).cases.get(item_version__name="企业设立登记")
    officer = founding["officers"]["企业设立登记"]
    for action in ("start_review", "approve"):
        officer.act(case.number, action)
    client.force_login(officer.user)

    page = client.get(f"/workbench/cases/{case.number}/").content.decode()

    uscc_input = (
        page.split('id="id_data_uscc"')[0].rsplit("<input", 1)[1] + page.split('id="id_data_uscc"')[1][:80]
    )
    assert "disabled" in uscc_input and "办结时自动生成" in uscc_input
    assert "拟设立企业，设立登记办结时赋码" in page and "经办人" in page
    assert "股东姓名或名称：林创业" in page, "a record is shown by its fields' titles"


def test_the_founder_tracks_the_company_to_be_with_the_last_four_of_their_own_id_number(founding, client):
    number = submit(founding).json()["number"]
    client.logout()

    before = client.post(f"/track/{number}/", {"id_suffix": FOUNDER_ID[-4:]})

    assert before.status_code == 200 and "企业设立登记" in before.content.decode()
    notice = founding["founder"].get(f"/applications/{number}").json()["applicant"]
    assert notice["agent"]["name"] == "林创业"
