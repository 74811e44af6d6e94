"""Transport and utilities: 交通运输、供水、供电、燃气、通信（水电气网联合报装）."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog import licences as lic
from yiwang.demo.catalog.common import (
    LICENCE,
    PUBLIC_SERVICE,
    application_form,
    business_licence,
    choice,
    day,
    form,
    id_card,
    integer,
    item,
    material,
    number,
    property_certificate,
    steps,
    vehicle_licence,
)

ROAD_TRANSPORT = "《中华人民共和国道路运输条例》"
UTILITY_BASIS = "《优化营商环境条例》第二十五条：供水、供电、供气、供热等公用企事业单位应当向社会公开服务标准、资费标准等信息，为市场主体提供安全、便捷、稳定和价格合理的服务。"
UTILITY_NOTE = "法律法规未规定办理时限，按《示范市水电气网联合报装服务标准》；不含外线工程施工和行政审批时间"


def transport_items() -> list[dict[str, Any]]:
    """交通运输."""
    d = "jtj"
    operator = ["enterprise_name", "uscc", "legal_representative", "contact_person", "applicant_phone"]
    return [
        item(
            d,
            1,
            "道路普通货物运输经营许可",
            item_type=LICENCE,
            basis=f"{ROAD_TRANSPORT}第二十一条、第二十四条；《道路货物运输及站场管理规定》。",
            summary="使用总质量4500千克以上普通货运车辆从事道路普通货物运输经营的，申请道路运输经营许可证。",
            keywords="货运许可 道路运输许可证 运输公司 开物流公司 货运资质",
            conditions="已取得营业执照；有与其经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。",
            materials=[
                application_form("道路货物运输经营申请表"),
                business_licence(),
                id_card("法定代表人"),
                material("拟投入车辆承诺书", standard="载明车辆数量、类型、技术性能"),
                material("安全生产管理制度文本", standard="包括安全生产责任制、操作规程、从业人员管理等"),
            ],
            form=form(
                "道路货物运输经营申请表",
                *operator,
                ("planned_vehicles", integer("拟投入车辆数（辆）", 5, 1)),
                (
                    "cargo_business_scope",
                    choice("经营范围", ["道路普通货物运输", "货物专用运输（集装箱）", "大型物件运输"]),
                ),
            ),
            statutory=20,
            statutory_note="自受理申请之日起20日内审查完毕，作出许可或者不予许可的决定",
            promised=3,
            depth=4,
            courier=True,
            recipients="1^2",
            result="道路运输经营许可证",
            licence=lic.ROAD_TRANSPORT_LICENCE,
        ),
        item(
            d,
            2,
            "道路运输证配发",
            item_type=LICENCE,
            basis=f"{ROAD_TRANSPORT}第二十四条；《道路货物运输及站场管理规定》。",
            summary="取得道路运输经营许可后，为投入运营的车辆配发道路运输证（电子证照）。",
            keywords="营运证 道路运输证 车辆营运证 货车营运证",
            conditions="已取得道路运输经营许可证；车辆技术性能符合国家标准，已安装卫星定位装置。",
            materials=[
                vehicle_licence(),
                material(
                    "车辆技术等级评定或综合性能检测报告",
                    issuer="机动车检验检测机构",
                    source="government",
                    originals=0,
                    source_note="通过检测数据联网获取",
                ),
            ],
            form=form(
                "道路运输证配发申请",
                "enterprise_name",
                "uscc",
                "vehicle_plate",
                ("vehicle_total_mass", number("车辆总质量（千克）", 18000, 4500)),
                "applicant_phone",
            ),
            statutory=20,
            promised=0,
            depth=4,
            recipients="1^2",
            result="道路运输证（电子）",
        ),
    ]


def _utility(
    dept: str,
    name: str,
    kind: str,
    usage: tuple[str, dict[str, Any]],
    basis: str,
    keywords: str,
    extra_material: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """用水/用电/用气/宽带报装: 线上申请、上门勘察、方案答复、接入."""
    return item(
        dept,
        1,
        name,
        item_type=PUBLIC_SERVICE,
        basis=basis,
        summary=f"新建或改造项目申请{kind}接入，线上一次申请、上门勘察，水电气网可联合报装。",
        keywords=keywords,
        conditions=f"具有合法的用{kind}地址；{kind}接入符合规划和安全要求；已具备接入条件或明确接入时间。",
        materials=[
            application_form(f"{name}申请表", form="electronic", originals=0),
            id_card("申请人（经办人）"),
            property_certificate(
                required=False, required_note="房屋已办理不动产登记的提交；未登记的提供规划许可等用地用房证明"
            ),
            business_licence(required=False, required_note="单位申请的提交"),
            *([extra_material] if extra_material else []),
        ],
        form=form(
            f"{name}申请表",
            "applicant_name",
            "applicant_phone",
            "property_address",
            "enterprise_name",
            "uscc",
            usage,
            ("expected_connection_date", day("期望接入日期", "2025-06-15")),
            optional="enterprise_name uscc",
        ),
        statutory=5,
        statutory_note=UTILITY_NOTE,
        promised=3,
        depth=4,
        recipients="1^2",
        result=f"{kind}接入方案答复及接入",
        steps=steps(
            ("受理", "window_clerk", 0, "线上或联合报装窗口一次受理"),
            ("现场勘察", "officer", 1, "上门勘察接入条件"),
            ("方案答复", "department_head", 1, "确定并答复接入方案"),
            ("接入", "officer", 1, "签订合同，完成表计安装和接入"),
        ),
    )


def utility_items() -> list[dict[str, Any]]:
    """水电气网联合报装."""
    return [
        _utility(
            "gs",
            "用水报装",
            "水",
            ("water_use_type", choice("用水性质", ["居民生活用水", "非居民用水", "特种用水"])),
            f"{UTILITY_BASIS}《城市供水条例》。",
            "接水 通水 水表报装 自来水开户",
        ),
        _utility(
            "gd",
            "用电报装",
            "电",
            ("power_capacity_kw", number("申请用电容量（千瓦）", 100)),
            f"{UTILITY_BASIS}《中华人民共和国电力法》第二十六条：供电营业区内的供电营业机构，对本营业区内的用户有按照国家规定供电的义务。",
            "接电 通电 电表报装 用电申请 低压报装",
        ),
        _utility(
            "rq",
            "用气报装",
            "气",
            ("gas_use_type", choice("用气性质", ["居民用气", "商业用气", "工业用气"])),
            f"{UTILITY_BASIS}《城镇燃气管理条例》。",
            "接燃气 通气 天然气开户 燃气报装",
            material(
                "燃气设施安装位置说明",
                required=False,
                required_note="商业、工业用户提交",
                standard="标明用气设备位置和通风条件",
            ),
        ),
        _utility(
            "tx",
            "宽带报装",
            "网",
            ("broadband_bandwidth", choice("带宽需求", ["300M", "500M", "1000M", "专线"], "1000M")),
            f"{UTILITY_BASIS}《中华人民共和国电信条例》。",
            "装宽带 网络报装 光纤 宽带开户",
        ),
    ]


def items() -> list[dict[str, Any]]:
    return transport_items() + utility_items()
