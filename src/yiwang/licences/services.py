"""电子证照 writes: departments' keys, issuing licences (from cases or directly), status changes, verification.

- `licence_issue(case=…)`: a completed, approved case whose item's result is a licence type in the
  catalogue issues that licence into the library, signed by the case's department. Idempotent per case.
  Cases call it (licences sits below cases): what it reads of a case is `IssuingCase`.
- `licence_create(…)`: the one place a licence is built, identified, signed and stored.
- `licence_change_status(…)`: the status lifecycle; the status is not part of the signed data.
- `licence_verify(licence)`: recompute the canonical digest and check the signature.
- `department_key_ensure` / `department_keys_ensure` / `department_key_rotate`: SM2 keys.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.catalog.models import Department, ItemVersion
from yiwang.core.digests import sm3_hex
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.core.identifiers import normalize_id_number, normalize_uscc
from yiwang.core.sequences import next_value
from yiwang.licences import signing
from yiwang.licences.identifiers import build_identifier
from yiwang.licences.models import (
    NUMBER_MAX_LENGTH,
    DepartmentKey,
    HolderCodeType,
    Licence,
    LicenceStatus,
    LicenceStatusChange,
    LicenceType,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User

logger = logging.getLogger(__name__)

SERIAL_SEQUENCE = "licence"
# Bumped only with a migration path: licences signed under an older form must still verify.
CANONICAL_FORM = "yiwang-licence/1"
REASON_MAX = 500
# `licence_create(valid_until=LONG_TERM)`: long-term even if the type normally expires.
LONG_TERM: Any = object()

# 证照状态 lifecycle: which status may follow which. Revoked, cancelled, expired, transferred-out and
# withdrawn licences are final; a renewed or corrected licence is a new licence (or a new version).
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    LicenceStatus.VALID: frozenset(LicenceStatus.values) - {LicenceStatus.VALID},
    LicenceStatus.SUSPENDED: frozenset(
        {
            LicenceStatus.VALID,
            LicenceStatus.REVOKED,
            LicenceStatus.CANCELLED,
            LicenceStatus.EXPIRED,
            LicenceStatus.WITHDRAWN,
            LicenceStatus.OTHER,
        }
    ),
    LicenceStatus.OTHER: frozenset(LicenceStatus.values) - {LicenceStatus.OTHER},
}


class IssuingApplication(Protocol):
    """The application a case belongs to, as issuing reads it: its applicant holds the licence."""

    @property
    def applicant_name(self) -> str: ...
    @property
    def applicant_id_number(self) -> str: ...
    @property
    def applicant_id_type(self) -> str: ...


class IssuingCase(Protocol):
    """办件 as issuing and revoking read it; `cases.models.Case` is one."""

    @property
    def pk(self) -> Any: ...
    @property
    def number(self) -> str: ...
    @property
    def result(self) -> dict[str, Any]: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def department(self) -> Department: ...
    @property
    def item_version(self) -> ItemVersion: ...
    @property
    def application(self) -> IssuingApplication: ...


# ---- keys --------------------------------------------------------------------------------------


def department_key_ensure(department: Department) -> DepartmentKey:
    """The department's active signing key, generated on first use."""
    key = DepartmentKey.objects.filter(department=department, active=True).first()
    if key is not None:
        return key
    with transaction.atomic():
        # One creator per department at a time; the partial unique index backs this up.
        Department.objects.select_for_update().filter(pk=department.pk).first()
        key = DepartmentKey.objects.filter(department=department, active=True).first()
        return key or _new_key(department)


def department_keys_ensure() -> int:
    """Give every department without an active signing key a new one; returns how many were made."""
    made = 0
    for department in Department.objects.exclude(signing_keys__active=True).order_by("pk"):
        if not DepartmentKey.objects.filter(department=department, active=True).exists():
            department_key_ensure(department)
            made += 1
    return made


