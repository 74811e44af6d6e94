"""Text no field can hold (a lone surrogate, a NUL, an over-long string) is refused once, at the edge,
with the path of the field that holds it, before any handler runs: never a 500, never stored."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_document
from yiwang.cases.models import Application, CaseEvent
from yiwang.core.text import MAX_TEXT_LENGTH

pytestmark = pytest.mark.django_db


def _pre_review_case(world) -> str:
    response = world.apply()
    assert response.status_code == 201, response.content
    return response.json()["cases"][0]["number"]


def test_lone_surrogate_in_the_application_form_is_422_with_its_path(world):
    # json.dumps writes the lone half as the escape "\ud800", as a client in any language can.
    response = world.citizen.post("/applications", {"item": world.item.item.code, "form": {"a": "\ud800"}})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_text"
    assert response.json()["fields"] == {"form.a": ["含有无法以 UTF-8 编码的字符（不成对的代理项）"]}
    assert not Application.objects.exists()


def test_lone_surrogate_in_a_supplement_reason_is_422_with_its_path(world):
    case = _pre_review_case(world)
    material = world.item.materials.first().id
    response = world.officer.act(
        case, "request_supplement", items=[{"material": material, "reason": "\udc00"}]
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["items[0].reason"]
    assert not CaseEvent.objects.filter(action="request_supplement").exists()


def test_nul_in_a_json_field_is_422_naming_the_field(world):
    response = world.citizen.post("/applications", {"item": world.item.item.code, "form": {"a": "x\x00y"}})
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_text",
        "message": "请求中含有无法接受的文字",
        "fields": {"form.a": ["不能含有空字符（NUL）"]},
    }


def test_a_bad_object_key_is_named_with_the_character_escaped(world):
    # The answer cannot echo the key as it came: a lone surrogate cannot be written out as UTF-8.
    response = world.citizen.post("/applications", {"form": {"a\ud800": 1, "b\x00": 2}})
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "form.a\\ud800": ["字段名含有无法以 UTF-8 编码的字符（不成对的代理项）"],
        "form.b\\u0000": ["字段名不能含有空字符（NUL）"],
    }


def test_a_string_over_the_global_cap_is_422_even_where_no_schema_limits_it(world):
    case = _pre_review_case(world)
    response = world.officer.act(case, "complete", result={"data": {"note": "长" * (MAX_TEXT_LENGTH + 1)}})
    assert response.status_code == 422
    assert response.json()["fields"] == {"result.data.note": [f"长度不能超过 {MAX_TEXT_LENGTH} 个字符"]}


def test_a_form_string_over_its_schema_limit_is_a_field_error(world):
    response = world.apply(form={"applicant_name": "张" * 51, "applicant_phone": "13800000000"})
    assert response.status_code == 422
    assert response.json()["fields"]["form.applicant_name"] == ["长度不能超过 50 个字符"]


def test_an_over_long_schema_field_is_422_with_its_path(world):
    response = world.apply(materials=[{"material": 1, "licence": "L" * 100_000}])
    assert response.status_code == 422
    assert "materials[0].licence" in response.json()["fields"]


def test_nul_in_a_query_parameter_is_422_naming_it(client):
    response = client.get("/api/v1/items?q=%00")
    assert response.status_code == 422
    assert response.json()["fields"] == {"q": ["不能含有空字符（NUL）"]}


def test_nul_in_a_path_parameter_is_422_naming_it(world):
    response = world.citizen.get("/applications/330100-20261123-%0000000042")
    assert response.status_code == 422
    assert response.json()["fields"] == {"number": ["不能含有空字符（NUL）"]}


def test_an_over_long_path_parameter_is_422_naming_it(world):
    response = world.citizen.get("/cases/" + "9" * 100_000)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["number"]


def test_surrogate_pairs_and_rtl_marks_are_ordinary_text(world):
    # "\ud83d\ude00" is one character (😀) once parsed: only an unpaired half is refused.
    document = make_document(world.citizen.user)
    materials = [{"material": m.id, "document": str(document.id)} for m in world.item.materials.all()]
    form = {"applicant_name": "😀\u202e\u200f张三", "applicant_phone": "13800000000"}
    response = world.apply(form=form, materials=materials)
    assert response.status_code == 201, response.content
    assert response.json()["form"]["applicant_name"] == "😀\u202e\u200f张三"


def test_a_nul_in_a_page_form_is_refused_naming_the_field(client):
    body = urlencode({"username": "a\x00b", "password": "x"})
    response = client.post("/accounts/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html"), "a person at a page gets a page"
    assert "username：不能含有空字符（NUL）" in response.content.decode()


def test_a_nul_in_a_multipart_page_form_is_refused_naming_the_field(client):
    # A page form carrying files: its text fields are checked, its files are not (they may hold anything).
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 422
    assert "username：不能含有空字符（NUL）" in response.content.decode()


def test_a_file_in_a_page_form_may_hold_nul_bytes(client):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\x00\x00", content_type="application/pdf")
    response = client.post("/accounts/login/", {"username": "someone", "password": "x", "scan": upload})
    assert response.status_code == 200  # the login form's own answer, not refused as text
