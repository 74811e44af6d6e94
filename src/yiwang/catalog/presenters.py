"""Turn catalog rows into the plain dicts the API (and pages that need JSON) return."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse

from yiwang.accounts.roles import StaffRole
from yiwang.catalog import codes, selectors
from yiwang.catalog.models import Bundle, Department, Fee, ItemVersion, Material
from yiwang.core.schemas import timestamp


def code_label(code: str | int, choices: Any) -> dict[str, str]:
    return {"code": str(code), "label": str(dict(choices.choices).get(code, code))}


def department_ref(department: Department) -> dict[str, str]:
    return {"code": department.code, "name": department.name}


def item_summary(version: ItemVersion) -> dict[str, Any]:
    item = version.item
    return {
        "code": item.code,
        "name": version.name,
        "version": version.version,
        "department": department_ref(item.department),
        "item_type": code_label(version.item_type, codes.ItemType),
        "case_type": code_label(version.case_type, codes.CaseType),
        "recipients": [code_label(c, codes.Recipient) for c in version.recipient_codes],
        "statutory_limit_days": version.statutory_limit_days,
        "promised_limit_days": version.promised_limit_days,
        "visits": version.visits,
        "online_depth": code_label(version.online_depth, codes.OnlineDepth),
        "url": reverse("channels:item_guide", args=[item.code]),
    }


def material_out(material: Material, item_code: str) -> dict[str, Any]:
    blank_form_url = material.blank_form.url if material.blank_form else None
    sample_url = material.sample.url if material.sample else None
    if material.is_application_form:
        blank_form_url = blank_form_url or reverse("channels:item_form_print", args=[item_code])
        sample_url = sample_url or reverse("channels:item_form_sample", args=[item_code])
    return {
        "id": material.id,
        "code": material.code,
        "name": material.name,
        "form": code_label(material.form, codes.MaterialForm),
        "required": material.required,
        "required_note": material.required_note,
        "source": code_label(material.source, codes.MaterialSource),
        "source_note": material.source_note,
        "issuer": material.issuer,
        "licence_type_code": material.licence_type_code,
        "licence_holder": code_label(material.licence_holder, codes.LicenceHolder),
        "pledge_allowed": material.pledge_allowed,
        "pledge_text": material.pledge_text,
        "originals": material.originals,
        "copies": material.copies,
        "blank_form_url": blank_form_url,
        "sample_url": sample_url,
        "acceptance_standard": material.acceptance_standard,
        "legal_basis": material.legal_basis,
    }


def item_guide(version: ItemVersion) -> dict[str, Any]:
    department = version.item.department
    out = item_summary(version)
    out.update(
        {
            name: getattr(version, name)
            for name in (
                "base_code",
                "handling_code",
                "legal_basis",
                "summary",
                "acceptance_conditions",
                "co_agencies",
                "intermediary_services",
                "quantity_limit",
                "result_name",
                "statutory_limit_note",
                "promised_limit_note",
                "visit_reason",
                "online_url",
                "supports_booking",
                "bookings_per_day",
                "booking_rules",
                "supports_online_payment",
                "supports_courier",
                "supports_kiosk",
                "real_name_required",
                "establishes_entity",
                "charges_fee",
                "fee_basis",
                "place",
                "hours",
                "enquiry_phone",
                "complaint_phone",
                "form_schema",
            )
        }
    )
    out["exercise_level"] = code_label(version.exercise_level, codes.ExerciseLevel)
    out["channels"] = [code_label(c, codes.Channel) for c in version.channel_codes]
    out["cross_region_scope"] = code_label(version.cross_region_scope, codes.CrossRegionScope)
    out["published_at"] = timestamp(version.published_at) if version.published_at else None
    out["fees"] = [
        {"name": f.name, "amount": f.amount, "unit": f.unit, "basis": f.basis, "waivable": f.waivable}
        for f in version.fees.all()
    ]
    out["materials"] = [material_out(m, version.item.code) for m in version.materials.all()]
    out["steps"] = [
        {
            "order": s.order,
            "name": s.name,
            "role": code_label(s.role, StaffRole),
            "department": department_ref(s.department or department),
            "limit_days": s.limit_days,
            "description": s.description,
        }
        for s in version.steps.all()
    ]
    return out


def bundle_summary(bundle: Bundle, member_count: int | None = None) -> dict[str, Any]:
    return {
        "code": bundle.code,
        "name": bundle.name,
        "summary": bundle.summary,
        "recipients": [code_label(c, codes.Recipient) for c in codes.split_codes(bundle.recipients)],
        "lead_department": department_ref(bundle.lead_department),
        "promised_limit_days": bundle.promised_limit_days,
        "member_count": member_count if member_count is not None else bundle.members.count(),
        "url": reverse("channels:bundle_detail", args=[bundle.code]),
    }


def bundle_detail(bundle: Bundle) -> dict[str, Any]:
    pairs = selectors.bundle_member_versions(bundle)
    out = bundle_summary(bundle, member_count=len(pairs))
    out["members"] = [
        {
            "item": item_summary(version),
            "optional": member.optional,
            "requires": [
                {"item": d.requires.item.code, "handover_fields": d.handover_fields, "note": d.note}
                for d in member.dependencies.all()
            ],
        }
        for member, version in pairs
    ]
    out["form_schema"], _conflicts = selectors.bundle_merged_form(bundle)
    out["materials"] = [
        {
            "material": material_out(entry.material, entry.material.version.item.code),
            "item": entry.material.version.item.code,
            "needed_by": entry.needed_by,
        }
        for entry in selectors.bundle_materials(bundle)
    ]
    out["critical_path_days"] = selectors.bundle_critical_path_days(bundle)
    return out


# ---- what a guide page says: only what this platform really offers ------------------------------

# The national labels of 网上办理深度, except Ⅱ级's “网上预约”: this platform takes no bookings.
_DEPTH_TEXT: dict[int, str] = {
    codes.OnlineDepth.NONE: "不支持网上办理",
    codes.OnlineDepth.I: "Ⅰ级 在线咨询、表格下载",
    codes.OnlineDepth.II: "Ⅱ级 在线预审",
    codes.OnlineDepth.III: "Ⅲ级 网上受理办理、现场领取结果",
    codes.OnlineDepth.IV: "Ⅳ级 全程网办",
}


def online_depth_text(depth: int) -> str:
    return _DEPTH_TEXT.get(depth, str(depth))


def applies_online(version: ItemVersion) -> bool:
    """The portal's 在线申请 is offered from 网上办理深度 Ⅱ (在线预审) up."""
    return version.online_depth >= codes.OnlineDepth.II


