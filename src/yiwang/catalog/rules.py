"""发布校验: the rules an item version or a bundle must pass before it is published.

Each rule returns problems as (field, code, message); publishing reports all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from yiwang.catalog import codes

if TYPE_CHECKING:
    from yiwang.catalog.models import Bundle, ItemVersion


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


def item_version_problems(version: ItemVersion) -> list[Problem]:
    """Every rule an item version breaks, in the order a catalog admin would fix them."""
    from yiwang.catalog.models import ItemVersion as ItemVersionModel

    problems: list[Problem] = []
    add = problems.append

    if version.promised_limit_days > version.statutory_limit_days:
        add(
            Problem(
                "promised_limit_days",
                "promised_exceeds_statutory",
                f"承诺办结时限（{version.promised_limit_days} 个工作日）不得超过法定办结时限（{version.statutory_limit_days} 个工作日）",
            )
        )
    if version.case_type == codes.CaseType.INSTANT and version.promised_limit_days != 0:
        add(
            Problem(
                "promised_limit_days", "instant_item_has_limit", "即办件当场办结，承诺办结时限应为 0 个工作日"
            )
        )
    if version.case_type == codes.CaseType.PROMISED and version.promised_limit_days == 0:
        add(
            Problem("promised_limit_days", "promised_item_without_limit", "承诺件须填写大于 0 的承诺办结时限")
        )
    if version.visits > 0 and not version.visit_reason.strip():
        add(
            Problem(
                "visit_reason", "visit_reason_required", "到办事现场次数大于 0 时，须说明必须现场办理的原因"
            )
        )
    if version.online_depth == codes.OnlineDepth.IV and version.visits != 0:
        add(
            Problem(
                "visits",
                "full_online_requires_zero_visits",
                "网上办理深度为Ⅳ级（全程网办）的事项，到办事现场次数应为 0",
            )
        )
    if version.visits == 0 and version.online_depth < codes.OnlineDepth.IV and not version.supports_courier:
        add(
            Problem(
                "visits",
                "zero_visits_needs_remote_channel",
                "零跑动事项须全程网办或支持快递申请（邮寄申请、寄送结果）",
            )
        )
    if version.charges_fee:
        if not version.fee_basis.strip():
            add(Problem("fee_basis", "fee_basis_required", "收费事项须填写收费依据"))
        fees = list(version.fees.all()) if version.pk else []
        if not fees:
            add(Problem("fees", "fee_items_required", "收费事项须至少列出一个收费项目"))
        for fee in fees:
            if not fee.basis.strip():
                add(Problem("fees", "fee_basis_required", f"收费项目“{fee.name}”须填写收费依据"))
    if version.enquiry_phone.strip() and version.enquiry_phone.strip() == version.complaint_phone.strip():
        add(Problem("complaint_phone", "phones_must_differ", "咨询电话与监督投诉电话不能相同"))
    if not version.enquiry_phone.strip():
        add(Problem("enquiry_phone", "enquiry_phone_required", "须填写咨询电话"))
    if not version.complaint_phone.strip():
        add(Problem("complaint_phone", "complaint_phone_required", "须填写监督投诉电话"))
    unknown = set(version.recipient_codes) - set(codes.Recipient.values)
    if not version.recipient_codes or unknown:
        add(Problem("recipients", "recipients_invalid", "服务对象须从代码表中选择至少一项"))
    unknown = set(version.channel_codes) - set(codes.Channel.values)
    if not version.channel_codes or unknown:
        add(Problem("channels", "channels_invalid", "办理形式须从代码表中选择至少一项"))

    if version.establishes_entity:
        # 设立登记: the company-to-be is named in the form, and its 营业执照 is what the case issues.
        bound = {
            prop.get("x-applicant")
            for prop in ((version.form_schema or {}).get("properties") or {}).values()
            if isinstance(prop, dict)
        }
        if "name" not in bound:
            add(
                Problem(
                    "form_schema",
                    "entity_name_field_required",
                    '设立登记事项的申请表须有标明 "x-applicant": "name" 的企业名称字段（名称自主申报）',
                )
            )
        if not version.result_licence_type:
            add(
                Problem(
                    "result_licence_type",
                    "entity_licence_required",
                    "设立登记事项须填写办结时签发的证照类型（营业执照）",
                )
            )

    # 编码唯一: the implementation code is unique by the database; the handling-unit code must be too.
    if version.handling_code:
        clash = (
            ItemVersionModel.objects.filter(
                status=codes.VersionStatus.PUBLISHED, handling_code=version.handling_code
            )
            .exclude(item_id=version.item_id)
            .select_related("item")
            .first()
        )
        if clash:
            add(
                Problem(
                    "handling_code",
                    "duplicate_code",
                    f"业务办理项编码 {version.handling_code} 已被事项“{clash.name}”（{clash.item.code}）使用",
                )
            )
    if version.pk:
        for material in version.materials.all():
            if material.pledge_allowed and not material.pledge_text.strip():
                add(
                    Problem(
                        "materials",
                        "pledge_text_required",
                        f"材料“{material.name}”允许告知承诺，须写明证明义务、证明内容和不实承诺的法律责任",
                    )
                )
            if material.source == codes.MaterialSource.ONSITE and material.required:
                add(
                    Problem(
                        "materials",
                        "onsite_material_required",
                        f"材料“{material.name}”为现场采集，网上申请无法提交，不能设为必要；"
                        "请取消“必要”，并在必要性说明中写明“窗口现场采集”",
                    )
                )
            if material.source == codes.MaterialSource.LICENCE and not material.licence_type_code:
                add(
                    Problem(
                        "materials",
                        "licence_type_required",
                        f"材料“{material.name}”来源为电子证照，须填写证照类型代码",
                    )
                )

    problems.extend(form_schema_problems(version.form_schema))
    return problems


def form_schema_problems(schema: object) -> list[Problem]:
    """The application form must be a valid JSON Schema describing an object."""
    if not isinstance(schema, dict) or not schema:
        return [Problem("form_schema", "form_schema_required", "须配置申请表单（JSON Schema）")]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return [
            Problem("form_schema", "form_schema_invalid", f"申请表单不是有效的 JSON Schema：{exc.message}")
        ]
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        return [Problem("form_schema", "form_schema_invalid", "申请表单的根须为 object 并列出 properties")]
    return []


def bundle_problems(bundle: Bundle) -> list[Problem]:
    """Rules of a bundle: published members, an acyclic dependency graph, a mergeable form."""
    from yiwang.catalog.selectors import bundle_critical_path_days, bundle_merged_form

    problems: list[Problem] = []
    members = list(bundle.members.select_related("item__published_version"))
    if len(members) < 2:
        problems.append(Problem("members", "bundle_too_small", "一件事至少包含两个事项"))
    for member in members:
        if member.item.published_version is None:
            problems.append(
                Problem("members", "member_not_published", f"组成事项 {member.item.code} 尚无已发布版本")
            )
    cycle = dependency_cycle(bundle)
    if cycle:
        problems.append(
            Problem("dependencies", "bundle_dependency_cycle", f"前置关系存在循环：{' → '.join(cycle)}")
        )
    if not any(p.code == "member_not_published" for p in problems):
        chain = bundle_critical_path_days(bundle)
        if not cycle and bundle.promised_limit_days < chain:
            problems.append(
                Problem(
                    "promised_limit_days",
                    "bundle_limit_below_chain",
                    f"承诺办结总时限（{bundle.promised_limit_days} 个工作日）短于前置链条各事项承诺时限之和"
                    f"（{chain} 个工作日），请缩短组成事项的承诺时限或调整总时限",
                )
            )
        _, conflicts = bundle_merged_form(bundle)
        for field_name, items in conflicts.items():
            problems.append(
                Problem(
                    "form_schema",
                    "merged_form_conflict",
                    f"字段“{field_name}”在{'、'.join(items)}中的定义不一致，无法合并为同一栏",
                )
            )
    return problems


def dependency_cycle(bundle: Bundle) -> list[str]:
    """A cycle in the members' prerequisites as a list of item names, or [] when there is none."""
    from yiwang.catalog.models import BundleDependency

    edges: dict[int, list[int]] = {}
    for member_id, requires_id in BundleDependency.objects.filter(member__bundle=bundle).values_list(
        "member_id", "requires_id"
    ):
        edges.setdefault(member_id, []).append(requires_id)
    names = {m.id: str(m.item) for m in bundle.members.select_related("item__published_version")}

    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(names, white)
    stack: list[int] = []

    def visit(node: int) -> list[int]:
        colour[node] = grey
        stack.append(node)
        for nxt in edges.get(node, []):
            if colour.get(nxt, white) == grey:
                return stack[stack.index(nxt) :] + [nxt]
            if colour.get(nxt, white) == white:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        colour[node] = black
        return []

    for node in names:
        if colour[node] == white:
            found = visit(node)
            if found:
                return [names.get(n, str(n)) for n in found]
    return []