@transaction.atomic
def department_key_rotate(department: Department) -> DepartmentKey:
    """密钥轮换: retire the active key (kept to verify what it signed) and make a new active one."""
    Department.objects.select_for_update().filter(pk=department.pk).first()
    DepartmentKey.objects.filter(department=department, active=True).update(
        active=False, retired_at=timezone.now()
    )
    return _new_key(department)


def _new_key(department: Department) -> DepartmentKey:
    pair = signing.new_key_pair()
    return DepartmentKey.objects.create(
        department=department,
        public_key=pair.public_key,
        private_key_encrypted=pair.sealed_private_key,
        fingerprint=pair.fingerprint,
        active=True,
    )


# ---- issuing -------------------------------------------------------------------------------------


@transaction.atomic
def licence_issue(*, case: IssuingCase) -> Licence | None:
    """发证: issue the licence a completed, approved case results in; the same licence if already issued.

    Returns None when the case issues no licence: no approving decision in its result (a case gets
    its result as it completes), its item has no result licence type, or that type is not in the
    catalogue (logged, so the catalogue can be fixed).
    """
    existing = Licence.objects.filter(case_id=case.pk).first()
    if existing is not None:
        return existing
    result = case.result or {}
    if result.get("decision") != "approved":
        return None
    code = case.item_version.result_licence_type
    if not code:
        return None
    licence_type = LicenceType.objects.filter(code=code, is_active=True).first()
    if licence_type is None:
        logger.warning("办件 %s 的结果证照类型 %s 不在证照目录中，未签发电子证照", case.number, code)
        return None
    application = case.application
    result_data = dict(result.get("data") or {})
    valid_until = _valid_until_override(result_data)
    # The holder is the applicant. For results that belong to someone else (出生医学证明 for the
    # child, 死亡医学证明 for the deceased) this is the parent or relative who applied — a stopgap
    # until the item says whose result it is; the face data names the actual person.
    try:
        with transaction.atomic():
            return licence_create(
                licence_type=licence_type,
                issuer=case.department,
                holder_name=application.applicant_name,
                holder_code=application.applicant_id_number,
                holder_code_type=application.applicant_id_type,
                data=face_data(licence_type, result_data, case.data),
                number=str(result.get("number") or ""),
                valid_until=valid_until,
                jurisdiction=case.department.region_code,
                case=case,
            )
    except IntegrityError:
        # Issued concurrently for the same case: the unique constraint kept one; return it.
        existing = Licence.objects.filter(case_id=case.pk).first()
        if existing is None:
            raise
        return existing


def _valid_until_override(result_data: dict[str, Any]) -> Any:
    """A validity end the decision sets (`result.data.valid_until`: a date, or "长期"), else None."""
    if "valid_until" not in result_data:
        return None
    raw = str(result_data.pop("valid_until") or "").strip()
    if raw in ("", "长期"):
        return LONG_TERM
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed({"result.data.valid_until": ["须为 YYYY-MM-DD 格式的日期或“长期”"]}) from None


def face_data(licence_type: LicenceType, *sources: dict[str, Any]) -> dict[str, str]:
    """照面信息: the type's data fields, each from the first source that has it (by name, then `from`)."""
    data: dict[str, str] = {}
    for field in licence_type.data_fields:
        names = [field["name"], *field.get("from", [])]
        for source in sources:
            value = next((source[n] for n in names if source.get(n) not in (None, "", [])), None)
            if value is not None:
                data[field["name"]] = _face_text(value)
                break
    return data


def _face_text(value: Any) -> str:
    # Face data is printed text. Keeping it as strings makes the signed bytes independent of how a
    # database round-trips JSON numbers (100 vs 100.0).
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "、".join(_face_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_face_text(v)}" for k, v in value.items())
    return str(value).strip()


