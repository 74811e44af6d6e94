"""谁用了我的数据 lists the holder's own applications' uses of the licence library (免提交), marked as their
own, beside departments' reads granted or refused; and only to a real-name verified account."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.channels.portal.conftest import form_post
from tests.factories import make_citizen, make_department, make_document, make_item
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.catalog import codes
from yiwang.sharing import chain
from yiwang.sharing.models import DataUse

pytestmark = pytest.mark.django_db

ID_CARD = "11100000YW000099XF001"


@pytest.fixture
def setup(client):
    """A citizen holding an ID-card e-licence, and an item whose 居民身份证 the library can provide."""
    citizen = ApiUser(client, make_citizen(name="张示范"))
    id_card = make_licence_type(code=ID_CARD, name="居民身份证", validity_years=None, data_fields=[])
    licence = make_licence(citizen.user, licence_type=id_card, number=citizen.user.id_number, data={})
    item = make_item(
        department=make_department(name="示范区民政局"),
        name="生育登记",
        materials=[
            {"name": "居民身份证", "source": codes.MaterialSource.LICENCE, "licence_type_code": ID_CARD},
            {"name": "生育登记申请表"},
        ],
    )
    return {"citizen": citizen, "licence": licence, "item": item}


def _apply_leaving_the_id_card_to_the_library(setup) -> str:
    """The API way: the applicant names only the form; the library provides the ID card (免提交)."""
    citizen, item = setup["citizen"], setup["item"]
    form_material = item.materials.get(name="生育登记申请表")
    response = citizen.post(
        "/applications",
        {
            "item": item.item.code,
            "channel": "web",
            "form": {"applicant_name": "张示范", "applicant_phone": "13800000000"},
            "materials": [{"material": form_material.id, "document": str(make_document(citizen.user).id)}],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["number"]


def _staff_reads(holder_code: str) -> None:
    chain.append(
        actor_name="李审批",
        department_name="示范市市场监督管理局",
        case_number="330100-1-01",
        reason="核验身份证明",
        holder_code=holder_code,
        action="query",
        fields=["name"],
        outcome="granted",
        basis="holder_authorised",
    )
    chain.append(
        actor_name="王某",
        department_name="示范市税务局",
        holder_code=holder_code,
        action="query",
        outcome="refused",
        refusal="未说明申请事由或办件编号",
    )


def test_own_applications_use_of_the_id_licence_is_listed_as_own_use_in_the_api(setup):
    number = _apply_leaving_the_id_card_to_the_library(setup)

    (use,) = setup["citizen"].get("/me/data-uses").json()["items"]
    assert (use["case"], use["licence"], use["outcome"]) == (number, setup["licence"].identifier, "granted")
    assert use["own"] is True and use["basis"] == "本人申请使用"
    assert use["department"] == "" and use["user"] == "本人"


def test_own_applications_use_of_the_id_licence_is_listed_as_own_use_on_the_page(client, setup):
    number = _apply_leaving_the_id_card_to_the_library(setup)
    client.force_login(setup["citizen"].user)

    page = client.get("/me/data-uses/").content.decode()
    assert "共 <strong>1</strong> 条" in page
    assert number in page and "本人申请使用" in page and "免提交居民身份证" in page


def test_own_uses_are_listed_beside_departments_reads_granted_and_refused(client, setup):
    _staff_reads(setup["citizen"].user.id_number)
    _apply_leaving_the_id_card_to_the_library(setup)

    uses = setup["citizen"].get("/me/data-uses").json()["items"]
    assert [(u["own"], u["outcome"], u["department"]) for u in uses] == [
        (True, "granted", ""),
        (False, "refused", "示范市税务局"),
        (False, "granted", "示范市市场监督管理局"),
    ]
    assert uses[2]["basis"] == "持证人在申请中授权" and uses[2]["user"] == "李**"
    client.force_login(setup["citizen"].user)
    page = client.get("/me/data-uses/").content.decode()
    assert "共 <strong>3</strong> 条" in page
    assert "本人申请使用" in page and "未说明申请事由或办件编号" in page and "李**" in page


def test_a_licence_chosen_on_the_apply_page_is_in_the_holders_data_uses(client, setup):
    citizen = setup["citizen"]
    item = make_item(
        name="户籍证明",
        materials=[
            {"name": "居民身份证", "source": codes.MaterialSource.LICENCE, "licence_type_code": ID_CARD}
        ],
    )
    client.force_login(citizen.user)
    response = client.post(
        f"/apply/item/{item.item.code}/",
        form_post(
            fields={"applicant_name": "张示范", "applicant_phone": "13800000000"},
            materials={item.materials.get(): {"way": "licence"}},
        ),
    )
    assert response.status_code == 302

    (use,) = citizen.get("/me/data-uses").json()["items"]
    assert use["own"] is True and use["licence"] == setup["licence"].identifier


def test_an_unverified_account_gets_403_real_name_required_on_data_uses(client):
    unverified = make_citizen(real_name_method="")
    _staff_reads(unverified.id_number)

    response = ApiUser(client, unverified).get("/me/data-uses")
    assert response.status_code == 403
    assert response.json()["code"] == "real_name_required"
    assert response.json()["message"].startswith("查看用数记录须先完成实名认证")
    client.force_login(unverified)
    page = client.get("/me/data-uses/")
    html = page.content.decode()
    assert page.status_code == 403 and "查看用数记录须先完成实名认证" in html
    assert 'href="/me/security/"' in html and "示范市税务局" not in html
    assert DataUse.objects.count() == 2  # nothing was read, so nothing more was logged
