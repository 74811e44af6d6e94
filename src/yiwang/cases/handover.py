"""前置事项移交数据: what a bundle member's result hands over to the members waiting for it.

Each field a later member needs is named by its Chinese title (from the forms that use it), prefilled
from what the completing case already knows, checked by the same rules as anywhere else (the field's
JSON Schema — an identifier's national check included), and carried into the waiting cases' data.
Fields the completing case makes itself (the USCC of 企业设立登记) are produced, not typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yiwang.cases.formcheck import form_errors
from yiwang.cases.models import ApplicationMaterial, Case
from yiwang.catalog.models import BundleDependency

# Fields an establishing item (企业设立登记) produces when it completes: its officer types none of them.
ESTABLISHED = frozenset({"uscc"})


@dataclass(frozen=True)
class HandoverField:
    name: str
    title: str
    schema: dict[str, Any]  # the field's JSON Schema, as the waiting members' forms define it
    value: Any  # what the completing case already knows (its form), else None
    produced: bool  # made by the completing case itself: shown, never typed


def handover_spec(case: Case) -> list[HandoverField]:
    """The fields this case must hand over to the bundle members waiting for it, in a stable order."""
    if case.bundle_member_id is None:
        return []
    own = (case.item_version.form_schema or {}).get("properties") or {}
    schemas: dict[str, dict[str, Any]] = {}
    names: list[str] = []
    for dependency in (
        BundleDependency.objects.filter(requires_id=case.bundle_member_id)
        .select_related("member__item__published_version")
        .order_by("member__order", "id")
    ):
        version = dependency.member.item.published_version
        theirs = ((version.form_schema or {}).get("properties") or {}) if version is not None else {}
        for name in dependency.handover_fields or []:
            if name not in names:
                names.append(str(name))
            prop = own.get(name) or theirs.get(name)
            if isinstance(prop, dict) and name not in schemas:
                schemas[name] = prop
    produces = ESTABLISHED if case.item_version.establishes_entity else frozenset()
    return [
        HandoverField(
            name=name,
            title=str(schemas.get(name, {}).get("title") or name),
            schema=schemas.get(name, {}),
            value=case.data.get(name),
            produced=name in produces,
        )
        for name in names
    ]


def handover_errors(spec: list[HandoverField], data: dict[str, Any]) -> dict[str, list[str]]:
    """Every problem of the result data the waiting members need, keyed `result.data.<field>`:
    missing, invalid by the field's schema, or typed where the case produces it itself."""
    problems: dict[str, list[str]] = {}
    for f in spec:
        key = f"result.data.{f.name}"
        given = data.get(f.name)
        if f.produced:
            if given not in (None, ""):
                problems.setdefault(key, []).append(f"“{f.title}”由办结时自动生成，无需填写")
            continue
        value = given if given not in (None, "") else f.value
        if value is None or value == "":
            problems.setdefault(key, []).append(f"后续事项需要“{f.title}”，请填写")
            continue
        if not f.schema:
            continue  # no form defines it: nothing to check it against
        schema = {"type": "object", "properties": {f.name: f.schema}}
        for where, messages in form_errors(schema, {f.name: value}, prefix="result.data").items():
            problems.setdefault(where, []).extend(f"{f.title}：{m}" for m in messages)
    return problems


def handover_values(spec: list[HandoverField], result_data: dict[str, Any]) -> dict[str, Any]:
    """The values handed over: the result's data, else what the case's form said."""
    values = {}
    for f in spec:
        value = result_data.get(f.name, f.value)
        if value is not None and value != "":
            values[f.name] = value
    return values


def handover_materials(done: Case, waiting: Case) -> None:
    """A prerequisite's e-licence (企业设立登记's 营业执照) stands in for the waiting member's material of
    that licence type: the applicant was never asked for it (applicants.produced_licence_types)."""
    identifier = (done.result or {}).get("licence_identifier")
    type_code = done.item_version.result_licence_type
    if not identifier or not type_code:
        return
    for material in waiting.item_version.materials.filter(licence_type_code=type_code):
        ApplicationMaterial.objects.get_or_create(
            application_id=waiting.application_id,
            share_key=material.share_key,
            defaults={"material": material, "licence_identifier": identifier, "from_library": True},
        )
