"""代办申请 at the one-window desk: an item's or a bundle's form, the checklist of papers, the submission.

The clerk has confirmed who stands at the window (`desk`); this page fills the form for them (prefilled
with what the window knows), ticks each paper received (with its scan) or the applicant's pledge, and
submits through `cases.submission.submit.application_submit(channel="window")`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yiwang.cases.formcheck import form_errors
from yiwang.cases.models import ApplicantKind
from yiwang.cases.submission.materials import needed_materials
from yiwang.cases.submission.submit import application_submit
from yiwang.catalog import selectors as catalog_selectors
from yiwang.catalog.codes import MaterialForm
from yiwang.catalog.models import Material
from yiwang.channels import application_form
from yiwang.channels.workbench import engine
from yiwang.channels.workbench.guards import StaffRequest, not_found
from yiwang.channels.workbench.views.common import page_context
from yiwang.channels.workbench.views.desk import (
    applicant_card,
    clerk_only,
    current_applicant,
    submission_applicant,
)
from yiwang.core.errors import DomainError, NotFound, ValidationFailed
from yiwang.documents import selectors as document_selectors
from yiwang.documents.services import document_upload


@dataclass
class MaterialRow:
    """One paper of the checklist (a paper several member items need appears once)."""

    material: Material
    needed_by: list[str]
    required: bool
    pledge_allowed: bool
    pledge_text: str
    way: str
    document: Any = None
    errors: list[str] = field(default_factory=list)

    @property
    def key(self) -> int:
        return self.material.id

    @property
    def form_label(self) -> str:
        return str(dict(MaterialForm.choices).get(self.material.form, ""))


def _material_rows(versions: list[Any], post: Any) -> list[MaterialRow]:
    rows = []
    for group in needed_materials(versions).values():
        first = group[0]
        required = any(m.required for m in group)
        pledge = next((m for m in group if m.pledge_allowed), None)
        default = "scan" if required else "none"
        way = post.get(f"mat-{first.id}-way", default) if post is not None else default
        if way not in ("scan", "pledge", "none") or (way == "pledge" and pledge is None):
            way = default
        rows.append(
            MaterialRow(
                material=first,
                needed_by=list(dict.fromkeys(m.version.name for m in group)),
                required=required,
                pledge_allowed=pledge is not None,
                pledge_text=pledge.pledge_text if pledge else "",
                way=way,
            )
        )
    return rows


def _take_in(request: StaffRequest, rows: list[MaterialRow]) -> list[dict[str, Any]]:
    """Store the scans the clerk attached (owned by the clerk) and list the materials as the API takes them."""
    entries: list[dict[str, Any]] = []
    for row in rows:
        if row.way == "pledge":
            entries.append({"material": row.key, "pledge": True})
            continue
        if row.way != "scan":
            continue
        upload = request.FILES.get(f"mat-{row.key}-file")
        kept = request.POST.get(f"mat-{row.key}-doc", "")
        try:
            if upload is not None:
                row.document = document_upload(owner=request.user, upload=upload)
            elif kept:
                row.document = document_selectors.document_for(request.user, kept)
        except NotFound:
            row.errors.append("之前上传的扫描件已失效，请重新选择文件")
        except DomainError as exc:
            row.errors.append(exc.message)
        if row.document is None:
            if not row.errors:
                row.errors.append("请上传该材料的扫描件，或改选其他方式")
            continue
        entries.append({"material": row.key, "document": str(row.document.id)})
    return entries


FIELD_LABELS = {
    "applicant": "办事人",
    "members": "组成事项",
    "item": "事项",
    "bundle": "一件事",
    "channel": "渠道",
    "materials": "申请材料",
}


def _place_errors(
    fields: dict[str, list[str]], rows: list[MaterialRow], entries: list[dict[str, Any]]
) -> list[str]:
    """Put the engine's material messages on their rows; return the rest (applicant, members…) as text."""
    by_id = {row.key: row for row in rows}
    general: list[str] = []
    for key, texts in fields.items():
        if key.startswith("form"):
            continue
        row = None
        if match := re.fullmatch(r"materials\.(\d+)", key):
            row = by_id.get(int(match[1]))
        elif match := re.match(r"materials\[(\d+)\]", key):
            index = int(match[1])
            row = by_id.get(entries[index]["material"]) if index < len(entries) else None
        for text in texts:
            if row is not None:
                row.errors.append(text)
            else:
                label = FIELD_LABELS.get(key.split(".")[0].split("[")[0], "")
                general.append(f"{label}：{text}" if label else text)
    return general


