"""Code lists of GB/T 39046-2020 Appendix A (and the national implementation lists) as choices."""

from __future__ import annotations

from django.db import models


class ItemType(models.TextChoices):
    """事项类型."""

    ADMINISTRATIVE_POWER = "00", "行政权力事项"
    LICENCE = "01", "行政许可"
    PENALTY = "02", "行政处罚"
    COERCION = "03", "行政强制"
    LEVY = "04", "行政征收"
    BENEFIT = "05", "行政给付"
    INSPECTION = "06", "行政检查"
    CONFIRMATION = "07", "行政确认"
    AWARD = "08", "行政奖励"
    ADJUDICATION = "09", "行政裁决"
    OTHER_POWER = "10", "其他行政权力"
    PUBLIC_SERVICE = "20", "公共服务"


class ExerciseLevel(models.TextChoices):
    """行使层级."""

    NATIONAL = "1", "国家级"
    PROVINCIAL = "2", "省级"
    MUNICIPAL = "3", "市级"
    COUNTY = "4", "县级"
    TOWNSHIP = "5", "镇（乡、街道）级"
    VILLAGE = "6", "村（社区）级"
    MULTI_LEVEL = "7", "分级管理"


class BodyNature(models.TextChoices):
    """实施主体性质."""

    STATUTORY = "1", "法定机关"
    AUTHORISED = "2", "授权组织"
    COMMISSIONED = "3", "受委托组织"
    OTHER = "9", "其他"


class Recipient(models.TextChoices):
    """服务对象."""

    NATURAL_PERSON = "1", "自然人"
    ENTERPRISE = "2", "企业法人"
    PUBLIC_INSTITUTION = "3", "事业法人"
    SOCIAL_ORGANISATION = "4", "社会组织法人"
    GOVERNMENT = "5", "机关法人"
    OTHER = "6", "其他组织"


class Channel(models.TextChoices):
    """办理形式."""

    WINDOW = "1", "窗口办理"
    ONLINE = "2", "网上办理"
    MOBILE = "3", "掌上办理"
    COURIER = "4", "快递申请"
    OTHER = "9", "其他"


class CaseType(models.TextChoices):
    """办件类型."""

    INSTANT = "1", "即办件"
    PROMISED = "2", "承诺件"
    OTHER = "9", "其他"


class OnlineDepth(models.IntegerChoices):
    """网上办理深度, summarised as levels Ⅰ–Ⅳ (Ⅳ = 全程网办)."""

    NONE = 0, "不支持网办"
    I = 1, "Ⅰ级 在线咨询、表格下载"  # noqa: E741
    II = 2, "Ⅱ级 网上预约、在线预审"
    III = 3, "Ⅲ级 网上受理办理、现场领取结果"
    IV = 4, "Ⅳ级 全程网办"


class CrossRegionScope(models.TextChoices):
    """通办范围."""

    NONE = "0", "不通办"
    COUNTY = "4", "全县通办"
    CITY = "3", "全市通办"
    PROVINCE = "2", "跨市通办（全省）"
    NATIONAL = "1", "全国通办"


class MaterialSource(models.TextChoices):
    """来源渠道: who provides a material."""

    APPLICANT = "applicant", "申请人自备"
    LICENCE = "licence", "电子证照共享获取"
    GOVERNMENT = "government", "政府部门核发"
    # Taken at the window or a kiosk during the visit (照片、指纹): never asked for in an online application.
    ONSITE = "onsite", "现场采集"
    OTHER = "other", "其他"


class LicenceHolder(models.TextChoices):
    """证照持有人: whose e-licence a material asks for, when a shared licence can stand in for it."""

    APPLICANT = "applicant", "申请人"
    LEGAL_REPRESENTATIVE = "legal_representative", "法定代表人"
    AGENT = "agent", "经办人"
    # Someone else (逝者, 配偶, 买卖双方 …): their licence is theirs to share, never drawn for the applicant.
    OTHER = "other", "其他关系人"


class MaterialForm(models.TextChoices):
    """材料形式."""

    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    BOTH = "both", "纸质或电子"


class ServicePointKind(models.TextChoices):
    CENTRE = "centre", "政务服务中心"
    BRANCH = "branch", "分中心（街道便民服务中心）"
    VILLAGE = "village", "村（社区）便民服务站"
    KIOSK = "kiosk", "自助服务终端"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class FourWays(models.TextChoices):
    """四办: the plain-language filters the public uses."""

    INSTANT = "instant", "马上办"
    ONLINE = "online", "网上办"
    NEARBY = "nearby", "就近办"
    ONE_VISIT = "one_visit", "一次办"


def join_codes(codes: list[str]) -> str:
    """The national schema stores multi-select codes as `1^2^3`."""
    return "^".join(sorted(dict.fromkeys(codes)))


def split_codes(value: str) -> list[str]:
    return [c for c in value.split("^") if c]
