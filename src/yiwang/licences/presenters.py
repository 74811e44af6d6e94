"""What the API and pages show of a licence: everything to its holder, a masked summary to the public."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from yiwang.licences.models import Licence, LicenceStatus
from yiwang.licences.services import VerifyResult


def verify_url(identifier: str) -> str:
    """The public verification page the licence's QR code opens."""
    return f"{settings.SITE_URL.rstrip('/')}/licences/verify/{identifier}/"


def face_rows(licence: Licence) -> list[dict[str, str]]:
    """照面信息 in the type's order, with titles; values the type no longer lists come last."""
    titles = {f["name"]: f.get("title", f["name"]) for f in licence.licence_type.data_fields}
    ordered = [name for name in titles if name in licence.data]
    ordered += [name for name in licence.data if name not in titles]
    return [{"name": n, "title": titles.get(n, n), "value": licence.data[n]} for n in ordered]


def licence_detail(licence: Licence) -> dict[str, Any]:
    """The holder's view: the whole licence, its signature and where to verify it."""
    return {
        "identifier": licence.identifier,
        "type_code": licence.licence_type.code,
        "type_name": licence.licence_type.name,
        "name": licence.name,
        "number": licence.number,
        "holder_name": licence.holder_name,
        "holder_code": licence.holder_code,
        "holder_code_type": licence.holder_code_type,
        "issuer_name": licence.issuer.name,
        "issuer_code": licence.issuer_code,
        "issued_on": licence.issued_on,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "status": licence.status,
        "status_label": LicenceStatus(licence.status).label,
        "currently_valid": licence.is_valid(),
        "version": licence.version,
        "jurisdiction": licence.jurisdiction,
        "data": face_rows(licence),
        "case_number": licence.case.number if licence.case is not None else None,
        "digest": licence.digest,
        "signature": licence.signature,
        "key_fingerprint": licence.key.fingerprint,
        "verify_url": verify_url(licence.identifier),
    }


def verify_detail(result: VerifyResult) -> dict[str, Any]:
    """The public view: no holder code and no face data, the holder's name masked."""
    return {
        "identifier": result.identifier,
        "valid_signature": result.valid_signature,
        "verdict": result.verdict,
        "status": result.status,
        "status_label": result.status_label,
        "currently_valid": result.currently_valid,
        "type_code": result.type_code,
        "type_name": result.type_name,
        "licence_name": result.licence_name,
        "holder_name": result.holder_name_masked,
        "issuer_name": result.issuer_name,
        "issuer_code": result.issuer_code,
        "issued_on": result.issued_on,
        "valid_from": result.valid_from,
        "valid_until": result.valid_until,
        "key_fingerprint": result.key_fingerprint,
        "message": verdict_message(result),
    }


def verdict_message(result: VerifyResult) -> str:
    if not result.valid_signature:
        return "签名无效，证照可能被篡改"
    if result.status != LicenceStatus.VALID:
        return f"证照状态：{result.status_label}"
    if not result.currently_valid:
        return "证照不在有效期内"
    return "验证通过"
