"""电子证照 reads: find a licence by identifier, a holder's licences, and who may see what."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.core.errors import DomainError, NotFound
from yiwang.licences.identifiers import parse_identifier
from yiwang.licences.models import Licence, LicenceStatus

if TYPE_CHECKING:
    from yiwang.accounts.models import User

_RELATED = ("licence_type", "issuer", "key", "key__department", "case")


def holder_code_of(user: User) -> str:
    """The code under which the user holds licences: their ID number, or their organisation's USCC."""
    from yiwang.accounts.models import UserKind

    if not getattr(user, "is_authenticated", False):
        return ""
    if user.kind == UserKind.PERSON:
        return user.id_number or ""
    if user.kind == UserKind.LEGAL:
        return user.uscc or ""
    return ""


def licence_get(identifier: str) -> Licence:
    """The licence with this identifier (format and check character verified first), or 404."""
    parsed = parse_identifier(identifier)
    licence = Licence.objects.select_related(*_RELATED).filter(identifier=str(parsed)).first()
    if licence is None:
        raise NotFound("未找到该电子证照", code="licence_not_found")
    return licence


def licence_for_holder(user: User, identifier: str) -> Licence:
    """The full licence, for its holder only; anyone else gets the same 404 as for a missing one."""
    licence = licence_get(identifier)
    code = holder_code_of(user)
    if not code or code != licence.holder_code:
        raise NotFound("未找到该电子证照", code="licence_not_found")
    return licence


def holder_licences(holder_code: str, *, type_code: str = "") -> QuerySet[Licence]:
    """A holder's licences, newest first (indexed by holder code + type)."""
    licences = Licence.objects.select_related(*_RELATED).filter(holder_code=holder_code)
    if type_code:
        licences = licences.filter(licence_type__code=type_code)
    return licences.order_by("-issued_on", "-id")


def licence_find_valid(*, holder_code: str, type_code: str, today: date | None = None) -> Licence | None:
    """The holder's currently valid licence of a type (the latest issued), or None — for 免提交."""
    today = today or timezone.localdate()
    return (
        holder_licences(holder_code, type_code=type_code)
        .filter(status=LicenceStatus.VALID, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .first()
    )


def licence_satisfying(
    *, holder: str, licence_type_code: str, identifier: str, today: date | None = None
) -> str | None:
    """The identifier of the licence `identifier` if `holder` holds it, it is currently valid, and it is of
    `licence_type_code` (any type when that is empty) — the check for a material provided as a licence."""
    try:
        licence = licence_get(identifier)
    except DomainError:
        return None
    if licence.holder_code.upper() != holder.strip().upper() or not licence.is_valid(today):
        return None
    if licence_type_code and licence.licence_type.code != licence_type_code:
        return None
    return licence.identifier
