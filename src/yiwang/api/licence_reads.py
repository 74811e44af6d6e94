"""用证 API: a licence's full data, and a holder's licences — the holder's own, or a department's read
for a case of its own (shared/API.md).

Here, above the domains, because a staff read joins three of them: cases says which case it is
(`cases.data_reads`), sharing decides and writes the use log, audit records the personal-data read.
The routes come after the licence library's (`licences.api`): its `{identifier}.pdf` must be tried
before `{identifier}` alone, which would also match "….U.pdf".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Query, Router, Schema
from pydantic import Field

from yiwang.accounts import selectors as accounts
from yiwang.accounts.auth import api_auth
from yiwang.accounts.models import UserKind
from yiwang.accounts.policy import ApiRequest, Permission, api_requires
from yiwang.audit.services import personal_data_read
from yiwang.cases.data_reads import case_for_data_read
from yiwang.licences import presenters, selectors
from yiwang.licences.api import Identifier
from yiwang.sharing.services import data_read_authorise

router = Router(tags=["电子证照"])


class FaceRowOut(Schema):
    name: str
    title: str
    value: str


class LicenceOut(Schema):
    identifier: str
    type_code: str
    type_name: str
    name: str
    number: str
    holder_name: str
    holder_code: str
    holder_code_type: str
    issuer_name: str
    issuer_code: str
    issued_on: date
    valid_from: date
    valid_until: date | None
    status: str
    status_label: str
    currently_valid: bool
    version: int
    jurisdiction: str
    data: list[FaceRowOut]
    case_number: str | None
    digest: str
    signature: str
    key_fingerprint: str
    verify_url: str


class UseIn(Schema):
    reason: str = Field("", max_length=200, description="申请事由（工作人员必填，≤200 字）")
    case: str = Field("", max_length=40, description="办件编号（工作人员必填）")


class ListIn(UseIn):
    holder: str = Field("", max_length=18, description="持证主体代码；省略时为本人")
    type: str = Field("", max_length=40, description="证照类型代码")


@router.get(
    "/licences/{identifier}",
    response=LicenceOut,
    auth=api_auth,
    summary="电子证照详情（仅持证人本人）",
)
@api_requires(Permission.LICENCES_OWN)
def get_licence(request: ApiRequest, identifier: Identifier, use: Query[UseIn]) -> dict[str, Any]:
    user = request.auth
    if user.kind != UserKind.STAFF:
        return presenters.licence_detail(selectors.licence_for_holder(user, identifier))
    # 用证: a department reads a licence only with a stated reason for a case of its own; logged either way.
    licence = selectors.licence_get(identifier)
    grant = data_read_authorise(
        actor=user,
        holder_code=licence.holder_code,
        reason=use.reason,
        case_number=use.case,
        case=case_for_data_read(user, use.case),
        licence_identifier=licence.identifier,
        fields=[f["name"] for f in licence.licence_type.data_fields],
        action="view",
    )
    personal_data_read(
        actor=user,
        obj=licence,
        view="api.licence",
        label=licence.identifier,
        detail={"case": use.case, "use_log_seq": grant.use.seq if grant.use else None},
    )
    return presenters.licence_detail(licence)


@router.get(
    "/licences",
    response=list[LicenceOut],
    auth=api_auth,
    summary="持证主体的电子证照：本人的；工作人员须说明事由和办件编号，且须经授权或有法定依据（均记入用数记录）",
)
@api_requires(Permission.LICENCES_OWN)
def list_licences(request: ApiRequest, filters: Query[ListIn]) -> list[dict[str, Any]]:
    user = request.auth
    accounts.require_real_name(
        user, selectors.READ_LICENCES
    )  # a no-op for staff: their reads are granted below
    holder = (filters.holder or accounts.holder_code(user)).strip().upper()
    grant = data_read_authorise(
        actor=user,
        holder_code=holder,
        reason=filters.reason,
        case_number=filters.case,
        case=case_for_data_read(user, filters.case),
        fields=["*"],
        action="query",
    )
    licences = list(selectors.holder_licences(holder, type_code=filters.type)[:100])
    personal_data_read(
        actor=user,
        obj=None,
        view="api.licences",
        label=holder,
        detail={
            "case": filters.case,
            "use_log_seq": grant.use.seq if grant.use else None,
            "licences": [licence.identifier for licence in licences],
        },
    )
    return [presenters.licence_detail(licence) for licence in licences]
