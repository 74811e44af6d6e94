"""一件事 (国发〔2024〕3号): bundles of the demo items, with prerequisites and the data each hands over."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog.common import PUBLISHED_AT

ENTERPRISE = ["uscc", "enterprise_name", "legal_representative"]
NEWBORN = [
    "child_name",
    "child_sex",
    "child_birth_date",
    "mother_name",
    "mother_id_number",
    "father_name",
    "father_id_number",
]
NEW_ID = ["child_name", "child_id_number"]
RETIREE = ["applicant_name", "applicant_id_number", "retirement_date"]
DECEASED = ["deceased_name", "deceased_id_number", "date_of_death"]


def m(
    name: str, requires: dict[str, list[str]] | None = None, optional: bool = False, note: str = ""
) -> dict[str, Any]:
    """A member by item name; `requires` maps each prerequisite's name to the fields it hands over."""
    return {"name": name, "requires": requires or {}, "optional": optional, "note": note}


SPECS: list[dict[str, Any]] = [
    {
        "code": "enterprise-start",
        "name": "企业开办一件事",
        "lead": "scjg",
        "days": 1,
        "recipients": "2",
        "summary": "一次填报、一网通办：营业执照、印章刻制、发票领用、社保登记和公积金单位登记同步办理，1个工作日内全部办结。",
        "members": [
            m("企业设立登记"),
            m("印章刻制备案", {"企业设立登记": ENTERPRISE}, note="取得统一社会信用代码后由刻章企业在线备案"),
            m("发票领用", {"企业设立登记": ENTERPRISE[:2]}),
            m("社会保险登记", {"企业设立登记": ENTERPRISE}),
            m("住房公积金单位缴存登记", {"企业设立登记": ENTERPRISE}),
            m("增值税一般纳税人登记", {"企业设立登记": ENTERPRISE[:2]}, optional=True),
        ],
    },
    {
        "code": "restaurant-open",
        "name": "开餐馆一件事",
        "lead": "scjg",
        "days": 5,
        "recipients": "2",
        "summary": "开办餐馆所需的营业执照、食品经营许可和公众聚集场所消防安全检查一次申请、并联审批，招牌设置按需勾选。",
        "members": [
            m("企业设立登记"),
            m("食品经营许可", {"企业设立登记": [*ENTERPRISE, "business_address"]}),
            m(
                "公众聚集场所投入使用、营业前消防安全检查",
                {"企业设立登记": [*ENTERPRISE, "business_address"]},
            ),
            m(
                "户外招牌设置审批",
                {"企业设立登记": ["uscc", "enterprise_name", "business_address"]},
                optional=True,
            ),
        ],
    },
    {
        "code": "newborn",
        "name": "新生儿出生一件事",
        "lead": "wjw",
        "days": 5,
        "recipients": "1",
        "summary": "新生儿出生后，出生医学证明、户口登记、预防接种证、社会保障卡和居民医保参保一次申请，5个工作日内办结。",
        "members": [
            m("出生医学证明首次签发"),
            m("出生登记", {"出生医学证明首次签发": NEWBORN}, note="凭电子出生医学证明申报户口"),
            m(
                "预防接种证办理",
                {"出生医学证明首次签发": ["child_name", "child_sex", "child_birth_date", "mother_name"]},
            ),
            m("社会保障卡申领", {"出生登记": NEW_ID}, note="使用新编制的公民身份号码申领"),
            m("城乡居民基本医疗保险参保登记", {"出生登记": NEW_ID}),
            m(
                "生育医疗费用报销",
                {"出生医学证明首次签发": ["mother_name", "mother_id_number", "child_birth_date"]},
                optional=True,
            ),
        ],
    },
    {
        "code": "retirement",
        "name": "退休一件事",
        "lead": "rsj",
        "days": 5,
        "recipients": "1",
        "summary": "退休审批、养老金申领、医保退休待遇核定和住房公积金退休提取一次申请、联动办理，5个工作日内办结。",
        "members": [
            m("职工退休审批"),
            m("职工基本养老保险待遇申领", {"职工退休审批": RETIREE}),
            m("职工基本医疗保险退休人员待遇核定", {"职工退休审批": RETIREE}),
            m(
                "住房公积金提取（退休）",
                {"职工退休审批": RETIREE},
                optional=True,
                note="有住房公积金账户的勾选",
            ),
        ],
    },
    {
        "code": "social-security-card",
        "name": "社保卡居民服务一件事",
        "lead": "rsj",
        "days": 3,
        "recipients": "1",
        "summary": "申领社会保障卡的同时签发电子社保卡并启用社保应用和金融账户，实现就医购药、待遇领取、交通出行一卡通用。",
        "members": [
            m("社会保障卡申领"),
            m(
                "电子社会保障卡签发",
                {"社会保障卡申领": ["applicant_name", "applicant_id_number", "applicant_phone"]},
            ),
            m(
                "社会保障卡启用（含社会保障应用状态和金融账户）",
                {"社会保障卡申领": ["applicant_name", "applicant_id_number", "applicant_phone"]},
            ),
            m("城乡居民基本医疗保险参保登记", optional=True, note="尚未参加基本医疗保险的勾选"),
        ],
    },
    {
        "code": "after-death",
        "name": "身后一件事",
        "lead": "mzj",
        "days": 5,
        "recipients": "1",
        "summary": "亲人离世后，死亡证明、户口注销、丧葬补助金和抚恤金、社保注销、公积金和不动产继承一次申请，家属少跑腿。",
        "members": [
            m("居民死亡医学证明（推断）书签发"),
            m("户口注销", {"居民死亡医学证明（推断）书签发": DECEASED}),
            m("丧葬补助金、抚恤金申领", {"户口注销": DECEASED}),
            m("参保人员社会保险注销登记", {"户口注销": DECEASED}),
            m("住房公积金提取（职工死亡）", {"户口注销": DECEASED}, optional=True),
            m(
                "国有建设用地使用权及房屋所有权转移登记（继承、受遗赠）",
                {"户口注销": DECEASED},
                optional=True,
            ),
        ],
    },
    {
        "code": "utility-connection",
        "name": "水电气网联合报装一件事",
        "lead": "zjj",
        "days": 6,
        "recipients": "1^2",
        "summary": "用水、用电、用气、宽带报装一表申请、联合勘察，涉及占用挖掘道路的并联审批。",
        "members": [
            m("用水报装"),
            m("用电报装"),
            m("用气报装"),
            m("宽带报装"),
            m(
                "城市道路占用、挖掘审批",
                {"用水报装": ["property_address"], "用气报装": ["property_address"]},
                optional=True,
                note="外线工程需要挖掘城市道路的勾选",
            ),
            m("建设工程规划许可证核发", optional=True, note="新建项目尚未取得规划许可的勾选"),
        ],
    },
    {
        "code": "enterprise-change",
        "name": "企业信息变更一件事",
        "lead": "scjg",
        "days": 1,
        "recipients": "2",
        "summary": "企业变更登记后，税务、社保、公积金登记信息同步变更，名称变更需重刻印章的一并备案。",
        "members": [
            m("企业变更登记"),
            m("一照一码户信息变更", {"企业变更登记": ENTERPRISE}),
            m("社会保险单位信息变更登记", {"企业变更登记": ENTERPRISE}),
            m("住房公积金单位信息变更", {"企业变更登记": ENTERPRISE}),
            m("印章刻制备案", {"企业变更登记": ENTERPRISE}, optional=True, note="名称变更需重刻印章的勾选"),
        ],
    },
    {
        "code": "transport-company",
        "name": "开办运输企业一件事",
        "lead": "jtj",
        "days": 5,
        "recipients": "2",
        "summary": "开办道路货运企业，营业执照、道路运输经营许可和车辆道路运输证一次申请、接续办理。",
        "members": [
            m("企业设立登记"),
            m("道路普通货物运输经营许可", {"企业设立登记": ENTERPRISE}),
            m("道路运输证配发", {"道路普通货物运输经营许可": ENTERPRISE[:2]}),
            m("社会保险登记", {"企业设立登记": ENTERPRISE}, optional=True),
        ],
    },
    {
        "code": "disability-services",
        "name": "残疾人服务一件事",
        "lead": "cl",
        "days": 20,
        "recipients": "1",
        "summary": "残疾人证新办与残疾人两项补贴一次申请，低保家庭可同时申请最低生活保障。",
        "members": [
            m("残疾人证新办"),
            m(
                "困难残疾人生活补贴和重度残疾人护理补贴申领",
                {"残疾人证新办": ["applicant_name", "applicant_id_number", "applicant_phone"]},
                note="残疾人证核发后自动推送申请",
            ),
            m("最低生活保障审核确认", optional=True),
        ],
    },
]


def bundles(codes_by_name: dict[str, str]) -> list[dict[str, Any]]:
    """The bundles in the `catalog_import` format; members refer to items by the code of the named item."""
    out = []
    for n, spec in enumerate(SPECS, start=1):
        members = []
        for k, member in enumerate(spec["members"]):
            members.append(
                {
                    "item": codes_by_name[member["name"]],
                    "order": k,
                    "optional": member["optional"],
                    "requires": [
                        {"item": codes_by_name[name], "handover_fields": fields, "note": member["note"]}
                        for name, fields in member["requires"].items()
                    ],
                }
            )
        out.append(
            {
                "code": spec["code"],
                "name": spec["name"],
                "summary": spec["summary"],
                "recipients": spec["recipients"],
                "promised_limit_days": spec["days"],
                "lead_department": spec["lead"],
                "status": "published",
                "published_at": PUBLISHED_AT,
                "order": n * 10,
                "members": members,
            }
        )
    return out
