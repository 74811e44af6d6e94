"""实名注册: create an applicant account (natural person or enterprise) from checked identifiers.

A write kept in the portal for now, like `channels.reads` for reads: it belongs in
`yiwang.accounts.services` as `applicant_register`, next to the API-token services, once the accounts
app takes it over (the portal must not edit another team's files). Identity is checked for form and
check characters only; matching the name to the ID number against the public-security population
register (实名核验) is an integration for an accounts plugin, not done here.

The account signs in with its ID number (an enterprise: its USCC) as the user name: an applicant
knows it by heart, and it is unique by law.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction

from yiwang.accounts.models import User, UserKind
from yiwang.core.errors import ValidationFailed

TAKEN_PERSON = "该身份证号码已注册，请直接登录；如忘记密码，请携带身份证到政务服务中心或拨打 12345 找回"
TAKEN_LEGAL = "该统一社会信用代码已注册，请直接登录；如需变更账号，请携带营业执照到政务服务中心办理"


@transaction.atomic
def applicant_register(
    *,
    kind: str,
    name: str,
    id_number: str = "",
    uscc: str = "",
    legal_representative: str = "",
    legal_representative_id_number: str = "",
    mobile: str,
    password: str,
) -> User:
    """注册: a new natural-person or legal-person account; identifiers must already be normalised."""
    if kind == UserKind.PERSON:
        # Not the ID number: a username is shown and stored in clear; people sign in with the number
        # through its blind index (accounts.backends).
        username, field, taken = f"p{secrets.token_hex(8)}", "id_number", TAKEN_PERSON
        exists = User.objects.filter(id_number=id_number).exists()
    elif kind == UserKind.LEGAL:
        username, field, taken = uscc, "uscc", TAKEN_LEGAL
        exists = User.objects.filter(uscc=uscc).exists()
    else:
        raise ValidationFailed({"kind": ["请选择个人或法人"]})
    if exists or User.objects.filter(username=username).exists():
        raise ValidationFailed({field: [taken]}, code="already_registered")
    values: dict[str, Any] = {
        "username": username,
        "kind": kind,
        "name": name,
        "mobile": mobile,
        "id_number": id_number if kind == UserKind.PERSON else None,
        "uscc": uscc if kind == UserKind.LEGAL else None,
        "legal_representative": legal_representative if kind == UserKind.LEGAL else "",
        "legal_representative_id_number": legal_representative_id_number if kind == UserKind.LEGAL else "",
    }
    try:
        with transaction.atomic():
            return User.objects.create_user(password=password, **values)
    except IntegrityError:
        # Registered a moment ago by another request with the same number.
        raise ValidationFailed({field: [taken]}, code="already_registered") from None
