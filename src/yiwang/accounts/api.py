"""Accounts API: token issue and revocation, the caller's profile."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from yiwang.accounts.auth import api_auth
from yiwang.accounts.models import User
from yiwang.accounts.policy import ApiRequest, Permission, api_requires, public
from yiwang.accounts.services import api_token_issue, api_token_revoke, sign_out_everywhere
from yiwang.core.masking import mask_id_number

router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=128)


class UserOut(Schema):
    username: str
    name: str
    kind: str
    id_number: str | None
    uscc: str | None
    department: str | None
    service_point: str | None
    roles: list[str]


class TokenOut(Schema):
    token: str
    expires_at: datetime
    user: UserOut


def user_out(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "name": user.name,
        "kind": user.kind,
        "id_number": mask_id_number(user.id_number) if user.id_number else None,
        "uscc": user.uscc,
        "department": user.department.code if user.department is not None else None,
        "service_point": user.service_point.code if user.service_point is not None else None,
        "roles": list(user.roles),
    }


@router.post("/auth/token", response=TokenOut, summary="以用户名和密码换取访问令牌")
@public
def issue_token(request: HttpRequest, payload: TokenIn) -> dict[str, object]:
    token, record = api_token_issue(request=request, username=payload.username, password=payload.password)
    return {
        "token": token,
        "expires_at": timezone.localtime(record.expires_at),
        "user": user_out(record.user),
    }


@router.post("/auth/revoke", response={204: None}, auth=api_auth, summary="吊销当前令牌")
@api_requires(Permission.ACCOUNT_SELF)
def revoke_token(request: HttpRequest) -> Status[None]:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        api_token_revoke(token=header[7:].strip())
    return Status(204, None)


@router.post(
    "/auth/sign-out-everywhere",
    response={204: None},
    auth=api_auth,
    summary="退出所有设备：结束全部登录会话并吊销全部令牌（含当前令牌）",
)
@api_requires(Permission.ACCOUNT_SELF)
def sign_out_all(request: ApiRequest) -> Status[None]:
    sign_out_everywhere(user=request.auth)
    return Status(204, None)


@router.get("/me", response=UserOut, auth=api_auth, summary="当前用户")
@api_requires(Permission.ACCOUNT_SELF)
def me(request: ApiRequest) -> dict[str, object]:
    return user_out(request.auth)
