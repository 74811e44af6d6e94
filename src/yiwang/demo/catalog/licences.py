"""电子证照类型 (GB/T 36902): the shared e-licences the demo catalog asks for or issues.

A licence type code is the defining agency's USCC plus a 3-digit sequence. The agencies' USCCs here
are made up (region 100000, organisation codes starting "YW") but pass both GB 32100 check characters.
"""

from __future__ import annotations

from yiwang.core.identifiers import org_code_check_char, uscc_check_char


def make_uscc(prefix: str, org_body: str) -> str:
    """A valid USCC from its first 8 characters (authority, category, region) and an 8-character org code body."""
    first17 = prefix + org_body + org_code_check_char(org_body)
    return first17 + uscc_check_char(first17)


def _national(org_body: str) -> str:
    """USCC of a (made-up) national agency: 机构编制 / 机关, region 100000."""
    return make_uscc("11100000", org_body)


_MPS = _national("YW000001")  # 公安部
_SAMR = _national("YW000002")  # 国家市场监督管理总局
_MCA = _national("YW000003")  # 民政部
_NHC = _national("YW000004")  # 国家卫生健康委员会
_MOHRSS = _national("YW000005")  # 人力资源和社会保障部
_MNR = _national("YW000006")  # 自然资源部
_MOE = _national("YW000007")  # 教育部
_MOT = _national("YW000008")  # 交通运输部
_MOHURD = _national("YW000009")  # 住房和城乡建设部
_CDPF = make_uscc("13100000", "YW000010")  # 中国残疾人联合会 (群团组织)

ID_CARD = f"{_MPS}001"
HOUSEHOLD_REGISTER = f"{_MPS}002"
DRIVING_LICENCE = f"{_MPS}003"
VEHICLE_LICENCE = f"{_MPS}004"
PASSPORT = f"{_MPS}005"
BUSINESS_LICENCE = f"{_SAMR}001"
FOOD_BUSINESS_LICENCE = f"{_SAMR}002"
MARRIAGE_CERTIFICATE = f"{_MCA}001"
DIVORCE_CERTIFICATE = f"{_MCA}002"
BIRTH_CERTIFICATE = f"{_NHC}001"
DEATH_CERTIFICATE = f"{_NHC}002"
SOCIAL_SECURITY_CARD = f"{_MOHRSS}001"
REAL_ESTATE_CERTIFICATE = f"{_MNR}001"
TEACHER_CERTIFICATE = f"{_MOE}001"
ROAD_TRANSPORT_LICENCE = f"{_MOT}001"
CONSTRUCTION_PERMIT = f"{_MOHURD}001"
DISABILITY_CERTIFICATE = f"{_CDPF}001"

LICENCE_TYPES: dict[str, str] = {
    ID_CARD: "居民身份证",
    HOUSEHOLD_REGISTER: "居民户口簿",
    BUSINESS_LICENCE: "营业执照",
    MARRIAGE_CERTIFICATE: "结婚证",
    DIVORCE_CERTIFICATE: "离婚证",
    BIRTH_CERTIFICATE: "出生医学证明",
    DRIVING_LICENCE: "机动车驾驶证",
    VEHICLE_LICENCE: "机动车行驶证",
    PASSPORT: "普通护照",
    SOCIAL_SECURITY_CARD: "社会保障卡",
    REAL_ESTATE_CERTIFICATE: "不动产权证书",
    FOOD_BUSINESS_LICENCE: "食品经营许可证",
    DISABILITY_CERTIFICATE: "残疾人证",
    TEACHER_CERTIFICATE: "教师资格证",
    ROAD_TRANSPORT_LICENCE: "道路运输经营许可证",
    CONSTRUCTION_PERMIT: "建筑工程施工许可证",
    DEATH_CERTIFICATE: "死亡医学证明",
}
