"""What the assistant says about one service, taken from its published guide and nothing else:
materials (and whether each must be brought, is taken from the e-licence library or may be pledged),
time limits in working days, fees, where and when, whether it can be done online, phone numbers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yiwang.catalog import codes
from yiwang.catalog.models import Bundle, ItemVersion, Material, ServicePoint
from yiwang.catalog.presenters import applies_online, fee_text

TOPICS = ("overview", "materials", "time", "fees", "where", "online", "phone")
HOTLINE = "12345"
POINTS_SHOWN = 3


def material_way(material: Material) -> str:
    """How a material reaches the department: 免提交, 可承诺, 现场采集 or brought / uploaded."""
    if material.source == codes.MaterialSource.LICENCE:
        return "免提交"
    if material.pledge_allowed:
        return "可承诺"
    if material.source == codes.MaterialSource.ONSITE:
        return "现场采集"
    return "提交"


_WAY_TEXT = {
    "免提交": "免提交，经您授权从电子证照库调取",
    "可承诺": "可书面承诺代替（告知承诺）",
    "现场采集": "到现场时采集",
    "提交": "需提交（网上办理时上传）",
}


def item_facts(version: ItemVersion) -> dict[str, Any]:
    """Everything the assistant may say about an item, as data."""
    points = ServicePoint.objects.filter(departments=version.item.department_id, is_active=True).exclude(
        kind=codes.ServicePointKind.KIOSK
    )
    code = version.item.code
    return {
        "kind": "item",
        "code": code,
        "name": version.name,
        "summary": version.summary,
        "department": version.item.department.name,
        "guide_url": reverse("channels:item_guide", args=[code]),
        "materials": [
            {"name": m.name, "required": m.required, "way": material_way(m)} for m in version.materials.all()
        ],
        "time": {
            "instant": version.is_instant,
            "promised_days": version.promised_limit_days,
            "statutory_days": version.statutory_limit_days,
        },
        "fees": {
            "charged": version.charges_fee,
            "lines": [f"{f.name} {fee_text(f.amount, f.unit)}" for f in version.fees.all()],
        },
        "where": {
            "place": version.place,
            "hours": version.hours,
            "points": [
                {"name": p.name, "address": p.address, "hours": p.office_hours}
                for p in points.order_by("kind", "code")[:POINTS_SHOWN]
            ],
        },
        "online": {
            "can_apply": applies_online(version),
            "apply_url": reverse("portal:apply_item", args=[code]) if applies_online(version) else None,
        },
        "phones": {"enquiry": version.enquiry_phone, "complaint": version.complaint_phone or HOTLINE},
    }


def bundle_facts(bundle: Bundle) -> dict[str, Any]:
    """What the assistant may say about a 一件事: its members, time, where to apply."""
    members = [m.item.published_version for m in bundle.members.all() if m.item.published_version]
    return {
        "kind": "bundle",
        "code": bundle.code,
        "name": bundle.name,
        "summary": bundle.summary,
        "department": bundle.lead_department.name,
        "guide_url": reverse("channels:bundle_detail", args=[bundle.code]),
        "members": [v.name for v in members if v is not None],
        "time": {"instant": False, "promised_days": bundle.promised_limit_days, "statutory_days": None},
        "online": {"can_apply": True, "apply_url": reverse("portal:apply_bundle", args=[bundle.code])},
        "phones": {"enquiry": "", "complaint": HOTLINE},
    }


def topic_text(facts: dict[str, Any], topic: str) -> str:
    """One topic of a service, said in a sentence or a short list."""
    name = facts["name"]
    if topic == "materials" and facts["kind"] == "item":
        lines = [
            f"· {m['name']}{'' if m['required'] else '（视情况）'}：{_WAY_TEXT[m['way']]}"
            for m in facts["materials"]
        ]
        return f"办理“{name}”需要准备：\n" + "\n".join(lines) if lines else f"“{name}”无需另备材料。"
    if topic == "materials":
        return f"“{name}”的材料清单合并了各组成事项的材料，见一件事页面。"
    if topic == "time":
        time = facts["time"]
        if time["instant"]:
            return f"“{name}”是即办件，材料齐全当场办结。"
        text = f"“{name}”承诺 {time['promised_days']} 个工作日内办结"
        if time.get("statutory_days"):
            text += f"（法定时限 {time['statutory_days']} 个工作日）"
        return text + "，从受理之日起算。"
    if topic == "fees" and facts["kind"] == "item":
        fees = facts["fees"]
        if not fees["charged"]:
            return f"“{name}”不收费。"
        return f"“{name}”收费：" + "；".join(fees["lines"]) + "。"
    if topic == "where" and facts["kind"] == "item":
        where = facts["where"]
        lines = [f"· {p['name']}：{p['address']}（{p['hours'] or where['hours']}）" for p in where["points"]]
        head = f"“{name}”的办理地点：{where['place']}；办理时间：{where['hours']}。"
        return head + ("\n可去的网点：\n" + "\n".join(lines) if lines else "")
    if topic == "online":
        if facts["online"]["can_apply"]:
            return f"“{name}”可以网上申请，在本网站填写申请表、上传材料即可。"
        return f"“{name}”暂不支持网上申请，请到办理地点的窗口办理。"
    if topic == "phone":
        phones = facts["phones"]
        enquiry = f"咨询电话 {phones['enquiry']}，" if phones["enquiry"] else ""
        return f"“{name}”{enquiry}投诉电话 {phones['complaint']}；也可拨打政务服务热线 {HOTLINE}。"
    return f"“{name}”：{facts['summary']}（{facts['department']}）"
