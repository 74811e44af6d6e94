"""Builders shared by the demo catalog modules: form fields, materials, process steps and the item itself."""

from __future__ import annotations

import copy
from typing import Any

from yiwang.demo.catalog import licences as lic
from yiwang.demo.catalog.departments import CENTRE, COMPLAINT_PHONE, DEPARTMENTS
from yiwang.demo.catalog.licences import make_uscc

PUBLISHED_AT = "2025-01-02T09:00:00+08:00"
HOURS = "工作日 9:00-12:00，13:30-17:00"
HOURS_SATURDAY = f"{HOURS}；周六 9:00-12:00"
BOOKING_RULES = (
    "可通过“示范市政务服务”网站或App提前1至7个工作日预约办理时段；预约后未按时到场的，当日需重新取号"
)

# 行政许可法 and the type codes of GB/T 39046 Appendix A.
LICENCE, CONFIRMATION, BENEFIT, OTHER_POWER, PUBLIC_SERVICE = "01", "07", "05", "10", "20"

# ---------------------------------------------------------------------------------------------
# Form fields (JSON Schema draft 2020-12). A shared name means the same datum everywhere: a bundle
# merges fields by name, so each shared field is defined exactly once, here.
# ---------------------------------------------------------------------------------------------

ID_PATTERN = "^[0-9]{17}[0-9Xx]$"
TEST_ID = "11010519491231002X"  # the GB 11643 test number; never a real person's
DEMO_USCC = make_uscc("91330100", "MA2YW100")  # 示范市云栖餐饮管理有限公司 (fictional)