@dataclass(frozen=True)
class GuideWay:
    """A way to get an item done that this platform really offers (办理渠道)."""

    name: str
    text: str


def guide_ways(version: ItemVersion) -> list[GuideWay]:
    """Window, online application, kiosk and results by post, as far as the item has them.

    The catalog also records 支持预约 and 支持网上支付 (national data elements, kept in the API), but
    the platform offers neither, so no page lists them; nor 快递申请 (sending the papers by post),
    for which it has no intake step.
    """
    ways = []
    if codes.Channel.WINDOW in version.channel_codes:
        ways.append(GuideWay("窗口办理", "携带申请材料到办理地点的综合窗口提交"))
    if applies_online(version):
        ways.append(GuideWay("网上申请", "在本网站（电脑或手机）在线填写申请表、上传材料"))
    if version.supports_kiosk:
        ways.append(GuideWay("自助终端", "在政务服务中心等网点的自助服务终端办理"))
    if version.supports_courier:
        ways.append(GuideWay("邮寄送达", "申请时可选择将办理结果邮寄到您填写的地址"))
    return ways


def yuan_text(amount: Decimal | str | int | float) -> str:
    """12.50 → 12.5, 30.00 → 30: fees read as people say them."""
    text = f"{amount:f}" if isinstance(amount, Decimal) else str(amount)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fee_text(amount: Decimal | str | int | float, unit: str) -> str:
    """“20 元/证”, whether the unit was entered as “元/证” or as “证”."""
    unit = unit.strip()
    if not unit:
        return f"{yuan_text(amount)} 元"
    if unit.startswith("元"):
        return f"{yuan_text(amount)} {unit}"
    return f"{yuan_text(amount)} 元/{unit.lstrip('/')}"


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount: str
    basis: str  # "" when the one line under the table gives it
    waivable: bool


@dataclass(frozen=True)
class FeeTable:
    lines: list[FeeLine]
    basis: str  # said once under the table; "" when every line has its own
    basis_per_line: bool


def fee_table(version: ItemVersion, fees: list[Fee]) -> FeeTable:
    """收费标准 with every 收费依据 said once.

    The item's 收费依据 usually repeats its fee items' own (often with a note added, such as who is
    exempt): then it is said once, under the table. Only fee items with different bases get a column.
    """
    bases = {fee.basis.strip() for fee in fees if fee.basis.strip()}
    item_basis = version.fee_basis.strip()
    one_basis = len(bases) <= 1 and (not item_basis or all(basis in item_basis for basis in bases))
    lines = [
        FeeLine(fee.name, fee_text(fee.amount, fee.unit), "" if one_basis else fee.basis, fee.waivable)
        for fee in fees
    ]
    if one_basis:
        return FeeTable(lines, item_basis or next(iter(bases), ""), basis_per_line=False)
    return FeeTable(lines, item_basis if item_basis not in bases else "", basis_per_line=True)
