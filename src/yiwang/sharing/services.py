"""共享用数: a department reads a holder's licences or data only with a stated reason, for a case of
theirs, when the holder authorised it in that application or the item's legal basis grants it. Which
case that is, cases finds (`cases.data_reads`) and hands over as a `CaseOnFile`.
Every staff read — granted or refused — is appended to the hash-chained use log first. An applicant
asking for someone else's data is refused before the log is touched (and throttled): that is not a use
of the holder's data, and logging it would let anyone write into anyone's 谁用了我的数据.

国务院令第716号: what can be obtained by sharing must not be asked of the applicant again; what is
shared is used only for the stated purpose and leaves a trace the holder can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn

from django.conf import settings
from django.db import transaction

from yiwang.accounts import selectors as accounts
from yiwang.accounts.models import User, UserKind
from yiwang.accounts.throttle import Rule, throttle_take
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.sharing import chain
from yiwang.sharing.models import Basis, DataUse, Outcome

REASON_MAX = 200


class SharingRefused(DomainError):
    status = 403


@dataclass(frozen=True)
class CaseOnFile:
    """办件: the case a staff member names for a read, found among their own department's cases."""

    applicant_code: str  # the applicant's ID number or USCC
    holder_authorised: bool  # consented to sharing in the application, or took a licence from the library
    legal_basis: str  # the item's 共享依据; blank when it has none


@dataclass(frozen=True)
class Grant:
    basis: str
    use: DataUse | None


def data_read_authorise(
    *,
    actor: User,
    holder_code: str,
    reason: str = "",
    case_number: str = "",
    case: CaseOnFile | None = None,
    licence_identifier: str = "",
    fields: list[str] | None = None,
    action: str = "query",
) -> Grant:
    """Decide whether `actor` may read `holder_code`'s data; log a staff member's decision; raise 403
    (429 for an applicant refused too often) if refused. `case` is the case numbered `case_number` as
    `cases.data_reads.case_for_data_read` found it for the actor, None when it is not theirs."""
    holder_code = holder_code.strip().upper()
    reason = (reason or "").strip()
    fields = list(fields or [])

    def refuse(why: str, errors: dict[str, list[str]] | None = None) -> NoReturn:
        _refuse(
            actor,
            holder_code,
            reason[:REASON_MAX],
            case_number[:40],
            licence_identifier,
            fields,
            action,
            why,
            fields_errors=errors,
        )

    if actor.kind != UserKind.STAFF:
        if holder_code and holder_code == accounts.holder_code(actor).upper():
            return Grant(Basis.HOLDER_SELF, None)  # one's own data: nobody else's use to record
        _refuse_foreign_read(actor)
    problems: dict[str, list[str]] = {}
    if not reason:
        problems["reason"] = ["须填写申请事由"]
    elif len(reason) > REASON_MAX:
        problems["reason"] = [f"申请事由不能超过 {REASON_MAX} 字"]
    if not case_number:
        problems["case"] = ["须填写办件编号"]
    if problems:
        refuse("未说明申请事由或办件编号", problems)
    if case is None:
        refuse("不是本部门经办的办件")
    if case.applicant_code.upper() != holder_code:
        refuse("所查询主体不是该办件的申请人")
    if case.holder_authorised:
        basis = Basis.HOLDER_AUTHORISED
    elif case.legal_basis.strip():
        basis = Basis.LEGAL_BASIS
    else:
        refuse("申请人未授权共享，且该事项无法定共享依据")
    return Grant(
        basis,
        _log(
            actor,
            holder_code,
            reason,
            case_number,
            licence_identifier,
            fields,
            action,
            Outcome.GRANTED,
            basis,
        ),
    )


def foreign_read_rule() -> Rule:
    """How many reads of other holders an applicant's account may have refused in a window: read per
    call, so settings changed in tests apply."""
    return Rule(
        limit=settings.YIWANG_FOREIGN_READS_PER_ACCOUNT,
        window=timedelta(minutes=settings.YIWANG_FOREIGN_READS_WINDOW_MINUTES),
    )


def _refuse_foreign_read(actor: User) -> NoReturn:
    """An applicant asked for another holder's data: 403 with nothing written to the use log, 429 once
    the account has used up its refusals. An applicant has no business reading other holders, so a few
    refusals are plenty; each costs a counter write, never a row in the holder's log."""
    throttle_take(
        f"sharing:foreign:{actor.pk}",  # an account id: nothing personal to digest
        foreign_read_rule(),
        refusal="查询他人证照被拒绝的次数过多",
        code="sharing_throttled",
    )
    raise SharingRefused("sharing_refused", "查询被拒绝：只能查询本人（本单位）的证照和数据")


def _log(
    actor: User,
    holder_code: str,
    reason: str,
    case_number: str,
    licence_identifier: str,
    fields: list[str],
    action: str,
    outcome: str,
    basis: str,
    refusal: str = "",
) -> DataUse:
    department = actor.department if actor.kind == UserKind.STAFF else None
    # Its own transaction: a refusal is recorded even though the request then fails.
    with transaction.atomic():
        return chain.append(
            actor_id=actor.pk,
            actor_name=actor.name or actor.username,
            department_id=department.pk if department else None,
            department_name=department.name if department else "",
            case_number=case_number,
            reason=reason,
            holder_code=holder_code[:18],
            licence_identifier=licence_identifier[:120],
            action=action,
            fields=fields,
            outcome=outcome,
            basis=basis,
            refusal=refusal,
        )


def _refuse(
    actor: User,
    holder_code: str,
    reason: str,
    case_number: str,
    licence_identifier: str,
    fields: list[str],
    action: str,
    why: str,
    fields_errors: dict[str, list[str]] | None = None,
) -> NoReturn:
    _log(
        actor,
        holder_code,
        reason,
        case_number,
        licence_identifier,
        fields,
        action,
        Outcome.REFUSED,
        Basis.NONE,
        why,
    )
    if fields_errors:
        raise ValidationFailed(fields_errors, message=f"查询被拒绝：{why}", code="sharing_reason_required")
    raise SharingRefused("sharing_refused", f"查询被拒绝：{why}（本次查询已记录）")
