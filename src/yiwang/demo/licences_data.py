"""示范市电子证照库: the 17 licence types the demo catalog asks for or issues, every department's
signing key, and a realistic library for the demo citizen (张示范) and company (示范市云帆科技有限公司).

Data fields name the 照面信息 of each type; `from` lists the application-form fields (demo catalog)
a case's data fills them from. Validity terms follow the commonly published rules and are set per
type in the catalogue (居民身份证 depends on age, so it has none and each card carries its own).
Everything here is fictional; loading it twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from yiwang.catalog.models import Department
from yiwang.core.identifiers import id_number_check_char
from yiwang.demo.catalog import licences as lic
from yiwang.licences.models import Licence, LicenceType
from yiwang.licences.services import LONG_TERM, department_keys_ensure, licence_create


def _f(name: str, title: str, *sources: str) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "title": title}
    if sources:
        field["from"] = list(sources)
    return field


_AGENCIES = {
    lic.ID_CARD[:18]: "中华人民共和国公安部",
    lic.BUSINESS_LICENCE[:18]: "国家市场监督管理总局",
    lic.MARRIAGE_CERTIFICATE[:18]: "中华人民共和国民政部",
    lic.BIRTH_CERTIFICATE[:18]: "国家卫生健康委员会",
    lic.SOCIAL_SECURITY_CARD[:18]: "中华人民共和国人力资源和社会保障部",
    lic.REAL_ESTATE_CERTIFICATE[:18]: "中华人民共和国自然资源部",
    lic.TEACHER_CERTIFICATE[:18]: "中华人民共和国教育部",
    lic.ROAD_TRANSPORT_LICENCE[:18]: "中华人民共和国交通运输部",
    lic.CONSTRUCTION_PERMIT[:18]: "中华人民共和国住房和城乡建设部",
    lic.DISABILITY_CERTIFICATE[:18]: "中国残疾人联合会",
}

_PERSON_NAME = _f("name", "姓名", "applicant_name")
_ADDRESS = _f("address", "住址", "household_address", "address")
_ID = _f("id_number", "公民身份号码", "applicant_id_number")
_COUPLE = [
    _f("male_name", "男方姓名"),
    _f("male_id_number", "男方身份证件号"),
    _f("female_name", "女方姓名"),
    _f("female_id_number", "女方身份证件号"),
    _f("registered_on", "登记日期"),
]

# (code, category, holder kind, validity years, validity range, data fields, legal basis)
# fmt: off
_TYPES: list[tuple[str, str, str, int | None, str, list[dict[str, Any]], str]] = [
    (lic.ID_CARD, "identity", "person", None, "5年、10年、20年或长期（按申领时年龄）",
     [_PERSON_NAME, _f("sex", "性别"), _f("ethnicity", "民族"), _f("birth_date", "出生"), _ADDRESS, _ID],
     "《中华人民共和国居民身份证法》"),
    (lic.HOUSEHOLD_REGISTER, "identity", "person", None, "长期",
     [_f("household_head", "户主姓名", "applicant_name"), _f("household_type", "户别"),
      _f("household_number", "户号"), _f("address", "住址", "household_address")],
     "《中华人民共和国户口登记条例》"),
    (lic.BUSINESS_LICENCE, "business", "legal", None, "长期或营业期限",
     [_f("uscc", "统一社会信用代码"), _f("enterprise_name", "名称", "shop_name"),
      _f("enterprise_type", "类型", "operation_form"), _f("legal_representative", "法定代表人", "applicant_name"),
      _f("registered_capital", "注册资本（万元）"), _f("established_on", "成立日期"),
      _f("business_scope", "经营范围"), _f("address", "住所", "business_address")],
     "《中华人民共和国市场主体登记管理条例》"),
    (lic.MARRIAGE_CERTIFICATE, "certificate", "person", None, "长期", _COUPLE, "《婚姻登记条例》"),
    (lic.DIVORCE_CERTIFICATE, "certificate", "person", None, "长期", _COUPLE, "《婚姻登记条例》"),
    (lic.BIRTH_CERTIFICATE, "proof", "person", None, "长期",
     [_f("child_name", "新生儿姓名"), _f("child_sex", "性别"), _f("child_birth_date", "出生时间"),
      _f("birth_weight_grams", "出生体重（克）"), _f("mother_name", "母亲姓名"),
      _f("mother_id_number", "母亲有效身份证件号码"), _f("father_name", "父亲姓名"),
      _f("father_id_number", "父亲有效身份证件号码")],
     "《中华人民共和国母婴保健法》"),
    (lic.DRIVING_LICENCE, "identity", "person", 10, "6年、10年或长期",
     [_PERSON_NAME, _f("licence_number", "证号", "driving_licence_number"), _f("driving_class", "准驾车型"),
      _f("first_issued_on", "初次领证日期"), _ADDRESS],
     "《中华人民共和国道路交通安全法》"),
    (lic.VEHICLE_LICENCE, "identity", "person", None, "长期",
     [_f("plate_number", "号牌号码", "vehicle_plate"), _f("owner", "所有人", "applicant_name"),
      _f("address", "住址"), _f("brand_model", "品牌型号", "vehicle_brand"), _f("vin", "车辆识别代号"),
      _f("registered_on", "注册日期")],
     "《中华人民共和国道路交通安全法》"),
    (lic.PASSPORT, "identity", "person", 10, "5年（未满16周岁）或10年",
     [_PERSON_NAME, _f("passport_number", "护照号"), _f("sex", "性别"), _f("birth_date", "出生日期"),
      _f("birth_place", "出生地点"), _f("nationality", "国籍")],
     "《中华人民共和国护照法》"),
    (lic.SOCIAL_SECURITY_CARD, "identity", "person", 10, "10年",
     [_PERSON_NAME, _f("social_security_number", "社会保障号码", "applicant_id_number"),
      _f("card_number", "卡号"), _f("bank", "金融账户开户银行", "card_bank")],
     "《社会保障卡管理办法》"),
    (lic.REAL_ESTATE_CERTIFICATE, "certificate", "person", None, "长期（土地使用权期限见附记）",
     [_f("right_holder", "权利人", "applicant_name", "enterprise_name"), _f("ownership", "共有情况"),
      _f("property_address", "坐落"), _f("unit_number", "不动产单元号"), _f("right_type", "权利类型"),
      _f("area", "面积（平方米）", "construction_area")],
     "《不动产登记暂行条例》"),
    (lic.FOOD_BUSINESS_LICENCE, "permit", "legal", 5, "5年",
     [_f("operator_name", "经营者名称", "enterprise_name"), _f("uscc", "社会信用代码"),
      _f("legal_representative", "法定代表人（负责人）"), _f("address", "经营场所", "business_address"),
      _f("business_items", "经营项目", "food_business_items"), _f("food_safety_manager", "食品安全管理人员")],
     "《中华人民共和国食品安全法》第三十五条"),
    (lic.DISABILITY_CERTIFICATE, "identity", "person", 10, "10年",
     [_PERSON_NAME, _ID, _f("disability_type", "残疾类别"), _f("disability_level", "残疾等级"),
      _f("guardian_name", "监护人"), _f("address", "住址", "household_address")],
     "《中华人民共和国残疾人保障法》"),
    (lic.TEACHER_CERTIFICATE, "certificate", "person", None, "长期",
     [_PERSON_NAME, _ID, _f("qualification_type", "资格种类", "teacher_qualification_type"),
      _f("subject", "任教学科", "teaching_subject")],
     "《教师资格条例》"),
    (lic.ROAD_TRANSPORT_LICENCE, "permit", "legal", None, "按经营类别核定",
     [_f("operator_name", "业户名称", "enterprise_name"), _f("uscc", "统一社会信用代码"),
      _f("legal_representative", "负责人"), _f("address", "地址"),
      _f("business_scope", "经营范围", "cargo_business_scope")],
     "《中华人民共和国道路运输条例》"),
    (lic.CONSTRUCTION_PERMIT, "permit", "legal", None, "自领取之日起三个月内开工，可延期",
     [_f("builder", "建设单位", "enterprise_name"), _f("project_name", "工程名称"),
      _f("project_address", "建设地址"), _f("construction_area", "建设规模（平方米）"),
      _f("contract_price", "合同价格（万元）"), _f("contractor", "施工单位", "contractor_name")],
     "《中华人民共和国建筑法》第七条"),
    (lic.DEATH_CERTIFICATE, "proof", "person", None, "长期",
     [_f("deceased_name", "死者姓名"), _f("deceased_id_number", "死者有效身份证件号码"),
      _f("date_of_death", "死亡日期"), _f("place_of_death", "死亡地点")],
     "《人口死亡信息登记管理规范（试行）》"),
]
# fmt: on


def licence_type_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "name": lic.LICENCE_TYPES[code],
            "category": category,
            "defining_agency": _AGENCIES[code[:18]],
            "defining_agency_code": code[:18],
            "defining_agency_level": "1",
            "issuing_level": "3",
            "holder_kind": holder_kind,
            "validity_years": years,
            "validity_range": validity_range,
            "data_fields": fields,
            "legal_basis": basis,
        }
        for code, category, holder_kind, years, validity_range, fields, basis in _TYPES
    ]


CITIZEN_NAME = "张示范"
CITIZEN_ID = "330102199003071230"
COMPANY_NAME = "示范市云帆科技有限公司"
COMPANY_USCC = "91330106MA2B3C4D11"
_SPOUSE_ID = "33010619910815128" + id_number_check_char("33010619910815128")
_CITIZEN_ADDRESS = "示范市上城区平安里12号"
_COMPANY_ADDRESS = "示范市西湖区文三路199号3幢5层"


def _library() -> list[dict[str, Any]]:
    """(type, issuing department, holder, dates, number, face data) of each demo licence."""
    citizen = {"holder_name": CITIZEN_NAME, "holder_code": CITIZEN_ID, "holder_code_type": "111"}
    company = {"holder_name": COMPANY_NAME, "holder_code": COMPANY_USCC, "holder_code_type": "001"}
    return [
        {
            **citizen,
            "type": lic.ID_CARD,
            "issuer": "gahz",
            "issued_on": date(2016, 5, 6),
            "valid_until": date(2036, 5, 6),  # issued at 26: 20 years
            "number": CITIZEN_ID,
            "data": {
                "name": CITIZEN_NAME,
                "sex": "男",
                "ethnicity": "汉",
                "birth_date": "1990-03-07",
                "address": _CITIZEN_ADDRESS,
                "id_number": CITIZEN_ID,
            },
        },
        {
            **citizen,
            "type": lic.HOUSEHOLD_REGISTER,
            "issuer": "gahz",
            "issued_on": date(2021, 6, 18),
            "number": "330102006012",
            "data": {
                "household_head": CITIZEN_NAME,
                "household_type": "家庭户",
                "household_number": "330102006012",
                "address": _CITIZEN_ADDRESS,
            },
        },
        {
            **citizen,
            "type": lic.MARRIAGE_CERTIFICATE,
            "issuer": "mzj",
            "issued_on": date(2021, 5, 20),
            "number": "J330100-2021-000520",
            "data": {
                "male_name": CITIZEN_NAME,
                "male_id_number": CITIZEN_ID,
                "female_name": "林晓雨",
                "female_id_number": _SPOUSE_ID,
                "registered_on": "2021-05-20",
            },
        },
        {
            **citizen,
            "type": lic.DRIVING_LICENCE,
            "issuer": "gajj",
            "issued_on": date(2018, 8, 20),  # first licence 2012 (6 years), renewed for 10
            "number": CITIZEN_ID,
            "data": {
                "name": CITIZEN_NAME,
                "licence_number": CITIZEN_ID,
                "driving_class": "C1",
                "first_issued_on": "2012-08-20",
                "address": _CITIZEN_ADDRESS,
            },
        },
        {
            **citizen,
            "type": lic.SOCIAL_SECURITY_CARD,
            "issuer": "rsj",
            "issued_on": date(2019, 3, 15),
            "number": "A33017264",
            "data": {
                "name": CITIZEN_NAME,
                "social_security_number": CITIZEN_ID,
                "card_number": "A33017264",
                "bank": "示范市商业银行",
            },
        },
        {
            **company,
            "type": lic.BUSINESS_LICENCE,
            "issuer": "scjg",
            "issued_on": date(2023, 6, 2),  # last change of registration; established 2019
            "number": "330106000412873",
            "long_term": True,
            "data": {
                "uscc": COMPANY_USCC,
                "enterprise_name": COMPANY_NAME,
                "enterprise_type": "有限责任公司（自然人投资或控股）",
                "legal_representative": "刘云帆",
                "registered_capital": "500",
                "established_on": "2019-04-16",
                "business_scope": "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；"
                "软件开发；信息系统集成服务；数据处理服务（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。",
                "address": _COMPANY_ADDRESS,
            },
        },
        {
            **company,
            "type": lic.FOOD_BUSINESS_LICENCE,
            "issuer": "scjg",
            "issued_on": date(2024, 3, 1),
            "number": "JY33301060058216",
            "data": {
                "operator_name": COMPANY_NAME,
                "uscc": COMPANY_USCC,
                "legal_representative": "刘云帆",
                "address": _COMPANY_ADDRESS,
                "business_items": "热食类食品制售（单位食堂）",
                "food_safety_manager": "周晓岚",
            },
        },
    ]


@transaction.atomic
def demo_licences_load() -> dict[str, int]:
    """Licence types, signing keys and the demo library; only what is missing is added."""
    types = 0
    for row in licence_type_rows():
        _, created = LicenceType.objects.get_or_create(code=row["code"], defaults=row)
        types += created
    keys = department_keys_ensure()
    licences = 0
    for entry in _library():
        if Licence.objects.filter(
            licence_type__code=entry["type"], holder_code=entry["holder_code"]
        ).exists():
            continue
        licence_create(
            licence_type=LicenceType.objects.get(code=entry["type"]),
            issuer=Department.objects.get(code=entry["issuer"]),
            holder_name=entry["holder_name"],
            holder_code=entry["holder_code"],
            holder_code_type=entry["holder_code_type"],
            data=entry["data"],
            number=entry["number"],
            issued_on=entry["issued_on"],
            valid_until=LONG_TERM if entry.get("long_term") else entry.get("valid_until"),
        )
        licences += 1
    return {"licence_types": types, "signing_keys": keys, "licences": licences}
