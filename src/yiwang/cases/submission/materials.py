"""申请材料: what an application needs, and each material as provided — upload, e-licence (免提交) or
pledge (告知承诺)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects

from yiwang.accounts.models import User
from yiwang.accounts.selectors import is_real_name_verified
from yiwang.cases.access import is_applicant
from yiwang.cases.applicants import Applicant, Problems
from yiwang.cases.models import (
    Application,
    ApplicationMaterial,
)
from yiwang.cases.pledges import has_open_credit_mark
from yiwang.catalog import codes
from yiwang.catalog.models import ItemVersion, Material
from yiwang.documents.models import Document
from yiwang.licences.selectors import licence_find_valid, licence_satisfying


@dataclass
class Provided:
    material: Material
    document: Any = None
    licence_identifier: str = ""
    pledged: bool = False
    shared: bool = False  # taken from the e-licence library without the applicant naming it (免提交)
    from_form: bool = False  # the application form itself, filled in online or at the window
    holder_code: str = ""  # whose licence it is (the applicant's, or the legal representative's …)


def needed_materials(versions: list[ItemVersion]) -> dict[str, list[Material]]:
    """Materials by share key: a paper several member items need is one entry."""
    # One query for the versions that do not come with their materials (published versions do).
    prefetch_related_objects(versions, "materials")
    by_key: dict[str, list[Material]] = {}
    for version in sorted(versions, key=lambda v: v.pk):
        for material in version.materials.all():
            by_key.setdefault(material.share_key, []).append(material)
    return by_key


def collect_materials(
    actor: User,
    who: Applicant,
    versions: list[ItemVersion],
    entries: list[dict[str, Any]],
    problems: Problems,
    *,
    require_all: bool = True,
    produced: frozenset[str] = frozenset(),
) -> list[Provided]:
    """Check each provided material (document, licence or pledge); with require_all, report what is missing.

    `produced`: licence types a member of this application issues (企业开办's 营业执照): asked of nobody.
    E-licences are drawn only for an applicant the platform trusts (实名认证, or in person at a window)
    and only those of the applicant or its 经办人 (`Applicant.drawable_codes`).
    """
    needed = needed_materials(versions)
    drawable = who.drawable_codes() if not is_applicant(actor) or is_real_name_verified(actor) else set()
    key_of = {m.id: key for key, group in needed.items() for m in group}
    # The caller's documents named in the request, in one query.
    wanted = {
        uuid.UUID(str(entry["document"]))
        for entry in entries
        if isinstance(entry, dict) and entry.get("document") is not None and _is_uuid(entry["document"])
    }
    documents = {d.pk: d for d in Document.objects.filter(pk__in=wanted, owner=actor)} if wanted else {}
    pledge_barred: bool | None = None  # an open 承诺不实 mark, looked up at the first pledge
    provided: dict[str, Provided] = {}
    for i, entry in enumerate(entries):
        where = f"materials[{i}]"
        material_id = entry.get("material") if isinstance(entry, dict) else None
        key = key_of.get(material_id) if isinstance(material_id, int) else None
        if not isinstance(entry, dict) or key is None:
            problems.add(f"{where}.material", "不是所申请事项的申请材料")
            continue
        material = needed[key][0]
        if key in provided:
            problems.add(f"{where}.material", f"“{material.name}”重复提交")
            continue
        if material.licence_type_code in produced:
            problems.add(
                f"{where}.material", f"“{material.name}”由本次申请的设立登记办结后自动提供，无需提交"
            )
            continue
        ways = [entry.get("document") is not None, bool(entry.get("licence")), bool(entry.get("pledge"))]
        if sum(ways) != 1:
            problems.add(where, f"“{material.name}”须以上传文件、电子证照或告知承诺三者之一提供")
            continue
        if entry.get("document") is not None:
            document = (
                documents.get(uuid.UUID(str(entry["document"]))) if _is_uuid(entry["document"]) else None
            )
            if document is None:
                problems.add(f"{where}.document", "未找到该文件，请先上传")
                continue
            provided[key] = Provided(material, document=document)
        elif entry.get("licence"):
            holder = who.holder_code(material).upper()
            identifier = _licence_for(holder, material, str(entry["licence"])) if holder in drawable else None
            if identifier is None:
                holder_label = codes.LicenceHolder(material.licence_holder).label
                problems.add(f"{where}.licence", f"未找到{holder_label}持有的有效电子证照")
                continue
            provided[key] = Provided(material, licence_identifier=identifier, holder_code=holder)
        else:
            if pledge_barred is None:
                pledge_barred = has_open_credit_mark(who.credit_code)
            if pledge_barred:
                problems.add(
                    f"{where}.pledge",
                    "存在未修复的承诺不实记录，暂不能适用告知承诺，请提交材料（信用修复后可恢复）",
                )
                continue
            if not any(m.pledge_allowed for m in needed[key]):
                problems.add(f"{where}.pledge", f"“{material.name}”不适用告知承诺，须提交材料")
                continue
            provided[key] = Provided(material, pledged=True)
    for key, group in needed.items():
        if require_all and group[0].licence_type_code in produced:
            continue
        if require_all and key not in provided:
            shared = _shared_licence(who, group, drawable)
            if shared is not None:
                provided[key] = shared
                continue
            if all(m.is_application_form for m in group):
                # The application form is the form the applicant just filled in: no paper to hand in.
                provided[key] = Provided(group[0], from_form=True)
                continue
        if require_all and key not in provided and any(m.required for m in group):
            items = "、".join(dict.fromkeys(m.version.name for m in group))
            problems.add(f"materials.{group[0].id}", f"缺少必要材料：{group[0].name}（{items}）")
    return list(provided.values())


def provided_material(application: Application, p: Provided, **extra: Any) -> ApplicationMaterial:
    """The application's record of one provided material, not yet written."""
    return ApplicationMaterial(
        application=application,
        material=p.material,
        share_key=p.material.share_key,
        document=p.document,
        licence_identifier=p.licence_identifier,
        pledged=p.pledged,
        pledge_text=p.material.pledge_text if p.pledged else "",
        **extra,
    )


def _shared_licence(who: Applicant, group: list[Material], drawable: set[str]) -> Provided | None:
    """免提交: a material a shared e-licence proves is taken from the library when its holder (the
    applicant, or its legal representative or 经办人 as the material says) holds a valid one and may
    use it for this application — never asked again (国务院令第716号)."""
    type_code = next((m.licence_type_code for m in group if m.licence_type_code), "")
    holder = who.holder_code(group[0]).upper()
    if not type_code or holder not in drawable:
        return None
    licence = licence_find_valid(holder_code=holder, type_code=type_code)
    if licence is None:
        return None
    return Provided(group[0], licence_identifier=licence.identifier, shared=True, holder_code=holder)


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _licence_for(holder: str, material: Material, identifier: str) -> str | None:
    """The licence `identifier` if `holder` holds it and it is of the material's type (library if installed)."""
    if not material.licence_type_code:
        return None
    return licence_satisfying(
        holder=holder, licence_type_code=material.licence_type_code, identifier=identifier
    )
