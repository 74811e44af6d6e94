"""使用电子证照（免提交）on the apply page: only a licence of exactly the holder and the type the material
asks for is offered — never someone else's, never another type, never to an unverified account."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen, make_item
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.catalog import codes

pytestmark = pytest.mark.django_db

ID_TYPE = "11100000YW000099XF911"
OTHER_TYPE = "11100000YW000099XF912"


@pytest.fixture
def holder():
    citizen = make_citizen(name="张本人")
    id_card = make_licence(citizen, licence_type=make_licence_type(code=ID_TYPE, name="居民身份证"), data={})
    make_licence_type(code=OTHER_TYPE, name="不动产权证书")
    return citizen, id_card


def licence_material(name: str, type_code: str, holder: str = codes.LicenceHolder.APPLICANT) -> dict:
    return {
        "name": name,
        "source": codes.MaterialSource.LICENCE,
        "licence_type_code": type_code,
        "licence_holder": holder,
    }


def test_only_the_applicants_own_licence_of_the_asked_type_is_offered(client, holder):
    citizen, id_card = holder
    item = make_item(
        materials=[
            licence_material("申请人居民身份证", ID_TYPE),
            licence_material("逝者居民身份证", ID_TYPE, codes.LicenceHolder.OTHER),
            licence_material("不动产权证书", OTHER_TYPE),
        ]
    )
    client.force_login(citizen)

    page = client.get(f"/apply/item/{item.item.code}/").content.decode()

    rows = {
        name: page.split(f">{name}</h3>")[1].split('<li class="material')[0]
        for name in ("申请人居民身份证", "逝者居民身份证", "不动产权证书")
    }
    assert id_card.number in rows["申请人居民身份证"]
    assert "使用电子证照" not in rows["逝者居民身份证"], "someone else's card is theirs to share"
    assert "使用电子证照" not in rows["不动产权证书"], "an ID card is not a property certificate"


def test_an_unverified_account_is_offered_no_licence(client, holder):
    citizen, id_card = holder
    citizen.real_name_method = ""
    citizen.save(update_fields=["real_name_method"])
    item = make_item(real_name_required=False, materials=[licence_material("申请人居民身份证", ID_TYPE)])
    client.force_login(citizen)

    page = client.get(f"/apply/item/{item.item.code}/").content.decode()

    assert id_card.number not in page and "使用电子证照" not in page


def test_a_licence_named_for_a_material_of_no_licence_type_is_refused(client, holder):
    citizen, id_card = holder
    item = make_item(materials=[{"name": "住所使用证明"}])
    material = item.materials.get()

    response = ApiUser(client, citizen).post(
        "/applications",
        {
            "item": item.item.code,
            "form": {"applicant_name": citizen.name, "applicant_phone": "13800000000"},
            "materials": [{"material": material.id, "licence": id_card.identifier}],
            "channel": "web",
        },
    )

    assert response.status_code == 422
    assert response.json()["fields"]["materials[0].licence"] == ["未找到申请人持有的有效电子证照"]
