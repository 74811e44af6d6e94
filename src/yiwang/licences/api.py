"""电子证照 API (shared/API.md): public verification, the holder's licence PDF, 我的证照. A licence's
full data and a holder's licences, which staff also read for a case, are `api.licence_reads`.

The identifier contains dots, so this router is mounted before that one: Django tries URL patterns
in order, and `{identifier}` alone would also match "….U.pdf".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Query, Router, Schema
from pydantic import Field, WithJsonSchema

from yiwang.accounts.auth import api_auth
from yiwang.accounts.policy import ApiRequest, Permission, api_requires, public
from yiwang.core.pagination import paginate
from yiwang.licences import presenters, selectors, services
from yiwang.licences.identifiers import MAX_LENGTH

router = Router(tags=["电子证照"])

# 证照标识 as licences.identifiers parses it (case and surrounding spaces forgiven). The pattern is stated
# in the OpenAPI only: the service checks it after the policy, with its own messages, and the check
# character, which no pattern can state.
IDENTIFIER_PATTERN = (
    r"^\s*1\.2\.156\.3005\.2\.[0-9A-Za-z]+\.[0-9A-Za-z]+\.[0-9A-Za-z]+\.[0-9]{3}\.[0-9A-Za-z]\s*$"
)
Identifier = Annotated[
    str,
    WithJsonSchema({"type": "string", "maxLength": MAX_LENGTH, "pattern": IDENTIFIER_PATTERN}),
    Path(
        max_length=MAX_LENGTH,
        description="证照标识：1.2.156.3005.2.<类型代码>.<颁发机构代码>.<流水号>.<版本号>.<校验位>",
    ),
]


class VerifyOut(Schema):
    identifier: str
    valid_signature: bool
    verdict: str
    status: str
    status_label: str
    currently_valid: bool
    type_code: str
    type_name: str
    licence_name: str
    holder_name: str
    issuer_name: str
    issuer_code: str
    issued_on: date
    valid_from: date
    valid_until: date | None
    key_fingerprint: str
    message: str


class WalletLicenceOut(Schema):
    identifier: str
    type_code: str
    type_name: str
    name: str
    number: str = Field(description="证照编号；为公民身份号码（或含有）时已脱敏")
    issuer_name: str
    issuer_code: str
    issued_on: date
    valid_from: date
    valid_until: date | None = Field(description="为空表示长期有效")
    validity: str = Field(description="有效期，如“2024-01-01 至 2029-01-01”或“2024-01-01 起长期有效”")
    status: str = Field(description="证照状态代码；有效期已过的显示为 05 过期")
    status_label: str
    status_reason: str = Field(description="吊销、注销、过期等的原因；有效时为空")
    currently_valid: bool
    pdf_url: str
    verify_url: str


class WalletPage(Schema):
    items: list[WalletLicenceOut]
    count: int
    next: str | None


class WalletIn(Schema):
    page: int = Field(1, ge=1, le=10_000)


@router.get(
    "/me/licences",
    response=WalletPage,
    auth=api_auth,
    summary="我的证照：本人（或所代表企业）持有的电子证照，含状态、有效期、下载与核验链接；须已实名认证",
)
@api_requires(Permission.LICENCES_OWN)
def my_licences(request: ApiRequest, filters: Query[WalletIn]) -> dict[str, Any]:
    page = paginate(request, selectors.holder_wallet(request.auth), filters.page)
    return {
        "items": [_wallet_item(request, selectors.wallet_entry(licence)) for licence in page.rows],
        "count": page.count,
        "next": page.next_url,
    }


def _wallet_item(request: HttpRequest, entry: selectors.WalletEntry) -> dict[str, Any]:
    licence = entry.licence
    pdf = reverse("api-v1:licence_pdf", kwargs={"identifier": licence.identifier})
    return {
        "identifier": licence.identifier,
        "type_code": licence.licence_type.code,
        "type_name": licence.licence_type.name,
        "name": licence.name,
        "number": entry.number,
        "issuer_name": licence.issuer.name,
        "issuer_code": licence.issuer_code,
        "issued_on": licence.issued_on,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "validity": entry.validity,
        "status": entry.status,
        "status_label": entry.status_label,
        "status_reason": entry.status_reason,
        "currently_valid": entry.currently_valid,
        "pdf_url": request.build_absolute_uri(pdf),
        "verify_url": presenters.verify_url(licence.identifier),
    }


@router.get(
    "/licences/{identifier}/verify",
    response=VerifyOut,
    auth=None,
    summary="核验电子证照（公开）：签名是否有效、状态、颁发机构；不含持证人证件号码和照面信息",
)
@public
def verify_licence(request: HttpRequest, identifier: Identifier) -> dict[str, Any]:
    return presenters.verify_detail(services.licence_verify(selectors.licence_get(identifier)))


@router.get(
    "/licences/{identifier}.pdf",
    auth=api_auth,
    url_name="licence_pdf",
    summary="电子证照 PDF（仅持证人本人），附核验二维码",
)
@api_requires(Permission.LICENCES_OWN)
def get_licence_pdf(request: ApiRequest, identifier: Identifier) -> HttpResponse:
    from yiwang.licences.pdf import licence_pdf

    filename, content = licence_pdf(selectors.licence_for_holder(request.auth, identifier))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
