"""Reads of the use log: “who used my data” (like Estonia's Data Tracker)."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.selectors import holder_code, require_real_name
from yiwang.sharing.models import Basis, DataUse, Outcome

READ_DATA_USES = "查看用数记录"
OWN_APPLICATION_USE = "本人申请使用"


def data_uses_of(user: User) -> QuerySet[DataUse]:
    """Every recorded use of the user's own data, newest first (an index range on holder_code): staff
    reads, granted or refused, and the holder's own applications' uses of the licence library alike.
    Real-name verified accounts only: the log names cases and licences of the ID number's holder.

    Not another applicant's refused read: those are no use of the holder's data and are no longer
    logged (sharing.services), but the append-only log still holds the ones written before, each with
    a stranger's text under the holder's name."""
    require_real_name(user, READ_DATA_USES)
    code = holder_code(user)
    if not code:
        return DataUse.objects.none()
    return (
        DataUse.objects.filter(holder_code=code.upper())
        .exclude(outcome=Outcome.REFUSED, actor__kind__in=[UserKind.PERSON, UserKind.LEGAL])
        .order_by("-seq")
    )


def data_use_is_own(use: DataUse) -> bool:
    """The holder's own use (their application took a licence from the library), not a department's."""
    return use.basis == Basis.HOLDER_SELF and not use.department_name


def data_use_outcome_label(use: DataUse) -> str:
    return str(dict(Outcome.choices).get(use.outcome, use.outcome))


def data_use_basis_label(use: DataUse) -> str:
    """Why the use was allowed; an own application's use says so rather than “本人查询”."""
    if data_use_is_own(use) and use.case_number:
        return OWN_APPLICATION_USE
    return str(dict(Basis.choices).get(use.basis, use.basis))