@transaction.atomic
def licence_create(
    *,
    licence_type: LicenceType,
    issuer: Department,
    holder_name: str,
    holder_code: str,
    holder_code_type: str,
    data: dict[str, str],
    number: str = "",
    issued_on: date | None = None,
    valid_from: date | None = None,
    valid_until: Any = None,
    jurisdiction: str = "",
    case: IssuingCase | None = None,
    version: int = 1,
) -> Licence:
    """入库: identify, sign and store a licence.

    `valid_until` None means "from the type's validity_years" (long-term when it has none);
    pass `LONG_TERM` for a long-term licence of a type that normally expires.
    """
    holder_code = _holder_code(holder_code, holder_code_type)
    if len(number) > NUMBER_MAX_LENGTH:
        raise ValidationFailed({"number": [f"证照编号不能超过 {NUMBER_MAX_LENGTH} 个字符"]})
    issued_on = issued_on or timezone.localdate()
    valid_from = valid_from or issued_on
    if valid_until is None:
        valid_until = (
            _add_years(valid_from, licence_type.validity_years) if licence_type.validity_years else None
        )
    elif valid_until is LONG_TERM:
        valid_until = None
    sequence = next_value(SERIAL_SEQUENCE)
    serial = f"{issued_on:%Y%m%d}{sequence:012d}"
    key = department_key_ensure(issuer)
    licence = Licence(
        identifier=build_identifier(licence_type.code, issuer.uscc, serial, version),
        licence_type=licence_type,
        number=number or f"{issuer.region_code[:6]}{issued_on:%Y}{sequence:08d}",
        name=licence_type.name,
        holder_name=holder_name.strip(),
        holder_code=holder_code,
        holder_code_type=holder_code_type,
        issuer=issuer,
        issuer_code=issuer.uscc,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        status=LicenceStatus.VALID,
        version=version,
        serial=serial,
        jurisdiction=jurisdiction or issuer.region_code,
        data={k: _face_text(v) for k, v in data.items()},
        case_id=case.pk if case is not None else None,
        key=key,
    )
    licence.digest = sm3_hex(signing.canonical_bytes(signed_payload(licence)))
    licence.signature = signing.sign(key, licence.digest)
    licence.save()
    return licence


def _holder_code(code: str, code_type: str) -> str:
    if code_type == HolderCodeType.ID_NUMBER:
        return normalize_id_number(code)
    if code_type == HolderCodeType.USCC:
        return normalize_uscc(code)
    raise ValidationFailed(
        {"holder_code_type": ["持证主体代码类型须为 111（公民身份号码）或 001（统一社会信用代码）"]}
    )


def _add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February → 28 February
        return start.replace(year=start.year + years, day=28)


def signed_payload(licence: Licence) -> dict[str, Any]:
    """What the signature covers: the licence's identity and face data — not its status, which changes."""
    return {
        "form": CANONICAL_FORM,
        "identifier": licence.identifier,
        "type": licence.licence_type.code,
        "name": licence.name,
        "number": licence.number,
        "holder": {
            "name": licence.holder_name,
            "code": licence.holder_code,
            "code_type": licence.holder_code_type,
        },
        "issuer_code": licence.issuer_code,
        "issued_on": licence.issued_on.isoformat(),
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
        "version": licence.version,
        "serial": licence.serial,
        "jurisdiction": licence.jurisdiction,
        "data": licence.data,
    }


# ---- status ---------------------------------------------------------------------------------------


@transaction.atomic
def licence_change_status(
    *, licence: Licence, status: str, reason: str, actor: User | None = None
) -> Licence:
    """证照状态变更: suspend, restore, revoke, cancel, expire, transfer out or withdraw a licence."""
    if status not in LicenceStatus.values:
        raise ValidationFailed({"status": [f"证照状态须为以下之一：{'、'.join(LicenceStatus.values)}"]})
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [f"须填写变更原因（不超过 {REASON_MAX} 字）"]})
    old = licence.status
    if status not in STATUS_TRANSITIONS.get(old, frozenset()):
        raise Conflict(
            "licence_status_not_allowed",
            f"证照状态为“{LicenceStatus(old).label}”，不能变更为“{LicenceStatus(status).label}”",
        )
    now = timezone.now()
    # Claim the change with a conditional update: a concurrent change of the same licence loses.
    if not Licence.objects.filter(pk=licence.pk, status=old).update(status=status, status_changed_at=now):
        raise Conflict("licence_status_changed", "证照状态已被他人变更，请刷新后重试")
    LicenceStatusChange.objects.create(
        licence=licence, from_status=old, to_status=status, reason=reason, actor=actor, at=now
    )
    licence.status, licence.status_changed_at = status, now
    return licence


