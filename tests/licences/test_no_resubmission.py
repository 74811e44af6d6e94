"""免提交: materials a shared e-licence proves are taken from the library, never asked again; every such
use is logged for the holder; completion issues the result licence into the library."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen, make_department, make_document, make_item, make_staff
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.accounts.roles import StaffRole
from yiwang.catalog import codes
from yiwang.licences.models import Licence

pytestmark = pytest.mark.django_db

ID_CARD, HOUSEHOLD, MARRIAGE = "11100000YW000099XF001", "11100000YW000099XF002", "11100000YW000099XF003"


@pytest.fixture
def setup(client):
    department = make_department(code="mzj", name="示范区民政局")
    types = {
        code: make_licence_type(code=code, name=name, data_fields=[{"name": "holder", "title": "持证人"}])
        for code, name in [(ID_CARD, "居民身份证"), (HOUSEHOLD, "居民户口簿"), (MARRIAGE, "结婚证")]
    }
    item = make_item(
        department=department,
        name="生育登记",
        materials=[
            {"name": "居民身份证", "source": codes.MaterialSource.LICENCE, "licence_type_code": ID_CARD},
            {"name": "居民户口簿", "source": codes.MaterialSource.LICENCE, "licence_type_code": HOUSEHOLD},
            {"name": "结婚证", "source": codes.MaterialSource.LICENCE, "licence_type_code": MARRIAGE},
            {"name": "生育登记申请表", "is_application_form": True},
            {"name": "孕检证明"},
        ],
    )
    citizen = make_citizen(name="张示范")
    return {
        "item": item,
        "types": types,
        "citizen": ApiUser(client, citizen),
        "department": department,
        "officer": ApiUser(client, make_staff(StaffRole.OFFICER, department=department)),
    }


def submit_uploading(api: ApiUser, item, names: list[str]):
    document = make_document(api.user)
    return api.post(
        "/applications",
        {
            "item": item.item.code,
            "channel": "web",
            "form": {"applicant_name": "张示范", "applicant_phone": "13800000000"},
            "materials": [
                {"material": m.id, "document": str(document.id)}
                for m in item.materials.all()
                if m.name in names
            ],
        },
    )


def test_without_licences_all_five_materials_are_needed(setup):
    response = submit_uploading(setup["citizen"], setup["item"], ["生育登记申请表", "孕检证明"])
    assert response.status_code == 422
    missing = sorted(m for k, v in response.json()["fields"].items() if k.startswith("materials.") for m in v)
    assert missing == [
        "缺少必要材料：居民户口簿（生育登记）",
        "缺少必要材料：居民身份证（生育登记）",
        "缺少必要材料：结婚证（生育登记）",
    ]


def test_holding_the_three_licences_the_applicant_provides_two(setup):
    for licence_type in setup["types"].values():
        make_licence(
            setup["citizen"].user,
            licence_type=licence_type,
            issuer=setup["department"],
            data={"holder": "张示范"},
        )
    response = submit_uploading(setup["citizen"], setup["item"], ["生育登记申请表", "孕检证明"])
    assert response.status_code == 201, response.json()
    materials = response.json()["materials"]
    from_library = sorted(m["name"] for m in materials if m["from_library"])
    assert from_library == ["居民户口簿", "居民身份证", "结婚证"]
    assert {m["note"] for m in materials if m["from_library"]} == {"已通过电子证照获取"}
    assert sorted(m["name"] for m in materials if m["way"] == "document") == ["孕检证明", "生育登记申请表"]


def test_each_library_use_is_in_the_holders_data_use_log(setup):
    for licence_type in setup["types"].values():
        make_licence(
            setup["citizen"].user,
            licence_type=licence_type,
            issuer=setup["department"],
            data={"holder": "张示范"},
        )
    number = submit_uploading(setup["citizen"], setup["item"], ["生育登记申请表", "孕检证明"]).json()[
        "number"
    ]
    uses = setup["citizen"].get("/me/data-uses").json()["items"]
    assert len(uses) == 3 and {u["case"] for u in uses} == {number}
    assert all(u["outcome"] == "granted" for u in uses)


def test_a_revoked_licence_does_not_satisfy_a_material(setup):
    from yiwang.licences.services import licence_change_status

    licences = [
        make_licence(setup["citizen"].user, licence_type=t, issuer=setup["department"], data={"holder": "x"})
        for t in setup["types"].values()
    ]
    licence_change_status(licence=licences[2], status="03", reason="依法吊销")
    response = submit_uploading(setup["citizen"], setup["item"], ["生育登记申请表", "孕检证明"])
    assert response.status_code == 422
    assert [m for v in response.json()["fields"].values() for m in v] == ["缺少必要材料：结婚证（生育登记）"]


def test_the_officer_sees_the_licence_used(setup):
    for licence_type in setup["types"].values():
        make_licence(
            setup["citizen"].user,
            licence_type=licence_type,
            issuer=setup["department"],
            data={"holder": "张示范"},
        )
    number = submit_uploading(setup["citizen"], setup["item"], ["生育登记申请表", "孕检证明"]).json()[
        "number"
    ]
    application = setup["officer"].get(f"/applications/{number}").json()
    assert sum(1 for m in application["materials"] if m["licence"]) == 3


def test_completion_issues_the_result_licence_and_the_notice_links_it(client):
    department = make_department(code="scjg2", name="示范区市场监督管理局")
    licence_type = make_licence_type(
        code="11100000YW000099XF010",
        name="食品经营许可证",
        holder_kind="person",
        data_fields=[{"name": "operator_name", "title": "经营者", "from": ["applicant_name"]}],
    )
    item = make_item(
        department=department,
        name="食品经营许可",
        result_name="食品经营许可证",
        result_licence_type=licence_type.code,
    )
    citizen = ApiUser(client, make_citizen(name="王经营"))
    officer = ApiUser(client, make_staff(StaffRole.OFFICER, department=department))
    case = submit_uploading(citizen, item, ["居民身份证"]).json()["cases"][0]["number"]
    for action in ("accept", "start_review", "approve"):
        assert officer.act(case, action).status_code == 200
    done = officer.act(case, "complete", result={"number": "JY13301000000009"}).json()
    identifier = done["result"]["licence_identifier"]
    licence = Licence.objects.get(identifier=identifier)
    assert licence.holder_code == citizen.user.id_number and licence.number == "JY13301000000009"
    verified = client.get(f"/api/v1/licences/{identifier}/verify").json()
    assert verified["valid_signature"] is True


def test_report_shows_required_against_actually_provided(setup):
    for licence_type in setup["types"].values():
        make_licence(
            setup["citizen"].user,
            licence_type=licence_type,
            issuer=setup["department"],
            data={"holder": "张示范"},
        )
    assert (
        submit_uploading(setup["citizen"], setup["item"], ["生育登记申请表", "孕检证明"]).status_code == 201
    )
    report = setup["officer"].get(f"/reports/materials/{setup['item'].item.code}").json()
    assert (report["required"], report["applications"], report["uploaded"], report["from_library"]) == (
        5,
        1,
        2.0,
        3.0,
    )
    assert setup["citizen"].get(f"/reports/materials/{setup['item'].item.code}").status_code == 403
