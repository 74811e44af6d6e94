"""电子证照 reads: find a licence by identifier, a holder's licences, and who may see what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from yiwang.accounts.selectors import require_real_name
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.masking import mask_id_number
from yiwang.licences.identifiers import parse_identifier
from yiwang.licences.models import HolderCodeType, Licence, LicenceStatus, LicenceStatusChange

if TYPE_CHECKING:
    from yiwang.accounts.models import User

_RELATED = ("licence_type", "issuer", "key", "key__department", "case")

READ_LICENCES = "查看电子证照"


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
    """The full licence, for its holder only; anyone else gets the same 404 as for a missing one.
    An account not real-name verified gets 403: whoever typed an ID number at sign-up is not its holder."""
    require_real_name(user, READ_LICENCES)
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
    `licence_type_code` — the check for a material provided as a licence. A material that names no
    licence type cannot be satisfied by a licence at all."""
    if not licence_type_code or not holder:
        return None
    try:
        licence = licence_get(identifier)
    except DomainError:
        return None
    if licence.holder_code.upper() != holder.strip().upper() or not licence.is_valid(today):
        return None
    if licence.licence_type.code != licence_type_code:
        return None
    return licence.identifier


@dataclass(frozen=True)
class WalletEntry:
    """One licence as its holder's wallet (我的证照) shows it."""

    licence: Licence
    number: str  # masked where it is (or holds) an ID number
    status: str  # LicenceStatus value, expired by date even where the sweep has not run yet
    status_label: str
    status_reason: str
    currently_valid: bool

    @property
    def validity(self) -> str:
        """有效期: “2024-01-01 至 2029-01-01”, or “2024-01-01 起长期有效” where there is no end date."""
        start, end = self.licence.valid_from, self.licence.valid_until
        return f"{start:%Y-%m-%d} 起长期有效" if end is None else f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"


def holder_wallet(user: User) -> QuerySet[Licence]:
    """我的证照: the signed-in account's own licences (a person's or, acting for it, a company's), newest
    first, each annotated with `status_reason`, the stored reason of its current status (one query)."""
    require_real_name(user, READ_LICENCES)
    code = holder_code_of(user)
    if not code:
        return Licence.objects.none()
    reason = (
        LicenceStatusChange.objects.filter(licence=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-at", "-id")
        .values("reason")[:1]
    )
    return (
        Licence.objects.select_related("licence_type", "issuer")
        .filter(holder_code=code)
        .annotate(status_reason=Subquery(reason))
        .order_by("-issued_on", "-id")
    )


def wallet_entry(licence: Licence, today: date | None = None) -> WalletEntry:
    """The holder's view of a licence from `holder_wallet`: masked number and the status that holds today."""
    today = today or timezone.localdate()
    status = licence.status
    reason = getattr(licence, "status_reason", None) or ""
    # licences_expire runs once a day: until it has, a licence past its date still says 01.
    if status == LicenceStatus.VALID and licence.valid_until is not None and licence.valid_until < today:
        status, reason = LicenceStatus.EXPIRED, _expired_on(licence.valid_until)
    label = LicenceStatus(status).label
    if status == LicenceStatus.VALID and licence.valid_from > today:
        label = "尚未生效"
    return WalletEntry(
        licence=licence,
        number=_masked_number(licence),
        status=status,
        status_label=label,
        status_reason=reason if status != LicenceStatus.VALID else "",
        currently_valid=licence.is_valid(today),
    )


def _expired_on(day: date) -> str:
    return f"有效期已于{day.year}年{day.month}月{day.day}日届满"


def _masked_number(licence: Licence) -> str:
    """A 居民身份证's number is the holder's ID number itself, and some others embed it (社保卡, 驾驶证).
    Only that number is masked: generated licence numbers (region + year + serial) look like ID numbers."""
    number = licence.number
    if licence.holder_code_type != HolderCodeType.ID_NUMBER or not licence.holder_code:
        return number
    own = licence.holder_code.upper()
    return number.upper().replace(own, mask_id_number(own)) if own in number.upper() else number