def licence_revoke_for_case(*, case: IssuingCase, reason: str, actor: User | None = None) -> Licence | None:
    """撤销: revoke the licence a case issued (e.g. its 告知承诺 proved false); None if it issued none.

    A licence already revoked, cancelled or otherwise final is left as it is.
    """
    licence = Licence.objects.filter(case_id=case.pk).first()
    identifier = (case.result or {}).get("licence_identifier")
    if licence is None and identifier:
        licence = Licence.objects.filter(identifier=identifier).first()
    if licence is None:
        return None
    if LicenceStatus.REVOKED not in STATUS_TRANSITIONS.get(licence.status, frozenset()):
        return licence
    return licence_change_status(
        licence=licence, status=LicenceStatus.REVOKED, reason=reason[:REASON_MAX], actor=actor
    )


def licences_expire(*, today: date | None = None, batch: int = 500) -> int:
    """过期: mark valid licences whose validity ended before today as expired. Safe to run concurrently."""
    today = today or timezone.localdate()
    expired = 0
    while True:
        due = list(
            Licence.objects.filter(status=LicenceStatus.VALID, valid_until__lt=today)
            .order_by("valid_until", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not due:
            return expired
        for pk in due:
            with transaction.atomic():
                now = timezone.now()
                if Licence.objects.filter(pk=pk, status=LicenceStatus.VALID).update(
                    status=LicenceStatus.EXPIRED, status_changed_at=now
                ):
                    LicenceStatusChange.objects.create(
                        licence_id=pk,
                        from_status=LicenceStatus.VALID,
                        to_status=LicenceStatus.EXPIRED,
                        reason="有效期届满",
                        at=now,
                    )
                    expired += 1


# ---- verification ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """验证结果: what the public may learn about a licence, and whether its signature holds."""

    identifier: str
    valid_signature: bool
    status: str
    status_label: str
    currently_valid: bool
    issuer_name: str
    issuer_code: str
    type_code: str
    type_name: str
    licence_name: str
    holder_name_masked: str
    issued_on: date
    valid_from: date
    valid_until: date | None
    key_fingerprint: str
    problem: str

    @property
    def verdict(self) -> str:
        """ok 验证通过 / tampered 签名无效 / inactive 状态异常或已过有效期."""
        if not self.valid_signature:
            return "tampered"
        return "ok" if self.currently_valid else "inactive"


def licence_verify(licence: Licence, *, today: date | None = None) -> VerifyResult:
    """验证: recompute the digest of the stored data and check the issuer's signature over it."""
    key = licence.key
    digest = sm3_hex(signing.canonical_bytes(signed_payload(licence)))
    problem = ""
    if digest != licence.digest:
        problem = "证照数据与签名时不一致"
    elif key.department_id != licence.issuer_id or key.department.uscc != licence.issuer_code:
        problem = "签名密钥不属于颁发机构"
    elif not signing.verify(key.public_key, digest, licence.signature):
        problem = "签名验证未通过"
    return VerifyResult(
        identifier=licence.identifier,
        valid_signature=not problem,
        status=licence.status,
        status_label=LicenceStatus(licence.status).label,
        currently_valid=licence.is_valid(today),
        issuer_name=licence.issuer.name,
        issuer_code=licence.issuer_code,
        type_code=licence.licence_type.code,
        type_name=licence.licence_type.name,
        licence_name=licence.name,
        holder_name_masked=mask_holder_name(licence.holder_name, licence.holder_code_type),
        issued_on=licence.issued_on,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        key_fingerprint=key.fingerprint,
        problem=problem,
    )


def mask_holder_name(name: str, code_type: str) -> str:
    """张示范 → 张**; an organisation's name is public (企业信用信息公示) and stays as it is."""
    if code_type == HolderCodeType.USCC:
        return name
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""
