"""The licence API and the public verification page: who sees what, tampering shows, keys never leak."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen, make_company
from tests.licences.conftest import make_licence
from yiwang.licences import signing
from yiwang.licences.identifiers import build_identifier, parse_identifier
from yiwang.licences.models import Licence, LicenceStatus
from yiwang.licences.services import licence_change_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(client):
    return ApiUser(client, make_citizen(name="张示范"))


@pytest.fixture
def licence(holder):
    return make_licence(holder.user)


def _verify(client, identifier: str):
    return client.get(f"/api/v1/licences/{identifier}/verify")


def test_anyone_can_verify_a_licence_without_logging_in(client, licence):
    response = _verify(client, licence.identifier)
    assert response.status_code == 200
    body = response.json()
    assert body["valid_signature"] is True and body["verdict"] == "ok" and body["message"] == "验证通过"
    assert body["status"] == "01" and body["status_label"] == "有效"
    assert body["holder_name"] == "张**"
    assert body["issuer_name"] == licence.issuer.name and body["type_name"] == "测试经营许可证"


def test_verification_shows_no_holder_code_and_no_face_data(client, licence):
    text = _verify(client, licence.identifier).content.decode()
    assert licence.holder_code not in text
    assert "张示范" not in text
    for value in licence.data.values():
        assert value not in text


def test_a_licence_changed_in_the_database_fails_public_verification(client, licence):
    Licence.objects.filter(pk=licence.pk).update(
        data={**licence.data, "business_items": "预包装食品销售（含冷藏）"}
    )
    body = _verify(client, licence.identifier).json()
    assert body["valid_signature"] is False and body["verdict"] == "tampered"
    assert body["message"] == "签名无效，证照可能被篡改"


def test_an_unknown_identifier_is_404_and_a_malformed_one_422(client, licence):
    parsed = parse_identifier(licence.identifier)
    unknown = build_identifier(parsed.type_code, parsed.issuer_code, parsed.serial, 2)
    response = _verify(client, unknown)
    assert response.status_code == 404 and response.json()["code"] == "licence_not_found"
    wrong_check = licence.identifier[:-1] + ("0" if parsed.check != "0" else "1")
    assert _verify(client, wrong_check).json()["code"] == "licence_identifier_check"
    assert _verify(client, "not-an-identifier").status_code == 422


def test_the_holder_sees_the_whole_licence(holder, licence):
    response = holder.get(f"/licences/{licence.identifier}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["holder_code"] == holder.user.id_number
    assert {row["name"]: row["value"] for row in body["data"]} == licence.data
    assert body["data"][0]["title"] == "经营者名称"
    assert body["signature"] == licence.signature
    assert body["verify_url"].endswith(f"/licences/verify/{licence.identifier}/")


def test_a_company_sees_its_own_licence(client):
    company = ApiUser(client, make_company())
    licence = make_licence(company.user)
    assert company.get(f"/licences/{licence.identifier}").status_code == 200


def test_another_citizen_gets_404_for_the_licence_and_its_pdf(client, licence):
    other = ApiUser(client, make_citizen())
    for path in (f"/licences/{licence.identifier}", f"/licences/{licence.identifier}.pdf"):
        response = other.get(path)
        assert response.status_code == 404 and response.json()["code"] == "licence_not_found"


def test_the_licence_needs_a_login(client, licence):
    assert client.get(f"/api/v1/licences/{licence.identifier}").status_code == 401
    assert client.get(f"/api/v1/licences/{licence.identifier}.pdf").status_code == 401


def test_the_holder_downloads_the_licence_as_pdf_with_its_verification_link(holder, licence):
    response = holder.get(f"/licences/{licence.identifier}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace("\n", "").replace(" ", "")
    assert "测试经营许可证" in compact and licence.number in compact
    assert f"/licences/verify/{licence.identifier}/" in compact
    assert holder.user.id_number not in compact  # masked, as on notices
    assert licence.issuer.name in compact


def test_the_verification_page_shows_a_green_banner_for_a_valid_licence(client, licence):
    response = client.get(f"/licences/verify/{licence.identifier}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "verdict-ok" in html and "验证通过" in html
    assert "张**" in html and licence.holder_code not in html and "张示范" not in html
    assert "no-cache" in response["Cache-Control"]


def test_the_verification_page_shows_a_red_banner_when_tampered(client, licence):
    Licence.objects.filter(pk=licence.pk).update(holder_name="李四")
    html = client.get(f"/licences/verify/{licence.identifier}/").content.decode()
    assert "verdict-tampered" in html and "签名无效，证照可能被篡改" in html


def test_the_verification_page_shows_an_amber_banner_for_a_revoked_licence(client, licence):
    licence_change_status(licence=licence, status=LicenceStatus.REVOKED, reason="以欺骗手段取得")
    html = client.get(f"/licences/verify/{licence.identifier}/").content.decode()
    assert "verdict-inactive" in html and "证照状态：吊销/撤销" in html


def test_the_verification_page_of_an_unknown_licence_is_404(client, licence):
    response = client.get("/licences/verify/1.2.156.3005.2.X.Y.Z.001.0/")
    assert response.status_code == 404
    assert "未能核验" in response.content.decode()


def test_the_private_key_appears_in_no_response(client, holder, licence, admin_client):
    key = licence.key
    secrets_ = [signing._open(key.private_key_encrypted, key.public_key), key.private_key_encrypted]
    pages = [
        _verify(client, licence.identifier).content,
        holder.get(f"/licences/{licence.identifier}").content,
        client.get(f"/licences/verify/{licence.identifier}/").content,
        client.get("/api/v1/openapi.json").content,
        admin_client.get(f"/admin/licences/departmentkey/{key.pk}/change/").content,
        admin_client.get("/admin/licences/departmentkey/").content,
        admin_client.get(f"/admin/licences/licence/{licence.pk}/change/").content,
    ]
    pdf = holder.get(f"/licences/{licence.identifier}.pdf").content
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).encode()
    for content in [*pages, pdf, pdf_text]:
        for secret in secrets_:
            assert secret.encode() not in content
            assert secret.upper().encode() not in content
    assert key.fingerprint.encode() in pages[4]  # the admin page is the key's, and shows its public parts