def text(title: str, example: str, max_length: int = 100, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": title, "maxLength": max_length, **extra, "examples": [example]}


def choice(title: str, options: list[str], example: str | None = None) -> dict[str, Any]:
    return {"type": "string", "title": title, "enum": options, "examples": [example or options[0]]}


def day(title: str, example: str) -> dict[str, Any]:
    return {"type": "string", "title": title, "format": "date", "examples": [example]}


def number(title: str, example: float, minimum: float = 0) -> dict[str, Any]:
    return {"type": "number", "title": title, "minimum": minimum, "examples": [example]}


def integer(title: str, example: int, minimum: int = 0) -> dict[str, Any]:
    return {"type": "integer", "title": title, "minimum": minimum, "examples": [example]}


def id_number(title: str, **extra: Any) -> dict[str, Any]:
    """A 公民身份号码 field: the pattern helps the browser, the format runs the GB 11643 check."""
    return text(title, TEST_ID, 18, pattern=ID_PATTERN, format="id-number", **extra)


def applicant(binding: str, field: dict[str, Any]) -> dict[str, Any]:
    """A field that states who applies (cases.applicant_fields): filled from and held to the applicant."""
    return {**field, "x-applicant": binding}


FIELDS: dict[str, dict[str, Any]] = {
    "applicant_name": applicant("name", text("申请人姓名", "张明", 50)),
    "applicant_id_number": applicant("id_number", id_number("申请人公民身份号码")),
    "applicant_phone": text("联系电话（手机）", "13800138000", 11, pattern="^1[3-9][0-9]{9}$"),
    "address": text("联系地址", "示范市西湖区文华路88号2幢1单元301室", 200),
    "household_address": text("户籍地址", "示范市上城区平安里12号", 200),
    "employer_name": text("工作单位", "示范市云栖餐饮管理有限公司"),
    "enterprise_name": applicant("name", text("企业名称", "示范市云栖餐饮管理有限公司")),
    "uscc": applicant(
        "uscc", text("统一社会信用代码", DEMO_USCC, 18, pattern="^[0-9A-HJ-NPQRTUWXY]{18}$", format="uscc")
    ),
    "legal_representative": applicant("legal_representative", text("法定代表人", "李华", 50)),
    "legal_representative_id_number": applicant(
        "legal_representative_id_number", id_number("法定代表人公民身份号码")
    ),
    "shareholders": {
        "type": "array",
        "title": "股东（发起人）",
        "minItems": 1,
        "maxItems": 50,
        "items": {
            "type": "object",
            "title": "股东",
            "properties": {
                "name": text("股东姓名或名称", "李华", 100),
                "id_number": text(
                    "身份证号码或统一社会信用代码", TEST_ID, 18, pattern="^[0-9A-HJ-NPQRTUWXY]{18}$"
                ),
                "contribution": number("认缴出资额（万元）", 100),
            },
            "required": ["name", "id_number", "contribution"],
        },
        "examples": [[{"name": "李华", "id_number": TEST_ID, "contribution": 100}]],
    },
    "registered_capital": number("注册资本（万元）", 100),
    "business_scope": text("经营范围", "餐饮服务；食品销售（仅销售预包装食品）", 2000),
    "business_address": text("住所（经营场所）", "示范市西湖区文华路88号1层101室", 200),
    "contact_person": text("经办人", "王芳", 50),
    "child_name": text("新生儿（子女）姓名", "张小禾", 50),
    "child_sex": choice("性别", ["男", "女"], "女"),
    "child_birth_date": day("出生日期", "2025-03-18"),
    "child_id_number": id_number("新生儿（子女）公民身份号码"),
    "mother_name": text("母亲姓名", "林秀", 50),
    "mother_id_number": id_number("母亲公民身份号码"),
    "father_name": text("父亲姓名", "张明", 50),
    "father_id_number": id_number("父亲公民身份号码"),
    "deceased_name": text("逝者姓名", "王建国", 50),
    "deceased_id_number": id_number("逝者公民身份号码"),
    "date_of_death": day("死亡日期", "2025-02-10"),
    "relationship_to_deceased": choice("申请人与逝者关系", ["配偶", "子女", "父母", "其他亲属"], "子女"),
    "property_address": text("不动产坐落", "示范市西湖区文华路88号2幢1单元301室", 200),
    "property_certificate_number": text("不动产权证书号", "浙（2024）示范市不动产权第0012345号", 50),
    "retirement_date": day("退休日期", "2025-06-30"),
    "bank_name": text("开户银行", "示范市商业银行文华支行", 100),
    "bank_account": text("银行账号", "6222021234567890123", 19, pattern="^[0-9]{12,19}$"),
    "vehicle_plate": text("号牌号码", "浙A8D2K6", 8, pattern="^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$"),
    "driving_licence_number": id_number("驾驶证号（公民身份号码）"),
    "project_name": text("项目名称", "示范市丹枫社区养老服务中心新建工程"),
    "project_address": text("建设地点", "示范市西湖区丹枫街道枫林路26号", 200),
    "delivery_method": choice("证件领取方式", ["窗口领取", "邮寄送达"], "邮寄送达"),
    "driving_class": choice(
        "准驾车型",
        ["A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "C5", "C6", "D", "E", "F", "M", "N", "P"],
        "C1",
    ),
    "hpf_account": text("住房公积金个人账号", "330100123456789", 20, pattern="^[0-9]{6,20}$"),
    "family_size": integer("共同生活家庭成员人数", 3, 1),
    "monthly_income": number("家庭月总收入（元）", 2400),
    "guardian_name": text("监护人姓名", "张明", 50),
    "disability_certificate_number": text(
        "残疾人证号", f"{TEST_ID}42", 20, pattern="^[0-9]{17}[0-9Xx][1-7][1-4]$"
    ),
}


def form(title: str, *fields: str | tuple[str, dict[str, Any]], optional: str = "") -> dict[str, Any]:
    """An application form: shared fields by name, item-specific ones as (name, schema); all required but `optional`."""
    properties: dict[str, Any] = {}
    for entry in fields:
        name, schema = (entry, FIELDS[entry]) if isinstance(entry, str) else entry
        if isinstance(entry, tuple) and name in FIELDS:
            raise ValueError(f"{name} is a shared field; use it by name")
        properties[name] = copy.deepcopy(schema)
    if not 3 <= len(properties) <= 10:
        raise ValueError(f"{title}: a form has 3 to 10 fields, not {len(properties)}")
    skip = set(optional.split())
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": title,
        "properties": properties,
        "required": [name for name in properties if name not in skip],
    }
    if "delivery_method" in properties and "address" in skip:
        out["allOf"] = [copy.deepcopy(ADDRESS_WHEN_MAILED)]
    return out


# 邮寄送达 needs somewhere to send the result to: the address is optional until it is chosen.
ADDRESS_WHEN_MAILED: dict[str, Any] = {
    "if": {"properties": {"delivery_method": {"const": "邮寄送达"}}, "required": ["delivery_method"]},
    "then": {"required": ["address"]},
}


# ---------------------------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------------------------


def pledge_text(proof: str, content: str, check: str = "数据共享、部门协查或现场核查") -> str:
    """告知承诺 (国办发〔2020〕42号): duty, content and the liability for a false pledge, stated in writing."""
    return (
        f"证明义务：申请人应当证明{content}。"
        f"证明内容：{proof}所载明的上述事实。"
        f"承诺方式：申请人可自主选择提交{proof}，或签署《证明事项告知承诺书》承诺上述事实属实，以承诺代替证明；"
        f"选择承诺的，本机关不再索要该证明，并在办结后通过{check}等方式核查。"
        "不实承诺的法律责任：承诺不实的，本机关将终止办理，责令限期整改，已作出的决定依法撤销；"
        "依法予以行政处罚，并将不实承诺信息记入申请人信用记录、实施联合惩戒；涉嫌犯罪的，依法移送司法机关。"
        "申请人有严重失信记录或曾作出不实承诺的，在信用修复前不适用告知承诺。"
    )


def material(
    name: str,
    *,
    issuer: str = "",
    source: str = "applicant",
    form: str = "both",
    required: bool = True,
    required_note: str = "",
    source_note: str = "",
    licence: str = "",
    originals: int = 1,
    copies: int = 0,
    standard: str = "",
    basis: str = "",
    pledge: tuple[str, str] | None = None,
    application_form: bool = False,
    holder: str = "applicant",
) -> dict[str, Any]:
    """One material; `pledge=(proof content, what is to be proved)` allows 告知承诺 in place of it;
    `holder`: whose licence it is, when a shared e-licence can stand in for it (codes.LicenceHolder)."""
    return {
        "name": name,
        "form": form,
        "required": required,
        "required_note": required_note,
        "source": source,
        "source_note": source_note,
        "issuer": issuer,
        "licence_type_code": licence,
        "licence_holder": holder,
        "pledge_allowed": pledge is not None,
        "pledge_text": pledge_text(*pledge) if pledge else "",
        "originals": originals,
        "copies": copies,
        "is_application_form": application_form,
        "blank_form": "",
        "sample": "",
        "acceptance_standard": standard,
        "legal_basis": basis,
    }


def _licence(name: str, code: str, issuer: str, standard: str, /, **kw: Any) -> dict[str, Any]:
    """A shared e-licence (来源：电子证照共享); keyword arguments override the defaults."""
    defaults = dict(
        issuer=issuer,
        source="licence",
        licence=code,
        standard=standard,
        source_note="已纳入电子证照库的，通过电子证照共享核验，申请人免于提交",
    )
    return material(name, **{**defaults, **kw})


# Whose ID card a material names, when it is not the applicant's own: the legal representative's or
# the 经办人's may be drawn from the library for them; anyone else's only they can share.
ID_CARD_HOLDERS = {
    "法定代表人": "legal_representative",
    "法定代表人（负责人）": "legal_representative",
    "股东、法定代表人、董事、监事和经理": "legal_representative",
    "经办人": "agent",
    "办税人员": "agent",
    "男方": "other",
    "女方": "other",
    "夫妻双方": "other",
    "父母双方": "other",
    "新生儿父母": "other",
    "共同生活家庭成员": "other",
    "逝者": "other",
    "买卖双方": "other",
    "继承人": "other",
    "抵押人": "other",
    "借款人及配偶": "other",
    "受伤职工": "other",
}


def id_card(who: str = "申请人", **kw: Any) -> dict[str, Any]:
    kw.setdefault("holder", ID_CARD_HOLDERS.get(who, "applicant"))
    return _licence(f"{who}居民身份证", lic.ID_CARD, "公安机关", "证件真实有效并在有效期内，人证一致", **kw)


def hukou_book(who: str = "申请人", **kw: Any) -> dict[str, Any]:
    return _licence(
        f"{who}居民户口簿",
        lic.HOUSEHOLD_REGISTER,
        "公安机关",
        "户口簿首页及本人页完整，信息与身份证一致",
        **kw,
    )


def business_licence(**kw: Any) -> dict[str, Any]:
    return _licence(
        "营业执照", lic.BUSINESS_LICENCE, "市场监督管理部门", "营业执照在有效期内，登记状态为存续", **kw
    )


def marriage_certificate(**kw: Any) -> dict[str, Any]:
    return _licence(
        "结婚证", lic.MARRIAGE_CERTIFICATE, "婚姻登记机关", "结婚证真实有效，持证人信息与申请人一致", **kw
    )


def birth_certificate(**kw: Any) -> dict[str, Any]:
    return _licence(
        "出生医学证明", lic.BIRTH_CERTIFICATE, "助产机构", "出生医学证明真实有效，新生儿及父母信息完整", **kw
    )


def death_certificate(**kw: Any) -> dict[str, Any]:
    return _licence(
        "居民死亡医学证明（推断）书",
        lic.DEATH_CERTIFICATE,
        "医疗卫生机构",
        "证明书信息完整，加盖出具机构印章",
        **kw,
    )


def property_certificate(**kw: Any) -> dict[str, Any]:
    return _licence(
        "不动产权证书",
        lic.REAL_ESTATE_CERTIFICATE,
        "不动产登记机构",
        "证书真实有效，权利人与申请人一致",
        **kw,
    )


def social_security_card(**kw: Any) -> dict[str, Any]:
    return _licence(
        "社会保障卡", lic.SOCIAL_SECURITY_CARD, "人力资源和社会保障部门", "社会保障卡处于正常使用状态", **kw
    )


def driving_licence(**kw: Any) -> dict[str, Any]:
    return _licence(
        "机动车驾驶证", lic.DRIVING_LICENCE, "公安机关交通管理部门", "驾驶证状态正常，信息与申请人一致", **kw
    )


def vehicle_licence(**kw: Any) -> dict[str, Any]:
    return _licence("机动车行驶证", lic.VEHICLE_LICENCE, "公安机关交通管理部门", "行驶证信息与车辆一致", **kw)


def disability_certificate(**kw: Any) -> dict[str, Any]:
    return _licence("残疾人证", lic.DISABILITY_CERTIFICATE, "残疾人联合会", "第二代残疾人证在有效期内", **kw)


def application_form(name: str, **kw: Any) -> dict[str, Any]:
    defaults = dict(
        application_form=True,
        standard="按表单逐项如实填写，申请人签字（单位加盖公章）；网上申请的在线填写并签名",
    )
    return material(name, **{**defaults, **kw})


def photo(spec: str = "近期正面免冠彩色证件照片", *, on_site: bool = True, **kw: Any) -> dict[str, Any]:
    """证件照片. `on_site`: taken at the window or a kiosk during the visit (现场采集), so an online
    application does not ask for it; else the applicant uploads one."""
    defaults: dict[str, Any] = dict(
        form="electronic",
        originals=0,
        source_note="申请时上传电子照片",
        standard="符合证件照片标准，背景、尺寸、像素符合要求",
    )
    if on_site:
        defaults.update(
            source="onsite",
            required=False,
            required_note="窗口现场采集",
            source_note="窗口或自助设备现场采集，无需自备",
        )
    return material(spec, **{**defaults, **kw})


def proxy(**kw: Any) -> dict[str, Any]:
    defaults = dict(
        required=False,
        required_note="委托他人代为办理时提交",
        standard="委托书载明委托事项、权限和期限，委托人签字；受托人身份证件有效",
    )
    return material("授权委托书及受托人居民身份证", **{**defaults, **kw})


# ---------------------------------------------------------------------------------------------
# Process steps
# ---------------------------------------------------------------------------------------------

Step = tuple  # (name, role, limit_days, description[, department code])


def steps(*rows: Step) -> list[dict[str, Any]]:
    return [
        {
            "order": n,
            "name": row[0],
            "role": row[1],
            "limit_days": row[2],
            "description": row[3],
            "department": row[4] if len(row) > 4 else None,
        }
        for n, row in enumerate(rows, start=1)
    ]


def instant_steps(
    check: str = "核验身份和申请材料", result: str = "当场出具办理结果"
) -> list[dict[str, Any]]:
    """即办件: accepted, checked and completed on the spot."""
    return steps(
        ("受理", "window_clerk", 0, "综合窗口一次性收取材料，" + check),
        ("审核", "officer", 0, "审批人员即时审核，符合条件的当场作出决定"),
        ("办结", "window_clerk", 0, result),
    )


def standard_steps(
    promised: int, review: str = "对申请材料进行审查，必要时组织核查", result: str = "送达办理结果"
) -> list[dict[str, Any]]:
    """承诺件: 受理 → 审查 → 决定 → 办结; the step limits add up to the promised limit."""
    decide = 1 if promised >= 3 else 0
    return steps(
        ("受理", "window_clerk", 0, "综合窗口收件，材料齐全、符合法定形式的当场受理，出具受理通知书"),
        ("审查", "officer", promised - decide, review),
        ("决定", "department_head", decide, "部门负责人审核签发，作出准予或不予办理的决定"),
        ("办结", "window_clerk", 0, result),
    )


# ---------------------------------------------------------------------------------------------
# The item
# ---------------------------------------------------------------------------------------------


def item(
    dept: str,
    seq: int,
    name: str,
    *,
    item_type: str,
    basis: str,
    summary: str,
    keywords: str,
    conditions: str,
    materials: list[dict[str, Any]],
    form: dict[str, Any],
    statutory: int,
    promised: int,
    recipients: str = "1",
    visits: int | None = None,
    visit_reason: str = "",
    depth: int = 3,
    channels: str = "",
    scope: str = "",
    booking: bool | None = None,
    bookings_per_day: int | None = None,
    courier: bool = False,
    kiosk: bool = False,
    fees: list[dict[str, Any]] | None = None,
    fee_basis: str = "",
    result: str = "",
    licence: str = "",
    steps: list[dict[str, Any]] | None = None,
    place: str = "",
    hours: str = HOURS,
    statutory_note: str = "",
    promised_note: str = "",
    co_agencies: str = "",
    intermediary: str = "",
    quantity_limit: str = "",
    level: str = "3",
    establishes_entity: bool = False,
    real_name: bool = True,
) -> dict[str, Any]:
    """One service item with its single published version (version 1) in the `catalog_import` format.

    Derived unless given: 即办件 when promised is 0; 全市通办 when natural persons are served; visits 0 for
    全程网办 (depth 4), else 1; channels from the depth and courier flag; booking for items with a visit;
    place = the department's window in the 市民中心; an application form (申请表) material when none is listed.
    """
    department = DEPARTMENTS[dept]
    base_code = f"{item_type}{department.order:04d}{seq:03d}000"
    code = f"{department.uscc}{base_code}"
    if visits is None:
        visits = 0 if depth == 4 else 1
    if not channels:
        parts = ["1"] if depth < 4 else []
        parts += ["2", "3"] if depth >= 2 else []
        parts += ["4"] if courier else []
        channels = "^".join(parts)
    if booking is None:
        booking = visits > 0
    if not any(m["is_application_form"] for m in materials):  # every item has a form: list it first
        online = {"form": "electronic", "originals": 0} if depth >= 3 else {}
        materials = [application_form(form["title"], **online), *materials]
    if not scope:  # 全市通办 for services to people; a city-level approval is handled at one place
        scope = "3" if "1" in recipients.split("^") else "0"
    fees = fees or []
    version = {
        "version": 1,
        "status": "published",
        "change_note": "首次发布",
        "published_at": PUBLISHED_AT,
        "retired_at": None,
        "name": name,
        "base_code": base_code,
        "handling_code": f"{code}01",
        "item_type": item_type,
        "exercise_level": level,
        "legal_basis": basis,
        "summary": summary,
        "keywords": keywords,
        "recipients": recipients,
        "acceptance_conditions": conditions,
        "co_agencies": co_agencies,
        "intermediary_services": intermediary,
        "quantity_limit": quantity_limit,
        "result_name": result,
        "result_licence_type": licence,
        "establishes_entity": establishes_entity,
        "real_name_required": real_name,
        "case_type": "1" if promised == 0 else "2",
        "statutory_limit_days": statutory,
        "statutory_limit_note": statutory_note,
        "promised_limit_days": promised,
        "promised_limit_note": promised_note,
        "visits": visits,
        "visit_reason": visit_reason,
        "online_depth": depth,
        "online_url": "",
        "channels": channels,
        "cross_region_scope": scope,
        "supports_booking": booking,
        "bookings_per_day": (bookings_per_day or 200) if booking else None,
        "booking_rules": BOOKING_RULES if booking else "",
        "supports_online_payment": bool(fees) and depth >= 3,
        "supports_courier": courier,
        "supports_kiosk": kiosk,
        "charges_fee": bool(fees),
        "fee_basis": fee_basis,
        "place": place or f"{CENTRE}{department.window}",
        "hours": hours,
        "enquiry_phone": department.phone,
        "complaint_phone": COMPLAINT_PHONE,
        "planned_start": None,
        "planned_end": None,
        "form_schema": form,
        "materials": [{"code": f"M{n:02d}", "order": n, **m} for n, m in enumerate(materials, start=1)],
        "steps": steps
        if steps is not None
        else (instant_steps() if promised == 0 else standard_steps(promised)),
        "fees": fees,
    }
    return {"code": code, "department": dept, "versions": [version]}


def fee(name: str, amount: str, unit: str, basis: str, waivable: bool = False) -> dict[str, Any]:
    return {"name": name, "amount": amount, "unit": unit, "basis": basis, "waivable": waivable}
