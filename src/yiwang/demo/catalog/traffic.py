"""市公安局交通警察支队: 车驾管."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog import licences as lic
from yiwang.demo.catalog.common import (
    HOURS_SATURDAY,
    LICENCE,
    OTHER_POWER,
    application_form,
    choice,
    driving_licence,
    fee,
    form,
    id_card,
    item,
    material,
    photo,
    steps,
    text,
    vehicle_licence,
)

TRAFFIC_FEE_BASIS = (
    "《国家发展改革委 财政部关于公安交通管理部门收费标准及有关问题的通知》（发改价格〔2004〕2831号）"
)
VEHICLE_OFFICE = "示范市公安局交通警察支队车辆管理所（示范市拱墅区通达路66号）机动车登记大厅"


def traffic_items() -> list[dict[str, Any]]:
    """交通管理（车驾管）."""
    d = "gajj"
    registration = "《中华人民共和国道路交通安全法》第八条、第九条；《机动车登记规定》（公安部令第164号）。"
    licences = "《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》（公安部令第162号）。"
    vehicle_form = [
        ("vehicle_brand", text("车辆品牌型号", "示范牌SF7150轿车")),
        ("vin", text("车辆识别代号", "LSFDEM712R1234567", 17, pattern="^[A-HJ-NPR-Z0-9]{17}$")),
    ]
    return [
        item(
            d,
            1,
            "机动车注册登记",
            item_type=LICENCE,
            basis=registration,
            summary="新购机动车初次申领号牌、行驶证和登记证书，登记后方可上道路行驶。",
            keywords="新车上牌 上牌照 新车登记 领牌照",
            conditions="机动车所有人为本市居民或单位；车辆经国家机动车产品主管部门许可生产或合法进口，并已投保机动车交通事故责任强制保险。",
            materials=[
                id_card("机动车所有人"),
                material(
                    "机动车来历证明（机动车销售统一发票）",
                    issuer="机动车销售企业",
                    form="electronic",
                    originals=1,
                    source_note="电子发票通过税务数据共享核验",
                    standard="发票信息与车辆一致",
                ),
                material(
                    "机动车整车出厂合格证明或进口凭证", issuer="生产企业或海关", standard="与车辆识别代号一致"
                ),
                material(
                    "车辆购置税完税证明",
                    issuer="税务机关",
                    source="government",
                    originals=0,
                    source_note="通过税务部门数据共享获取，免于提交",
                ),
                material(
                    "机动车交通事故责任强制保险凭证",
                    issuer="保险公司",
                    source="government",
                    originals=0,
                    source_note="通过保险信息平台共享获取，免于提交",
                ),
                application_form("机动车注册登记申请表"),
            ],
            form=form(
                "机动车注册登记申请表",
                "applicant_name",
                "applicant_id_number",
                "applicant_phone",
                "address",
                *vehicle_form,
                ("plate_selection", choice("选号方式", ["互联网选号", "现场选号"], "互联网选号")),
            ),
            depth=2,
            statutory=5,
            statutory_note="自受理之日起5个工作日内完成登记审查（道路交通安全法第九条）",
            promised=1,
            visits=1,
            visit_reason="需将车辆送至查验区进行机动车查验",
            place=VEHICLE_OFFICE,
            recipients="1^2",
            hours=HOURS_SATURDAY,
            fees=[
                fee("机动车号牌工本费（汽车反光号牌）", "100.00", "元/副", TRAFFIC_FEE_BASIS),
                fee("机动车行驶证工本费", "10.00", "元/本", TRAFFIC_FEE_BASIS),
                fee("机动车登记证书工本费", "10.00", "元/本", TRAFFIC_FEE_BASIS),
            ],
            fee_basis=TRAFFIC_FEE_BASIS,
            result="机动车行驶证",
            licence=lic.VEHICLE_LICENCE,
            steps=steps(
                ("受理", "window_clerk", 0, "核验身份及来历凭证"),
                ("机动车查验", "officer", 0, "查验车辆识别代号、外廓尺寸等与出厂合格证明一致"),
                ("审核", "officer", 1, "审核登记资料，确定号牌号码"),
                ("制证发牌", "window_clerk", 0, "核发号牌、行驶证和登记证书"),
            ),
        ),
        item(
            d,
            2,
            "机动车转移登记",
            item_type=LICENCE,
            basis=registration,
            summary="二手车买卖、赠与、继承等所有权转移时办理过户登记。",
            keywords="二手车过户 车辆过户 买二手车 过户",
            conditions="机动车所有权发生转移；车辆已完成检验、无未处理的交通违法记录和交通事故。",
            materials=[
                id_card("现机动车所有人"),
                material(
                    "机动车登记证书", issuer="公安机关交通管理部门", standard="登记证书原件，信息与车辆一致"
                ),
                vehicle_licence(),
                material(
                    "机动车所有权转移证明（二手车销售统一发票等）",
                    issuer="二手车交易市场或经销企业",
                    standard="转移凭证载明车辆及双方信息",
                ),
                application_form("机动车转移登记申请表"),
            ],
            form=form(
                "机动车转移登记申请表",
                "applicant_name",
                "applicant_id_number",
                "applicant_phone",
                "address",
                "vehicle_plate",
                *vehicle_form[1:],
                ("transfer_reason", choice("转移原因", ["买卖", "赠与", "继承", "其他"])),
            ),
            depth=2,
            statutory=5,
            promised=1,
            visits=1,
            visit_reason="需将车辆送至查验区进行机动车查验",
            place=VEHICLE_OFFICE,
            recipients="1^2",
            hours=HOURS_SATURDAY,
            fees=[fee("机动车行驶证工本费", "10.00", "元/本", TRAFFIC_FEE_BASIS)],
            fee_basis=TRAFFIC_FEE_BASIS,
            result="机动车行驶证",
            licence=lic.VEHICLE_LICENCE,
        ),
        item(
            d,
            3,
            "机动车驾驶证换证",
            item_type=LICENCE,
            basis=licences,
            summary="驾驶证有效期满前九十日内申请换证，可通过“交管12123”App全程网办并邮寄新证。",
            keywords="驾照到期 换驾照 驾驶证过期 驾照换证",
            conditions="机动车驾驶证有效期满前九十日内；身体条件符合申请条件。",
            materials=[
                driving_licence(),
                material(
                    "机动车驾驶人身体条件证明",
                    issuer="县级或部队团级以上医疗机构",
                    form="electronic",
                    originals=0,
                    source="government",
                    source_note="体检结果由医疗机构联网上传",
                    standard="六个月内出具",
                ),
                photo(on_site=False, source_note="通过“交管12123”App上传或由体检机构联网上传"),
            ],
            form=form(
                "机动车驾驶证换证申请表",
                "applicant_name",
                "driving_licence_number",
                "applicant_phone",
                "driving_class",
                "delivery_method",
                "address",
                optional="address",
            ),
            statutory=1,
            promised=0,
            depth=4,
            courier=True,
            scope="1",
            fees=[fee("机动车驾驶证工本费", "10.00", "元/证", TRAFFIC_FEE_BASIS)],
            fee_basis=TRAFFIC_FEE_BASIS,
            result="机动车驾驶证",
            licence=lic.DRIVING_LICENCE,
        ),
        item(
            d,
            4,
            "机动车驾驶证补证",
            item_type=LICENCE,
            basis=licences,
            summary="驾驶证遗失后申请补领，原证作废。",
            keywords="驾照丢了 补驾照 驾驶证遗失 补办驾照",
            conditions="机动车驾驶证遗失，且驾驶证未被扣押、未处于暂扣或吊销状态。",
            materials=[id_card(), photo(on_site=False, source_note="通过“交管12123”App上传")],
            form=form(
                "机动车驾驶证补证申请表",
                "applicant_name",
                "driving_licence_number",
                "applicant_phone",
                "driving_class",
                "delivery_method",
                "address",
                optional="address",
            ),
            statutory=1,
            promised=0,
            depth=4,
            courier=True,
            scope="1",
            fees=[fee("机动车驾驶证工本费", "10.00", "元/证", TRAFFIC_FEE_BASIS)],
            fee_basis=TRAFFIC_FEE_BASIS,
            result="机动车驾驶证",
            licence=lic.DRIVING_LICENCE,
        ),
        item(
            d,
            5,
            "机动车检验合格标志核发",
            item_type=OTHER_POWER,
            basis="《中华人民共和国道路交通安全法》第十三条；《公安部 市场监管总局关于深化机动车检验制度改革优化车检服务工作的意见》。",
            summary="免检车辆或检验合格车辆申领电子检验合格标志，在线申请，无需到场。",
            keywords="年检 车辆年审 免检 检验标志 六年免检",
            conditions="车辆已按规定检验合格或符合免检条件；车辆交通违法、交通事故已处理完毕；已投保交强险。",
            materials=[
                vehicle_licence(),
                material(
                    "机动车交通事故责任强制保险凭证",
                    issuer="保险公司",
                    source="government",
                    originals=0,
                    source_note="通过保险信息平台共享获取，免于提交",
                ),
            ],
            form=form(
                "机动车检验合格标志申请表",
                "applicant_name",
                "applicant_id_number",
                "applicant_phone",
                "vehicle_plate",
            ),
            statutory=1,
            promised=0,
            depth=4,
            scope="1",
            result="机动车检验合格标志（电子）",
            recipients="1^2",
        ),
    ]


def items() -> list[dict[str, Any]]:
    return traffic_items()
