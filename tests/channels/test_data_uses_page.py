"""“谁用了我的数据” in the portal: the signed-in holder sees every use of their data."""

from __future__ import annotations

import pytest

from yiwang.sharing import chain

pytestmark = pytest.mark.django_db


def test_page_needs_login(client):
    response = client.get("/me/data-uses/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_holder_sees_each_use_with_department_case_and_reason(client, world):
    user = world.citizen.user
    chain.append(
        actor_name="李审批",
        department_name="示范市市场监督管理局",
        case_number="330100-1-01",
        reason="核验身份证明",
        holder_code=user.id_number,
        action="query",
        fields=["name"],
        outcome="granted",
        basis="holder_authorised",
    )
    chain.append(
        actor_name="王某",
        department_name="示范市税务局",
        case_number="",
        reason="",
        holder_code=user.id_number,
        action="query",
        fields=[],
        outcome="refused",
        basis="",
        refusal="未说明申请事由或办件编号",
    )
    chain.append(
        actor_name="李审批",
        department_name="示范市市场监督管理局",
        case_number="X",
        reason="别人的",
        holder_code="11010519491231002X",
        action="query",
        fields=[],
        outcome="granted",
        basis="",
    )
    client.force_login(user)
    page = client.get("/me/data-uses/").content.decode()
    assert "共 <strong>2</strong> 条" in page
    assert "核验身份证明" in page and "330100-1-01" in page and "李**" in page
    assert "未说明申请事由或办件编号" in page
    assert "别人的" not in page


def test_login_page_signs_the_user_in(client, world):
    response = client.post(
        "/accounts/login/", {"username": world.citizen.user.username, "password": "pw-Yiwang-2026"}
    )
    assert response.status_code == 302
    assert "谁用了我的数据" in client.get("/").content.decode()


def test_wrong_password_is_a_form_error(client, world):
    response = client.post("/accounts/login/", {"username": world.citizen.user.username, "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
