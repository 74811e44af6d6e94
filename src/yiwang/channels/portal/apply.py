"""在线申请: one page per item or bundle — the form, the optional members, the materials — then submit.

GET shows the page (resuming the applicant's draft if there is one). POST either saves a draft
(`intent=draft`), discards it (`intent=discard`) or submits (`intent=submit`) through
`cases.submission.submit.application_submit`, the one service for submitting. Every problem the engine
reports is shown next to its field or material and everything typed or uploaded is kept.

Each page carries its own Idempotency-Key (a hidden UUID): a double-click or a retried POST finds the
first application instead of creating a second one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.accounts.acting import signed_in_account
from yiwang.accounts.models import User, UserKind
from yiwang.accounts.selectors import RealNameRequired, is_real_name_verified
from yiwang.cases.formcheck import form_errors
from yiwang.cases.submission.submit import application_submit
from yiwang.catalog import selectors as catalog_selectors
from yiwang.catalog.models import Bundle, BundleMember, ItemVersion
from yiwang.channels import application_form
from yiwang.channels.guards import current_user
from yiwang.channels.portal import materials as mat
from yiwang.channels.portal.drafts import Draft, DraftStore, draft_key
from yiwang.channels.portal.formpdf import form_document
from yiwang.channels.portal.guards import applicant_required, channel_of, forbidden, is_htmx, not_found
from yiwang.channels.portal.licence_offers import Holders, holders_for
from yiwang.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from yiwang.core.masking import mask_id_number
from yiwang.documents.errors import ALLOWED_TYPES_LABEL, human_size
from yiwang.documents.selectors import document_for
from yiwang.documents.services import document_upload

# Answers the account already knows, offered on a fresh form (the applicant may change them).
PREFILL_PERSON = {"applicant_name": "name", "applicant_id_number": "id_number", "applicant_phone": "mobile"}
PREFILL_LEGAL = {
    "enterprise_name": "name",
    "uscc": "uscc",
    "legal_representative": "legal_representative",
    "applicant_phone": "mobile",
}
# 企业开办: the founder is the 经办人 and, unless they name someone else, the legal representative.
PREFILL_FOUNDER = {
    "legal_representative": "name",
    "legal_representative_id_number": "id_number",
    "contact_person": "name",
    "applicant_phone": "mobile",
}
# Where an engine message that belongs to no field is shown.
PAGE_KEYS = ("item", "bundle", "channel", "applicant", "form")


@dataclass
class Target:
    """What the page applies for: one item, or a bundle with its members and merged form."""

    kind: str  # "item" | "bundle"
    code: str
    title: str
    schema: dict[str, Any]
    pairs: list[tuple[BundleMember | None, ItemVersion]]
    bundle: Bundle | None = None
    owners: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # field → member versions

    @property
    def draft_key(self) -> str:
        return draft_key(self.kind, self.code)

    @property
    def url(self) -> str:
        return reverse(f"portal:apply_{self.kind}", args=[self.code])

    @property
    def versions(self) -> list[ItemVersion]:
        return [v for _m, v in self.pairs]

    @property
    def founding(self) -> bool:
        """企业开办: a natural person founds a company that does not exist yet (cases.applicants)."""
        return any(v.establishes_entity for v in self.versions)

    @property
    def optional_codes(self) -> set[str]:
        return {m.item.code for m, _v in self.pairs if m is not None and m.optional}

    def departments(self, versions: list[ItemVersion] | None = None) -> list[str]:
        """The departments that handle `versions` (default: every member), each named once."""
        wanted = {v.pk for v in versions} if versions is not None else None
        names = [
            (m.item if m is not None else v.item).department.name
            for m, v in self.pairs
            if wanted is None or v.pk in wanted
        ]
        return list(dict.fromkeys(names))

    def selected(self, chosen: set[str]) -> list[ItemVersion]:
        return [v for m, v in self.pairs if m is None or not m.optional or m.item.code in chosen]

    def schema_for(self, versions: list[ItemVersion]) -> dict[str, Any]:
        if self.bundle is None:
            return self.schema
        used = {name for v in versions for name in (v.form_schema or {}).get("properties") or {}}
        return application_form.subset_schema(self.schema, used)


def item_target(version: ItemVersion) -> Target:
    return Target(
        kind="item",
        code=version.item.code,
        title=version.name,
        schema=version.form_schema or {},
        pairs=[(None, version)],
    )


def bundle_target(bundle: Bundle) -> Target:
    pairs = catalog_selectors.bundle_member_versions(bundle)
    merged, _conflicts = catalog_selectors.bundle_merged_form(bundle)
    owners: dict[str, list[tuple[int, str]]] = {}
    for _member, version in pairs:
        for name in (version.form_schema or {}).get("properties") or {}:
            owners.setdefault(name, []).append((version.pk, version.name))
    return Target(
        kind="bundle",
        code=bundle.code,
        title=bundle.name,
        schema=merged,
        pairs=list(pairs),
        bundle=bundle,
        owners=owners,
    )


@dataclass
class Page:
    """What the apply page shows: the answers, the chosen members and materials, and every problem."""

    target: Target
    raw: application_form.Raw
    chosen: set[str]
    rows: list[mat.MaterialRow]
    key: str
    fields: list[application_form.FormField] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # for no field: shown at the top
    member_errors: list[str] = field(default_factory=list)
    draft: Draft | None = None
    failed: bool = False


@applicant_required
@require_http_methods(["GET", "POST"])
def apply_item(request: HttpRequest, code: str) -> HttpResponse:
    """在线申请（单个事项）."""
    try:
        version = catalog_selectors.item_guide(code)
    except NotFound as exc:
        return not_found(request, exc.message)
    return _apply(request, item_target(version))


@applicant_required
@require_http_methods(["GET", "POST"])
def apply_bundle(request: HttpRequest, code: str) -> HttpResponse:
    """在线申请（一件事）: one form, one set of materials, one submission for every member item."""
    try:
        bundle = catalog_selectors.bundle_detail(code)
    except NotFound as exc:
        return not_found(request, exc.message)
    return _apply(request, bundle_target(bundle))


def _apply(request: HttpRequest, target: Target) -> HttpResponse:
    drafts = DraftStore(request.session)
    if request.method == "GET":
        return _render(request, _fresh(request, target, drafts.get(target.draft_key)))
    intent = request.POST.get("intent", "submit")
    page = _posted(request, target)
    if intent == "discard":
        drafts.delete(target.draft_key)
        messages.info(request, "草稿已删除")
        return redirect(target.url)
    if intent == "draft":
        drafts.save(
            target.draft_key,
            title=target.title,
            url=target.url,
            form=page.raw,
            members=sorted(page.chosen),
            materials={row.key: row.state() for row in page.rows},
        )
        if page.failed:  # a file could not be taken: say so on the page, the rest is saved
            page.draft = drafts.get(target.draft_key)
            return _render(request, page)
        messages.success(request, "草稿已保存。本次登录期间可随时从“我的办件”回到本页继续填写。")
        return redirect(target.url)
    if page.failed:  # a chosen file was refused: show why before anything is submitted
        return _render(request, page)
    return _submit(request, target, page, drafts)


def _upload_limit() -> int:
    from django.conf import settings

    return int(settings.YIWANG_UPLOAD_MAX_BYTES)


def _holders(request: HttpRequest, target: Target) -> Holders:
    return holders_for(current_user(request), signed_in_account(request), founding=target.founding)


def _fresh(request: HttpRequest, target: Target, draft: Draft | None) -> Page:
    user = current_user(request)
    rows = mat.material_rows(target.versions, _holders(request, target))
    if draft is None:
        raw = _prefill(
            signed_in_account(request) if target.founding else user, target.schema, target.founding
        )
        chosen: set[str] = set()
    else:
        raw = draft.form
        chosen = set(draft.members) & target.optional_codes
        for row in rows:
            saved = draft.materials.get(row.key)
            if isinstance(saved, dict):
                row.restore(saved)
                _forget_if_not_owned(user, row)
    return Page(target=target, raw=raw, chosen=chosen, rows=rows, key=str(uuid.uuid4()), draft=draft)


def _forget_if_not_owned(user: User, row: mat.MaterialRow) -> None:
    if not row.document_id:
        return
    try:
        document = document_for(user, row.document_id)
    except NotFound:
        row.document_id = row.document_name = ""
    else:
        row.document_name = document.original_name


def _prefill(user: User, schema: dict[str, Any], founding: bool = False) -> application_form.Raw:
    if founding:
        known = PREFILL_FOUNDER
    else:
        known = PREFILL_PERSON if user.kind == UserKind.PERSON else PREFILL_LEGAL
    values = {name: str(getattr(user, attribute, None) or "") for name, attribute in known.items()}
    return application_form.prefilled(schema, values)


def _posted(request: HttpRequest, target: Target) -> Page:
    user = current_user(request)
    raw = application_form.read_raw(request.POST, target.schema)
    chosen = set(request.POST.getlist("members")) & target.optional_codes
    rows = mat.material_rows(target.versions, _holders(request, target))
    mat.read_rows(request.POST, rows)
    key = request.POST.get("idempotency_key", "")
    page = Page(
        target=target,
        raw=raw,
        chosen=chosen,
        rows=rows,
        key=key if mat.is_uuid(key) else str(uuid.uuid4()),
    )
    # Files sent with the page itself (no script to upload them one by one) are stored first.
    for row in rows:
        upload = request.FILES.get(f"{row.key}.file")
        if upload is None:
            continue
        try:
            document = document_upload(owner=user, upload=upload)
        except DomainError as exc:
            row.errors.append(exc.message)
            page.failed = True
        else:
            row.way, row.document_id, row.document_name = mat.UPLOAD, str(document.id), document.original_name
    return page


def _submit(request: HttpRequest, target: Target, page: Page, drafts: DraftStore) -> HttpResponse:
    user = current_user(request)
    versions = target.selected(page.chosen)
    version_ids = {v.pk for v in versions}
    schema = target.schema_for(versions)
    data = application_form.to_data(schema, page.raw)
    online = [r.key for r in page.rows if r.way == mat.ONLINE and r.material_for(version_ids) is not None]
    generated = ""
    if online and not form_errors(schema, data):
        departments = target.departments(versions)
        generated = str(
            form_document(user=user, title=target.title, departments=departments, schema=schema, data=data).id
        )
    entries, sent = mat.entries_for(page.rows, version_ids, generated=generated)
    try:
        application = application_submit(
            actor=user,
            item=target.code if target.kind == "item" else None,
            bundle=target.code if target.kind == "bundle" else None,
            members=sorted(page.chosen) if target.kind == "bundle" else None,
            form=data,
            materials=entries,
            channel=channel_of(request),
            idempotency_key=page.key,
            sharing_consent=request.POST.get("sharing_consent") == "on",
            agent=getattr(request, "acting_person", None),
        ).application
    except ValidationFailed as exc:
        _place_errors(page, exc.fields, sent, quiet=[] if generated else online)
    except Conflict as exc:
        # The key was used for a different submission (the page was submitted, then changed and sent
        # again): a new key lets the applicant submit this one deliberately.
        page.key = str(uuid.uuid4())
        page.errors.append(
            f"{exc.message}。本页已提交过一份申请，请在“我的办件”中查看；如确需再次申请，请核对后重新提交。"
        )
    except DomainError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        page.errors.append(exc.message)
    else:
        drafts.delete(target.draft_key)
        messages.success(request, f"申请已提交，申办编号 {application.number}。请留意办理进度和补正通知。")
        return redirect("portal:application", number=application.number)
    page.failed = True
    return _render(request, page)


def _place_errors(page: Page, errors: dict[str, list[str]], sent: list[str], *, quiet: list[str]) -> None:
    fields = application_form.build_fields(page.target.schema, raw=page.raw, owners=page.target.owners)
    page.errors.extend(application_form.attach_errors(fields, errors))
    page.fields = fields
    page.errors.extend(mat.attach_errors(page.rows, errors, sent, quiet=quiet))
    page.member_errors.extend(errors.get("members", []))
    for key, messages_ in errors.items():
        if key.split(".")[0] in PAGE_KEYS and key != "form" and not key.startswith("form."):
            page.errors.extend(messages_)


def _render(request: HttpRequest, page: Page) -> HttpResponse:
    target = page.target
    user = current_user(request)
    fields = page.fields or application_form.build_fields(target.schema, raw=page.raw, owners=target.owners)
    members = []
    for member, version in target.pairs:
        if member is None:
            continue
        members.append(
            {
                "code": member.item.code,
                "name": version.name,
                "department": member.item.department.name,
                "optional": member.optional,
                "checked": not member.optional or member.item.code in page.chosen,
                "version_id": version.pk,
                "promised_days": version.promised_limit_days,
                "requires": [
                    d.requires.item.published_version.name
                    for d in member.dependencies.all()
                    if d.requires.item.published_version
                ],
            }
        )
    always = [v.pk for m, v in target.pairs if m is None or not m.optional]
    if target.bundle is not None:
        for f in fields:
            if f.version_ids and not set(f.version_ids) & set(always):
                f.only_for = f.used_by
        for row in page.rows:
            if not set(row.version_ids) & set(always):
                row.only_for = row.needed_by
    summary = _error_summary(fields, page)
    first = target.versions[0]
    founder = signed_in_account(request)
    needs_real_name = any(v.real_name_required for v in target.versions)
    real_name_ok = not needs_real_name or is_real_name_verified(founder)
    if not target.founding:
        application_form.hold_applicant_fields(fields, target.schema)
    person = user.kind == UserKind.PERSON
    context = {
        "nav": "apply",
        "target": target,
        "first": first,
        "departments": target.departments(),
        "fields": fields,
        "rows": page.rows,
        "members": members,
        "always_version_ids": " ".join(str(v) for v in always),
        "page": page,
        "summary": summary,
        "applicant_id": mask_id_number(user.id_number or "") if person else (user.uscc or ""),
        "applicant_id_label": "身份证号" if person else "统一社会信用代码",
        "allowed_types": ALLOWED_TYPES_LABEL,
        "max_upload": human_size(_upload_limit()),
        "max_upload_bytes": _upload_limit(),
        "promised_days": target.bundle.promised_limit_days if target.bundle else first.promised_limit_days,
        "sharing_consent": request.method == "POST" and request.POST.get("sharing_consent") == "on",
        "entity_exists": target.founding and user.kind == UserKind.LEGAL,
        "founder": founder,
        "founder_id": mask_id_number(founder.id_number or ""),
        "real_name_ok": real_name_ok,
        "real_name_message": RealNameRequired("申请该事项").message,
    }
    return render(request, "channels/portal/apply.html", context, status=422 if page.failed else 200)


def _error_summary(fields: list[application_form.FormField], page: Page) -> list[dict[str, str]]:
    """Every problem, in page order, each linking to its place (GOV.UK-style error summary)."""
    items = [{"href": "", "text": message} for message in page.errors]
    if page.member_errors:
        items += [{"href": "#members", "text": message} for message in page.member_errors]
    for f in application_form.walk(fields):
        for message in f.errors:
            items.append({"href": f"#{f.html_id}", "text": f"{f.title}：{message}"})
    for row in page.rows:
        for message in row.errors:
            items.append(
                {"href": f"#{row.key}", "text": message if row.name in message else f"{row.name}：{message}"}
            )
    return items


@applicant_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """上传材料 (htmx): store one file through `document_upload`; answer with its name and hidden id."""
    key = request.GET.get("row", "")
    if not mat.ROW_KEY.match(key):
        return HttpResponseBadRequest("row")
    context: dict[str, Any] = {"key": key, "error": ""}
    try:
        file = request.FILES.get(f"{key}.file")
    except RequestDataTooBig:
        # Only when the CSRF check did not read the body first; otherwise Django answers 400 itself
        # (apply.js refuses such a file before sending it).
        file = None
        context["error"] = f"文件过大，单个文件不能超过 {human_size(_upload_limit())}"
    if file is None and not context["error"]:
        context["error"] = "请选择要上传的文件"
    if file is not None:
        try:
            document = document_upload(owner=current_user(request), upload=file)
        except DomainError as exc:
            context["error"] = exc.message
        else:
            context.update(doc_id=str(document.id), doc_name=document.original_name, oob=True)
    if context["error"]:
        response = render(
            request, "channels/portal/_upload_error.html", context, status=200 if is_htmx(request) else 422
        )
        response["HX-Retarget"] = f"#{key}-upload-error"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "channels/portal/_upload_status.html", context)
