"""Every catalog rule is enforced when an item version or bundle is published, each with its message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import FORM_SCHEMA, make_bundle, make_item
from yiwang.catalog import codes
from yiwang.catalog.services import bundle_publish, item_version_publish
from yiwang.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def publish_problems(**overrides) -> dict[str, list[str]]:
    version = make_item(publish=False, **overrides)
    with pytest.raises(ValidationFailed) as caught:
        item_version_publish(version=version)
    version.refresh_from_db()
    assert version.status == codes.VersionStatus.DRAFT, "a refused version stays a draft"
    return caught.value.fields


def test_valid_item_publishes():
    version = make_item()
    assert version.status == codes.VersionStatus.PUBLISHED
    assert version.item.published_version_id == version.pk


def test_promised_limit_above_statutory_is_rejected():
    fields = publish_problems(statutory_limit_days=10, promised_limit_days=15)
    assert fields["promised_limit_days"] == ["承诺办结时限（15 个工作日）不得超过法定办结时限（10 个工作日）"]


def test_promised_limit_equal_to_statutory_is_allowed():
    assert make_item(statutory_limit_days=10, promised_limit_days=10).status == codes.VersionStatus.PUBLISHED


def test_visits_without_reason_are_rejected():
    fields = publish_problems(visits=2, visit_reason="  ")
    assert fields["visit_reason"] == ["到办事现场次数大于 0 时，须说明必须现场办理的原因"]


def test_fully_online_item_must_need_no_visit():
    fields = publish_problems(online_depth=codes.OnlineDepth.IV, visits=1, visit_reason="核验原件")
    assert fields["visits"] == ["网上办理深度为Ⅳ级（全程网办）的事项，到办事现场次数应为 0"]


def test_zero_visits_without_online_or_courier_is_rejected():
    fields = publish_problems(
        online_depth=codes.OnlineDepth.II, visits=0, visit_reason="", supports_courier=False
    )
    assert fields["visits"] == ["零跑动事项须全程网办或支持快递申请（邮寄申请、寄送结果）"]


def test_fee_without_basis_is_rejected():
    fields = publish_problems(
        charges_fee=True, fee_basis="", fees=[{"name": "工本费", "amount": Decimal("10"), "basis": ""}]
    )
    assert "收费事项须填写收费依据" in fields["fee_basis"]
    assert fields["fees"] == ["收费项目“工本费”须填写收费依据"]


def test_fee_without_fee_items_is_rejected():
    fields = publish_problems(charges_fee=True, fee_basis="发改价格〔2019〕914号")
    assert fields["fees"] == ["收费事项须至少列出一个收费项目"]


def test_enquiry_and_complaint_phone_must_differ():
    fields = publish_problems(enquiry_phone="12345", complaint_phone="12345")
    assert fields["complaint_phone"] == ["咨询电话与监督投诉电话不能相同"]


def test_instant_item_must_promise_same_day():
    fields = publish_problems(case_type=codes.CaseType.INSTANT, promised_limit_days=3)
    assert fields["promised_limit_days"] == ["即办件当场办结，承诺办结时限应为 0 个工作日"]


def test_duplicate_handling_code_is_rejected():
    make_item(name="甲事项", handling_code="330100-001-01")
    fields = publish_problems(handling_code="330100-001-01")
    assert fields["handling_code"][0].startswith("业务办理项编码 330100-001-01 已被事项“甲事项”")


def test_pledge_material_needs_obligation_and_liability_text():
    fields = publish_problems(
        materials=[{"name": "无犯罪记录证明", "pledge_allowed": True, "pledge_text": ""}]
    )
    assert fields["materials"] == [
        "材料“无犯罪记录证明”允许告知承诺，须写明证明义务、证明内容和不实承诺的法律责任"
    ]


def test_invalid_form_schema_is_rejected():
    fields = publish_problems(form_schema={"type": "object", "properties": {"a": {"type": "no-such-type"}}})
    assert fields["form_schema"][0].startswith("申请表单不是有效的 JSON Schema")


def test_every_problem_is_reported_at_once():
    fields = publish_problems(
        statutory_limit_days=1,
        promised_limit_days=2,
        visits=1,
        visit_reason="",
        enquiry_phone="12345",
        complaint_phone="12345",
    )
    assert {"promised_limit_days", "visit_reason", "complaint_phone"} <= set(fields)


def test_bundle_dependency_cycle_is_rejected():
    a, b, c = make_item(name="甲"), make_item(name="乙"), make_item(name="丙")
    bundle = make_bundle(a, b, c, requires={0: [2], 1: [0], 2: [1]})
    with pytest.raises(ValidationFailed) as caught:
        bundle_publish(bundle=bundle)
    (message,) = caught.value.fields["dependencies"]
    assert message.startswith("前置关系存在循环：")
    assert caught.value.code == "bundle_dependency_cycle"


def test_bundle_with_acyclic_dependencies_publishes():
    a, b, c = make_item(), make_item(), make_item()
    bundle = bundle_publish(bundle=make_bundle(a, b, c, requires={1: [0], 2: [0, 1]}))
    assert bundle.status == codes.VersionStatus.PUBLISHED


def test_bundle_fields_with_conflicting_definitions_are_rejected():
    other = {
        **FORM_SCHEMA,
        "properties": {**FORM_SCHEMA["properties"], "applicant_phone": {"type": "integer"}},
    }
    bundle = make_bundle(make_item(name="甲"), make_item(name="乙", form_schema=other))
    with pytest.raises(ValidationFailed) as caught:
        bundle_publish(bundle=bundle)
    assert caught.value.fields["form_schema"] == [
        "字段“applicant_phone”在甲、乙中的定义不一致，无法合并为同一栏"
    ]


def test_bundle_with_unpublished_member_is_rejected():
    bundle = make_bundle(make_item(), make_item(publish=False))
    with pytest.raises(ValidationFailed) as caught:
        bundle_publish(bundle=bundle)
    assert caught.value.fields["members"][0].endswith("尚无已发布版本")


def test_bundle_promising_less_than_its_chain_of_prerequisites_is_rejected():
    a, b = make_item(name="甲", promised_limit_days=3), make_item(name="乙", promised_limit_days=4)
    bundle = make_bundle(a, b, requires={1: [0]}, promised_limit_days=5)
    with pytest.raises(ValidationFailed) as caught:
        bundle_publish(bundle=bundle)
    assert caught.value.fields["promised_limit_days"] == [
        "承诺办结总时限（5 个工作日）短于前置链条各事项承诺时限之和（7 个工作日），请缩短组成事项的承诺时限或调整总时限"
    ]


def test_an_establishing_item_names_its_company_in_the_form_and_issues_a_licence():
    fields = publish_problems(establishes_entity=True, form_schema=FORM_SCHEMA, result_licence_type="")
    assert fields["form_schema"] == [
        '设立登记事项的申请表须有标明 "x-applicant": "name" 的企业名称字段（名称自主申报）'
    ]
    assert fields["result_licence_type"] == ["设立登记事项须填写办结时签发的证照类型（营业执照）"]