def _prefill(schema: dict[str, Any], applicant: dict[str, Any]) -> application_form.Raw:
    """What the window already knows about the applicant, in the form fields meant for it."""
    known = (
        {
            "enterprise_name": applicant["name"],
            "uscc": applicant["number"],
            "legal_representative": applicant.get("legal_representative", ""),
        }
        if applicant["kind"] == ApplicantKind.LEGAL
        else {"applicant_name": applicant["name"], "applicant_id_number": applicant["number"]}
    )
    return application_form.prefilled(schema, known)


@clerk_only
@require_http_methods(["GET", "POST"])
def desk_start(request: StaffRequest, kind: str, code: str) -> HttpResponse:
    """代办申请: the form, the checklist of papers, and the submission on the applicant's behalf."""
    applicant = current_applicant(request)
    if applicant is None:
        messages.info(request, "请先查询并确认办事人，再选择要办理的事项。")
        return redirect("workbench:desk")
    posted = request.method == "POST"
    source = request.POST if posted else request.GET
    members = [m for m in source.getlist("members") if m][:50]
    try:
        target = engine.submission_target(
            item=code if kind == "item" else "", bundle=code if kind == "bundle" else "", members=members
        )
    except NotFound as exc:
        return not_found(request, exc)
    versions = [version for _member, version in target.versions]
    schema = target.schema
    raw = application_form.read_raw(request.POST, schema) if posted else _prefill(schema, applicant)
    fields = application_form.build_fields(schema, raw=raw)
    rows = _material_rows(versions, request.POST if posted else None)
    errors = [f"组成事项：{m}" for ms in target.problems.values() for m in ms]
    token = request.POST.get("token", "") if posted else ""
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        token = uuid.uuid4().hex
    status = 200
    if posted:
        entries = _take_in(request, rows)
        if any(row.errors for row in rows):
            # Nothing is submitted without its papers; the form's own problems are still said at once.
            data = application_form.to_data(schema, raw)
            errors += [
                f"申请表：{m}" for m in application_form.attach_errors(fields, form_errors(schema, data))
            ]
        else:
            try:
                application = application_submit(
                    actor=request.user,
                    item=code if kind == "item" else None,
                    bundle=code if kind == "bundle" else None,
                    members=members or None,
                    applicant=submission_applicant(applicant),
                    form=application_form.to_data(schema, raw),
                    materials=entries,
                    channel="window",
                    idempotency_key=f"workbench-{token}",
                ).application
            except ValidationFailed as exc:
                errors += [f"申请表：{m}" for m in application_form.attach_errors(fields, exc.fields)]
                errors += _place_errors(exc.fields, rows, entries)
            except DomainError as exc:
                errors.append(exc.message)
            else:
                cases = list(application.cases.select_related("department").order_by("number"))
                routed = "、".join(dict.fromkeys(c.department.name for c in cases))
                messages.success(
                    request,
                    f"已收件：申办编号 {application.number}，共 {len(cases)} 个办件，分送{routed}。"
                    "请当场核对材料后受理、不予受理或一次性告知补正。",
                )
                return redirect("workbench:application", number=application.number)
        status = 422
    members_all = []
    if target.bundle is not None:
        chosen = {m.item.code for m, _v in target.versions}
        members_all = [
            {
                "code": member.item.code,
                "name": version.name,
                "department": member.item.department.name,
                "optional": member.optional,
                "chosen": member.item.code in chosen,
            }
            for member, version in catalog_selectors.bundle_member_versions(target.bundle)
        ]
    routes = [
        {
            "name": version.name,
            "department": version.item.department.name,
            "limit": version.promised_limit_days,
        }
        for _member, version in target.versions
    ]
    context = page_context(
        request,
        "desk",
        kind=kind,
        code=code,
        title=target.bundle.name if target.bundle is not None else versions[0].name,
        bundle=target.bundle,
        members=members_all,
        chosen_members=members,
        routes=routes,
        fields=fields,
        fields_have_errors=any(f.errors for f in application_form.walk(fields)),
        rows=rows,
        errors=errors,
        rows_have_errors=any(row.errors for row in rows),
        token=token,
        applicant=applicant_card(applicant),
    )
    return render(request, "channels/workbench/desk_start.html", context, status=status)
