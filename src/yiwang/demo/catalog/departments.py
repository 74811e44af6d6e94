"""Departments (实施主体) and service points (服务网点) of 示范市."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yiwang.demo.catalog.licences import make_uscc

CITY = "330100"
CENTRE_ADDRESS = "示范市上城区市民街1号"
CENTRE = f"示范市市民中心（{CENTRE_ADDRESS}）"
COMPLAINT_PHONE = "12345"  # 12345 政务服务便民热线


@dataclass(frozen=True)
class Dept:
    code: str
    name: str
    short_name: str
    uscc: str
    nature: str
    address: str
    phone: str
    window: str  # where the department sits in the 市民中心
    order: int

    def row(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "short_name": self.short_name,
            "uscc": self.uscc,
            "region_code": CITY,
            "nature": self.nature,
            "address": self.address,
            "enquiry_phone": self.phone,
            "complaint_phone": COMPLAINT_PHONE,
            "order": self.order,
        }


# (code: 部门简拼, name, short name, USCC prefix, organisation code body, nature, address, phone, window)
# fmt: off
_ROWS = [
    ("zwfw", "示范市人民政府政务服务管理办公室", "市政务办", "11330100", "YW330001", "1",
     CENTRE_ADDRESS, "0571-87010000", "一楼 综合咨询台"),
    ("gahz", "示范市公安局户政管理支队", "市公安局户政", "11330100", "YW330002", "1",
     "示范市上城区平安路10号", "0571-87281010", "一楼 公安户政窗口（A区）"),
    ("gajj", "示范市公安局交通警察支队", "市交警支队", "11330100", "YW330003", "1",
     "示范市拱墅区通达路66号", "0571-87282020", "一楼 公安交管窗口（B区）"),
    ("gacrj", "示范市公安局出入境管理支队", "市公安局出入境", "11330100", "YW330004", "1",
     "示范市上城区平安路12号", "0571-87283030", "二楼 公安出入境窗口"),
    ("gazagl", "示范市公安局治安管理支队", "市公安局治安", "11330100", "YW330005", "1",
     "示范市上城区平安路10号", "0571-87284040", "一楼 公安治安窗口（A区）"),
    ("scjg", "示范市市场监督管理局", "市市场监管局", "11330100", "YW330006", "1",
     "示范市西湖区市场路9号", "0571-85150315", "三楼 企业开办专区"),
    ("swj", "国家税务总局示范市税务局", "市税务局", "11330100", "YW330007", "1",
     "示范市上城区税务路36号", "0571-85012366", "三楼 税务窗口"),
    ("rsj", "示范市人力资源和社会保障局", "市人力社保局", "11330100", "YW330008", "1",
     "示范市拱墅区民生路28号", "0571-85012333", "四楼 人力社保窗口"),
    ("ybj", "示范市医疗保障局", "市医保局", "11330100", "YW330009", "1",
     "示范市拱墅区民生路30号", "0571-85016988", "四楼 医疗保障窗口"),
    ("gjj", "示范市住房公积金管理中心", "市公积金中心", "12330100", "YW330010", "2",
     "示范市西湖区安居路18号", "0571-85012329", "四楼 住房公积金窗口"),
    ("mzj", "示范市民政局", "市民政局", "11330100", "YW330011", "1",
     "示范市上城区民和路5号", "0571-85013345", "五楼 民政窗口"),
    ("wjw", "示范市卫生健康委员会", "市卫生健康委", "11330100", "YW330012", "1",
     "示范市上城区健康路20号", "0571-85013320", "五楼 卫生健康窗口"),
    ("jyj", "示范市教育局", "市教育局", "11330100", "YW330013", "1",
     "示范市西湖区育才路8号", "0571-85013301", "五楼 教育窗口"),
    ("zjj", "示范市住房和城乡建设局", "市住建局", "11330100", "YW330014", "1",
     "示范市滨江区建设路100号", "0571-85013302", "六楼 工程建设项目审批专区"),
    ("bdc", "示范市不动产登记中心", "市不动产登记中心", "12330100", "YW330015", "2",
     "示范市西湖区安居路20号", "0571-85013303", "二楼 不动产登记专区"),
    ("zrzyj", "示范市自然资源和规划局", "市规划资源局", "11330100", "YW330016", "1",
     "示范市滨江区建设路102号", "0571-85013304", "六楼 工程建设项目审批专区"),
    ("jtj", "示范市交通运输局", "市交通运输局", "11330100", "YW330017", "1",
     "示范市拱墅区运河路50号", "0571-85013305", "三楼 交通运输窗口"),
    ("xfzd", "示范市消防救援支队", "市消防救援支队", "11330100", "YW330018", "1",
     "示范市拱墅区消防路119号", "0571-85013119", "六楼 消防审批窗口"),
    ("cgj", "示范市城市管理局", "市城管局", "11330100", "YW330019", "1",
     "示范市上城区市容路3号", "0571-85013306", "三楼 城市管理窗口"),
    ("cl", "示范市残疾人联合会", "市残联", "13330100", "YW330020", "2",
     "示范市上城区助残路2号", "0571-85013307", "五楼 残联窗口"),
    ("gs", "示范市水务集团有限公司", "市水务集团", "91330100", "MA2YW001", "9",
     "示范市拱墅区清泉路1号", "0571-85013308", "一楼 水电气网联合报装窗口"),
    ("gd", "示范市供电有限公司", "市供电公司", "91330100", "MA2YW002", "9",
     "示范市拱墅区电力路2号", "0571-85013309", "一楼 水电气网联合报装窗口"),
    ("rq", "示范市燃气有限公司", "市燃气公司", "91330100", "MA2YW003", "9",
     "示范市滨江区燃气路3号", "0571-85013310", "一楼 水电气网联合报装窗口"),
    ("tx", "示范市信息通信网络有限公司", "市信息通信公司", "91330100", "MA2YW004", "9",
     "示范市滨江区信息路4号", "0571-85013311", "一楼 水电气网联合报装窗口"),
]
# fmt: on

DEPARTMENTS: dict[str, Dept] = {
    code: Dept(code, name, short, make_uscc(prefix, body), nature, address, phone, window, (n + 1) * 10)
    for n, (code, name, short, prefix, body, nature, address, phone, window) in enumerate(_ROWS)
}

_HOURS = "工作日 9:00-12:00，13:30-17:00"
_CENTRE_PHONE = "0571-87010000"
_KIOSK_DEPARTMENTS = ["gjj", "rsj", "gacrj", "gahz", "gajj", "swj"]

SERVICE_POINTS: list[dict[str, Any]] = [
    {
        "code": "centre",
        "name": "示范市市民中心",
        "kind": "centre",
        "region_code": "330102",
        "address": CENTRE_ADDRESS,
        "office_hours": f"{_HOURS}；周六 9:00-12:00（综合窗口、公安窗口）",
        "phone": _CENTRE_PHONE,
        "is_active": True,
        "departments": sorted(DEPARTMENTS),
    },
    {
        "code": "xihu-branch",
        "name": "示范市西湖区政务服务中心",
        "kind": "branch",
        "region_code": "330106",
        "address": "示范市西湖区文新路200号",
        "office_hours": _HOURS,
        "phone": "0571-87060000",
        "is_active": True,
        "departments": sorted(
            [
                "gahz",
                "gajj",
                "gacrj",
                "scjg",
                "swj",
                "rsj",
                "ybj",
                "gjj",
                "mzj",
                "bdc",
                "cl",
            ]
        ),
    },
    {
        "code": "yuhang-branch",
        "name": "示范市余杭区政务服务中心",
        "kind": "branch",
        "region_code": "330110",
        "address": "示范市余杭区惠民路1号",
        "office_hours": f"{_HOURS}；周六 9:00-12:00",
        "phone": "0571-87100000",
        "is_active": True,
        "departments": sorted(
            [
                "gahz",
                "gajj",
                "scjg",
                "swj",
                "rsj",
                "ybj",
                "gjj",
                "mzj",
                "bdc",
                "jtj",
                "cl",
                "gs",
                "gd",
                "rq",
                "tx",
            ]
        ),
    },
    {
        "code": "fenglin-station",
        "name": "西湖区丹枫街道枫林社区便民服务站",
        "kind": "village",
        "region_code": "330106",
        "address": "示范市西湖区丹枫街道枫林路26号",
        "office_hours": "工作日 8:30-11:30，13:30-17:00",
        "phone": "0571-87061234",
        "is_active": True,
        "departments": sorted(["rsj", "ybj", "mzj", "cl"]),
    },
    {
        "code": "qinghe-station",
        "name": "余杭区青禾镇青禾村便民服务站",
        "kind": "village",
        "region_code": "330110",
        "address": "示范市余杭区青禾镇青禾村村民中心",
        "office_hours": "工作日 8:30-11:30，13:30-17:00",
        "phone": "0571-87101234",
        "is_active": True,
        "departments": sorted(["rsj", "ybj", "mzj", "cl", "gahz"]),
    },
    {
        "code": "centre-kiosk",
        "name": "示范市市民中心24小时自助服务区",
        "kind": "kiosk",
        "region_code": "330102",
        "address": f"{CENTRE_ADDRESS}一楼东侧",
        "office_hours": "全天24小时",
        "phone": _CENTRE_PHONE,
        "is_active": True,
        "departments": sorted(_KIOSK_DEPARTMENTS),
    },
    {
        "code": "changfeng-kiosk",
        "name": "滨江区长风路地铁站政务自助终端",
        "kind": "kiosk",
        "region_code": "330108",
        "address": "示范市滨江区长风路地铁站B出口大厅",
        "office_hours": "每日 6:30-22:30",
        "phone": _CENTRE_PHONE,
        "is_active": True,
        "departments": sorted(["gjj", "rsj", "ybj", "gacrj"]),
    },
]


def department_rows() -> list[dict[str, Any]]:
    return [dept.row() for dept in DEPARTMENTS.values()]
