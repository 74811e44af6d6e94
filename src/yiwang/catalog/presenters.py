"""Turn catalog rows into the plain dicts the API (and pages that need JSON) return."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yiwang.catalog import codes, selectors
from yiwang.catalog.models import Bundle, Department, ItemVersion, Material


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
    out["published_at"] = version.published_at.isoformat() if version.published_at else None
    out["fees"] = [
        {"name": f.name, "amount": f.amount, "unit": f.unit, "basis": f.basis, "waivable": f.waivable}
        for f in version.fees.all()
    ]
    out["materials"] = [material_out(m, version.item.code) for m in version.materials.all()]
    out["steps"] = [
        {
            "order": s.order,
            "name": s.name,
            "role": code_label(s.role, codes.StaffRole),
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
