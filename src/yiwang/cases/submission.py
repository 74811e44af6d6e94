"""申办提交: validate an application completely, then store it and fan it out into cases at once."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.selectors import is_real_name_verified, require_real_name
from yiwang.audit import chain as audit_chain
from yiwang.audit import services as audit
from yiwang.audit.models import AuditAction
from yiwang.cases import deadlines, numbers
from yiwang.cases.access import is_applicant
from yiwang.cases.applicant_fields import bind_to_applicant
from yiwang.cases.applicants import Applicant, Problems, entity_to_be, produced_licence_types
from yiwang.cases.formcheck import form_errors
from yiwang.cases.models import (
    ONLINE_CHANNELS,
    ApplicantKind,
    Application,
    ApplicationMaterial,
    Case,
    CaseEvent,
    Channel,
    IdempotencyRecord,
)
from yiwang.cases.pledges import has_open_credit_mark
from yiwang.cases.states import Action, CaseStatus
from yiwang.cases.status import derive_application_status
from yiwang.cases.transitions_core import new_event
from yiwang.catalog import codes, selectors
from yiwang.catalog.models import Bundle, BundleDependency, BundleMember, Department, ItemVersion, Material
from yiwang.core.changes import Kept
from yiwang.core.compiled import Compiled, copy_loaded, remember_related
from yiwang.core.errors import Conflict, DomainError, ValidationFailed
from yiwang.core.identifiers import IdentifierError, normalize_id_number, normalize_uscc
from yiwang.core.inserts import FIRST_KEY, Statement, Written, insert_statement, insert_together, new
from yiwang.sharing.chain import LockedHead


class Forbidden(DomainError):
    status = 403


@dataclass
class Target:
    """What is applied for: the member versions (one for a single item) and the form to fill."""

    versions: list[tuple[BundleMember | None, ItemVersion]]
    schema: dict[str, Any]
    bundle: Bundle | None = None


def request_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def application_submit(
    *,
    actor: User,
    item: str | None = None,
    bundle: str | None = None,
    members: list[str] | None = None,
    applicant: dict[str, Any] | None = None,
    form: dict[str, Any],
    materials: list[dict[str, Any]],
    channel: str,
    idempotency_key: str | None = None,
    sharing_consent: bool = False,
    agent: User | None = None,
) -> tuple[Application, bool]:
    """Submit an application. Returns (application, created); a retry with the same key returns the first.

    `sharing_consent`: the applicant authorises the departments handling this application to look up
    their e-licences and data for it (logged in the use log, visible to them).
    `agent`: the natural person acting for `actor`, a legal person (accounts.acting).
    """
    digest = request_digest(
        {
            "item": item,
            "bundle": bundle,
            "members": members,
            "applicant": applicant,
            "form": form,
            "materials": materials,
            "channel": channel,
            "sharing_consent": sharing_consent,
        }
    )
    # No look-up of the key first: nearly every key is new, and a retry is found by the unique
    # (owner, key) constraint when its record is written, which rolls the retry's work back.
    try:
        with transaction.atomic():
            application, head = _submit(
                actor=actor,
                item=item,
                bundle=bundle,
                members=members,
                applicant=applicant,
                form=form,
                materials=materials,
                channel=channel,
                sharing_consent=sharing_consent,
                agent=agent,
            )
            # Last: the audit chain's head stays locked from the write (or the append) until the
            # commit, so every other submission on the chain waits on it only for the append itself.
            # The key's record is written in the entry's INSERT, a round trip fewer.
            key_record = _key_record(actor, idempotency_key, digest, application) if idempotency_key else []
            _audit_submission(application, actor, item, bundle, along=key_record, head=head)
    except (IntegrityError, DomainError):
        # A retry of a submission that committed (its key's record could not be written), or raced
        # it and lost, answers with the first result; so does one that would no longer pass (the
        # document deleted since, the item withdrawn), as its key is looked up only now.
        replay = _replay(actor, idempotency_key, digest) if idempotency_key else None
        if replay is None:
            raise
        return replay, False
    return application, True


def _key_record(actor: User, key: str, digest: str, application: Application) -> list[Statement]:
    record = new(IdempotencyRecord, owner=actor, key=key, request_digest=digest, application=application)
    return [insert_statement([record])]


def _replay(actor: User, key: str, digest: str) -> Application | None:
    record = _IDEMPOTENCY_RECORD.first(actor.pk, key)
    if record is None:
        return None
    if record.request_digest != digest:
        raise Conflict("idempotency_key_reused", "该 Idempotency-Key 已用于另一份不同的申请")
    return Application.objects.get(pk=record.application_id)


_IDEMPOTENCY_RECORD = Compiled(
    lambda owner, key: IdempotencyRecord.objects.filter(owner_id=owner, key=key).only(
        "request_digest", "application_id"
    ),
    int,
    str,
)


def _submit(
    *,
    actor: User,
    item: str | None,
    bundle: str | None,
    members: list[str] | None,
    applicant: dict[str, Any] | None,
    form: dict[str, Any],
    materials: list[dict[str, Any]],
    channel: str,
    sharing_consent: bool = False,
    agent: User | None = None,
) -> tuple[Application, LockedHead | None]:
    """The stored application, and its audit chain's head when the write locked it."""
    problems = Problems()
    if channel not in Channel.values:
        problems.add("channel", "渠道须为 web、mobile、window、kiosk 或 api")
    target = _target(item, bundle, members, problems)
    if target is None:
        raise ValidationFailed(problems.fields)
    founding = any(v.establishes_entity for _m, v in target.versions)
    who = _applicant(actor, applicant, channel, problems, agent=agent)
    if who is None:
        raise ValidationFailed(problems.fields)
    if is_applicant(actor) and any(v.real_name_required for _m, v in target.versions):
        require_real_name(actor, "申请该事项")
    if founding:
        who = entity_to_be(target.schema, form, founder=who)
    elif isinstance(form, dict):
        form, mismatches = bind_to_applicant(target.schema, form, who.identity())
        for key, messages in mismatches.items():
            for message in messages:
                problems.add(key, message)
    _check_audience(target, who, problems)
    for key, messages in form_errors(target.schema, form).items():
        for message in messages:
            problems.add(key, message)
    provided = collect_materials(
        actor,
        who,
        [v for _m, v in target.versions],
        materials,
        problems,
        produced=produced_licence_types(v for _m, v in target.versions) if founding else frozenset(),
    )
    if problems.fields:
        raise ValidationFailed(problems.fields)
    # Every licence the application uses goes into its holder's use log: taken from the library by the
    # engine (免提交) or named by the applicant on the page.
    used = [p for p in provided if p.licence_identifier]
    sharing = bool(used or sharing_consent)
    # The use log's head is locked before the audit trail's, as everywhere: with a use to log, the
    # audit head is locked by the entry's append, not by the write.
    application, head = _store(
        actor=actor,
        target=target,
        who=who,
        form=form,
        provided=provided,
        channel=channel,
        lock_head=not sharing,
    )
    if sharing:
        consent = sharing_consent or any(p.shared for p in used)
        _record_sharing(application, actor=actor, used=used, consent=consent)
    return application, head


def _audit_submission(
    application: Application,
    actor: User,
    item: str | None,
    bundle: str | None,
    along: list[Statement],
    head: LockedHead | None,
) -> None:
    audit.record(
        action=AuditAction.APPLICATION_SUBMIT,
        obj=application,
        actor=actor,
        detail={
            "item": item,
            "bundle": bundle,
            "channel": application.channel,
            "on_behalf": not is_applicant(actor),
            "cases": [{"number": case.number, "to": case.status} for case in application.cases.all()],
        },
        along=along,
        head=head,
    )


def _record_sharing(application: Application, *, actor: User, used: list[Provided], consent: bool) -> None:
    """Record the consent (given, or implied by letting the engine take licences from the library) and
    log each licence used where its holder can see it."""
    from yiwang.sharing import chain
    from yiwang.sharing.models import Basis, Outcome

    if consent:
        Application.objects.filter(pk=application.pk).update(sharing_consent=True)
        application.sharing_consent = True
    own = is_applicant(actor)
    for p in used:
        chain.append(
            actor_id=actor.pk,
            actor_name=actor.name or actor.username,
            department_id=None if own else actor.department_id,
            department_name="" if own else (actor.department.name if actor.department_id else ""),
            case_number=application.number,
            reason=f"申请“{application.title}”，{'免提交' if p.shared else '使用电子证照'}{p.material.name}"
            if own
            else f"窗口代办“{application.title}”，经申请人当面授权调取{p.material.name}",
            holder_code=p.holder_code,
            licence_identifier=p.licence_identifier,
            action="query",
            fields=[p.material.name],
            outcome=Outcome.GRANTED,
            basis=Basis.HOLDER_SELF if own else Basis.HOLDER_AUTHORISED,
        )


def _target(
    item: str | None, bundle: str | None, members: list[str] | None, problems: Problems
) -> Target | None:
    if bool(item) == bool(bundle):
        problems.add("item", "须指定一个事项（item）或一件事（bundle），且只能指定其一")
        return None
    if item:
        version = _published_version(item)
        if version is None:
            problems.add("item", "未找到该事项或事项未发布")
            return None
        return Target(versions=[(None, version)], schema=version.form_schema)
    found = _published_bundle(bundle or "")
    if found is None:
        problems.add("bundle", "未找到该一件事或尚未发布")
        return None
    pairs = selectors.bundle_member_versions(found)
    chosen = set(members or [])
    unknown = chosen - {m.item.code for m, _ in pairs}
    if unknown:
        problems.add("members", f"不是该一件事的组成事项：{'、'.join(sorted(unknown))}")
    selected = [(m, v) for m, v in pairs if not m.optional or m.item.code in chosen]
    selected_ids = {m.id for m, _ in selected}
    for member, version in selected:
        for dependency in member.dependencies.all():
            if dependency.requires_id not in selected_ids:
                problems.add("members", f"{version.name} 需要先办理 {dependency.requires.item}，请一并勾选")
    schema = _merged_schema(found, selected)
    return Target(versions=list(selected), schema=schema, bundle=found)


def _published_bundle(code: str) -> Bundle | None:
    """The bundle as catalog.selectors.bundle_detail loads it — members with their items' published
    versions and departments, each member's dependencies — in three compiled queries instead of six."""
    found = _BUNDLE.first(code)
    if found is None:
        return None
    members = _BUNDLE_MEMBERS.all(found.pk)
    dependencies: dict[int, list[BundleDependency]] = {m.pk: [] for m in members}
    for dependency in _BUNDLE_DEPENDENCIES.all(found.pk):
        dependencies[dependency.member_id].append(dependency)
    for member in members:
        remember_related(member, "dependencies", dependencies[member.pk])
    remember_related(found, "members", members)
    return found


_BUNDLE = Compiled(
    lambda code: selectors.bundles_published().filter(code=code).order_by()[:1],
    str,
)
_BUNDLE_MEMBERS = Compiled(
    lambda bundle_id: BundleMember.objects.filter(bundle_id=bundle_id).select_related(
        "item__published_version", "item__department"
    ),
    int,
)
_BUNDLE_DEPENDENCIES = Compiled(
    lambda bundle_id: (
        BundleDependency.objects.filter(member__bundle_id=bundle_id)
        .select_related("requires__item__published_version")
        .order_by("id")
    ),
    int,
)


# What a submission reads of an item version (the rest of the guide is for the guide page).
SUBMISSION_VERSION_FIELDS = (
    "id",
    "item_id",
    "version",
    "status",
    "name",
    "recipients",
    "case_type",
    "statutory_limit_days",
    "promised_limit_days",
    "form_schema",
    "establishes_entity",
    "real_name_required",
    "result_licence_type",
    "published_at",
    "item__code",
    "item__department__code",
    "item__department__name",
)


def _published_version(code: str) -> ItemVersion | None:
    """The item's current published version with its item and department: kept in the process while
    the catalog is unchanged (core.changes), else one narrow query."""
    return _PUBLISHED_VERSIONS.get(code)


_PUBLISHED_VERSION = Compiled(
    lambda code: (
        ItemVersion.objects.filter(status=codes.VersionStatus.PUBLISHED, item__code=code)
        .select_related("item__department")
        .only(*SUBMISSION_VERSION_FIELDS)
        .order_by()
    ),  # at most one published version per item
    str,
)
_PUBLISHED_VERSIONS = Kept("yiwang_catalog", load=_PUBLISHED_VERSION.first, copy=copy_loaded)


def _merged_schema(bundle: Bundle, selected: list[tuple[BundleMember, ItemVersion]]) -> dict[str, Any]:
    merged, _conflicts = selectors.bundle_merged_form(bundle)
    used = {name for _m, v in selected for name in (v.form_schema.get("properties") or {})}
    merged["properties"] = {k: v for k, v in merged["properties"].items() if k in used}
    merged["required"] = [k for k in merged["required"] if k in used]
    return merged


def _applicant(
    actor: User, data: dict[str, Any] | None, channel: str, problems: Problems, *, agent: User | None = None
) -> Applicant | None:
    """The applicant: the caller themselves (with the person acting for them, if a company), or — at
    a window — the person the clerk serves."""
    if is_applicant(actor):
        if channel == Channel.WINDOW:
            problems.add("channel", "窗口渠道由综合窗口工作人员代为提交")
        if actor.kind == UserKind.PERSON:
            own = Applicant(ApplicantKind.PERSON, actor.name, "111", actor.id_number or "", user=actor)
        else:
            own = Applicant(
                ApplicantKind.LEGAL,
                actor.name,
                "001",
                actor.uscc or "",
                actor.legal_representative,
                actor.legal_representative_id_number,
                user=actor,
            )
            if agent is not None and agent.kind == UserKind.PERSON:
                own.agent_user, own.agent_name, own.agent_id_number = agent, agent.name, agent.id_number or ""
        if data and str(data.get("id_number") or data.get("uscc") or "").upper() not in ("", own.id_number):
            raise Forbidden("not_own_application", "只能以本人（本单位）名义提交申请；代办请到综合窗口办理")
        return own
    from yiwang.catalog.codes import StaffRole

    if not actor.has_role(StaffRole.WINDOW_CLERK):
        raise Forbidden("cannot_apply", "只有申请人本人或综合窗口工作人员可以提交申请")
    if not isinstance(data, dict):
        problems.add("applicant", "窗口代办须填写申请人信息")
        return None
    kind = data.get("kind", ApplicantKind.PERSON)
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        problems.add("applicant.name", "须填写申请人姓名或单位名称（不超过 100 字）")
    try:
        if kind == ApplicantKind.PERSON:
            number = normalize_id_number(str(data.get("id_number") or ""))
            who = Applicant(ApplicantKind.PERSON, name, "111", number)
            # Only the verified owner of the number sees what the window did for them (实名认证).
            who.user = _verified_account(UserKind.PERSON, id_number=number)
        elif kind == ApplicantKind.LEGAL:
            number = normalize_uscc(str(data.get("uscc") or ""))
            rep = str(data.get("legal_representative") or "").strip()
            if not rep:
                problems.add("applicant.legal_representative", "须填写法定代表人")
            rep_id = str(data.get("legal_representative_id_number") or "")
            rep_id = normalize_id_number(rep_id) if rep_id else ""
            who = Applicant(ApplicantKind.LEGAL, name, "001", number, rep, rep_id)
            who.user = _verified_account(UserKind.LEGAL, uscc=number)
        else:
            problems.add("applicant.kind", "申请人类型须为 person（自然人）或 legal（法人）")
            return None
    except IdentifierError as exc:
        key = "applicant.id_number" if exc.code.startswith("id_number") else "applicant.uscc"
        problems.add(key, exc.message)
        return None
    return who if name else None


def _verified_account(kind: str, **identifier: str) -> User | None:
    return User.objects.filter(kind=kind, **identifier).exclude(real_name_method="").first()


def _check_audience(target: Target, who: Applicant, problems: Problems) -> None:
    person = who.kind == ApplicantKind.PERSON
    for _member, version in target.versions:
        codes_ = version.recipient_codes
        serves = codes.Recipient.NATURAL_PERSON in codes_ if person else any(c != "1" for c in codes_)
        if not serves:
            problems.add("applicant.kind", f"{version.name} 不面向{'自然人' if person else '法人'}办理")


@dataclass
class Provided:
    material: Material
    document: Any = None
    licence_identifier: str = ""
    pledged: bool = False
    shared: bool = False  # taken from the e-licence library without the applicant naming it (免提交)
    from_form: bool = False  # the application form itself, filled in online or at the window
    holder_code: str = ""  # whose licence it is (the applicant's, or the legal representative's …)


# A version's materials, per process. Only published or retired versions are cached: they never
# change (editing drafts version N+1), so the key is the version and its publication time. Any
# write to a version or material empties the cache anyway (tests on SQLite reuse ids after a
# rollback). Bounded: a catalog has a few thousand versions at most.
_MATERIALS: dict[tuple[int, datetime], tuple[Material, ...]] = {}
_MATERIALS_MAX = 4096


def _materials_forget(**kwargs: Any) -> None:
    _MATERIALS.clear()


for _model in (ItemVersion, Material):
    post_save.connect(
        _materials_forget, sender=_model, dispatch_uid=f"submission_materials_{_model.__name__}"
    )
    post_delete.connect(
        _materials_forget, sender=_model, dispatch_uid=f"submission_materials_del_{_model.__name__}"
    )


def _frozen(version: ItemVersion) -> bool:
    return version.status != codes.VersionStatus.DRAFT and version.published_at is not None


def needed_materials(versions: list[ItemVersion]) -> dict[str, list[Material]]:
    """Materials by share key: a paper several member items need is one entry."""
    by_version: dict[int, tuple[Material, ...]] = {}
    missing = []
    for version in versions:
        cached = _MATERIALS.get((version.pk, version.published_at)) if _frozen(version) else None
        if cached is None:
            missing.append(version)
        else:
            by_version[version.pk] = cached
    if missing:
        loaded: dict[int, list[Material]] = {v.pk: [] for v in missing}
        for material in (
            Material.objects.filter(version__in=missing)
            .select_related("version")
            .order_by("version_id", "order", "id")
        ):
            loaded[material.version_id].append(material)
        if len(_MATERIALS) >= _MATERIALS_MAX:
            _MATERIALS.clear()
        for version in missing:
            by_version[version.pk] = tuple(loaded[version.pk])
            if _frozen(version):
                _MATERIALS[(version.pk, version.published_at)] = by_version[version.pk]
    by_key: dict[str, list[Material]] = {}
    for version_id in sorted(by_version):
        for material in by_version[version_id]:
            by_key.setdefault(material.share_key, []).append(material)
    return by_key


def collect_materials(
    actor: User,
    who: Applicant,
    versions: list[ItemVersion],
    entries: list[dict[str, Any]],
    problems: Problems,
    *,
    require_all: bool = True,
    produced: frozenset[str] = frozenset(),
) -> list[Provided]:
    """Check each provided material (document, licence or pledge); with require_all, report what is missing.

    `produced`: licence types a member of this application issues (企业开办's 营业执照): asked of nobody.
    E-licences are drawn only for an applicant the platform trusts (实名认证, or in person at a window)
    and only those of the applicant or its 经办人 (`Applicant.drawable_codes`).
    """
    from yiwang.documents.models import Document

    needed = needed_materials(versions)
    drawable = who.drawable_codes() if not is_applicant(actor) or is_real_name_verified(actor) else set()
    key_of = {m.id: key for key, group in needed.items() for m in group}
    # The caller's documents named in the request, in one query.
    wanted = {
        uuid.UUID(str(entry["document"]))
        for entry in entries
        if isinstance(entry, dict) and entry.get("document") is not None and _is_uuid(entry["document"])
    }
    if len(wanted) == 1:  # the usual case, and a compiled query
        documents = {d.pk: d for d in _OWN_DOCUMENT.all(next(iter(wanted)), actor.pk)}
    else:
        documents = (
            {d.pk: d for d in Document.objects.filter(pk__in=wanted, owner=actor).order_by()}
            if wanted
            else {}
        )
    provided: dict[str, Provided] = {}
    for i, entry in enumerate(entries):
        where = f"materials[{i}]"
        material_id = entry.get("material") if isinstance(entry, dict) else None
        key = key_of.get(material_id) if isinstance(material_id, int) else None
        if not isinstance(entry, dict) or key is None:
            problems.add(f"{where}.material", "不是所申请事项的申请材料")
            continue
        material = needed[key][0]
        if key in provided:
            problems.add(f"{where}.material", f"“{material.name}”重复提交")
            continue
        if material.licence_type_code in produced:
            problems.add(
                f"{where}.material", f"“{material.name}”由本次申请的设立登记办结后自动提供，无需提交"
            )
            continue
        ways = [entry.get("document") is not None, bool(entry.get("licence")), bool(entry.get("pledge"))]
        if sum(ways) != 1:
            problems.add(where, f"“{material.name}”须以上传文件、电子证照或告知承诺三者之一提供")
            continue
        if entry.get("document") is not None:
            document = (
                documents.get(uuid.UUID(str(entry["document"]))) if _is_uuid(entry["document"]) else None
            )
            if document is None:
                problems.add(f"{where}.document", "未找到该文件，请先上传")
                continue
            provided[key] = Provided(material, document=document)
        elif entry.get("licence"):
            holder = who.holder_code(material).upper()
            identifier = _licence_for(holder, material, str(entry["licence"])) if holder in drawable else None
            if identifier is None:
                holder_label = codes.LicenceHolder(material.licence_holder).label
                problems.add(f"{where}.licence", f"未找到{holder_label}持有的有效电子证照")
                continue
            provided[key] = Provided(material, licence_identifier=identifier, holder_code=holder)
        else:
            if has_open_credit_mark(who.credit_code):
                problems.add(
                    f"{where}.pledge",
                    "存在未修复的承诺不实记录，暂不能适用告知承诺，请提交材料（信用修复后可恢复）",
                )
                continue
            if not any(m.pledge_allowed for m in needed[key]):
                problems.add(f"{where}.pledge", f"“{material.name}”不适用告知承诺，须提交材料")
                continue
            provided[key] = Provided(material, pledged=True)
    for key, group in needed.items():
        if require_all and group[0].licence_type_code in produced:
            continue
        if require_all and key not in provided:
            shared = _shared_licence(who, group, drawable)
            if shared is not None:
                provided[key] = shared
                continue
            if all(m.is_application_form for m in group):
                # The application form is the form the applicant just filled in: no paper to hand in.
                provided[key] = Provided(group[0], from_form=True)
                continue
        if require_all and key not in provided and any(m.required for m in group):
            items = "、".join(dict.fromkeys(m.version.name for m in group))
            problems.add(f"materials.{group[0].id}", f"缺少必要材料：{group[0].name}（{items}）")
    return list(provided.values())


def provided_material(application: Application, p: Provided, **extra: Any) -> ApplicationMaterial:
    """The application's record of one provided material, not yet written."""
    return new(
        ApplicationMaterial,
        application=application,
        material=p.material,
        share_key=p.material.share_key,
        document=p.document,
        licence_identifier=p.licence_identifier,
        pledged=p.pledged,
        pledge_text=p.material.pledge_text if p.pledged else "",
        **extra,
    )


def _own_document(pk: uuid.UUID, owner: int) -> Any:
    from yiwang.documents.models import Document

    return Document.objects.filter(pk=pk, owner_id=owner)


_OWN_DOCUMENT = Compiled(_own_document, uuid.UUID, int)


def _shared_licence(who: Applicant, group: list[Material], drawable: set[str]) -> Provided | None:
    """免提交: a material a shared e-licence proves is taken from the library when its holder (the
    applicant, or its legal representative or 经办人 as the material says) holds a valid one and may
    use it for this application — never asked again (国务院令第716号)."""
    type_code = next((m.licence_type_code for m in group if m.licence_type_code), "")
    holder = who.holder_code(group[0]).upper()
    if not type_code or holder not in drawable or not apps.is_installed("yiwang.licences"):
        return None
    from yiwang.licences.selectors import licence_find_valid  # type: ignore[import-not-found]

    licence = licence_find_valid(holder_code=holder, type_code=type_code)
    if licence is None:
        return None
    return Provided(group[0], licence_identifier=licence.identifier, shared=True, holder_code=holder)


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _licence_for(holder: str, material: Material, identifier: str) -> str | None:
    """The licence `identifier` if `holder` holds it and it is of the material's type (library if installed)."""
    if not material.licence_type_code or not apps.is_installed("yiwang.licences"):
        return None
    from yiwang.licences.selectors import licence_satisfying  # type: ignore[import-not-found]

    return licence_satisfying(
        holder=holder, licence_type_code=material.licence_type_code, identifier=identifier
    )


def _store(
    *,
    actor: User,
    target: Target,
    who: Applicant,
    form: dict[str, Any],
    provided: list[Provided],
    channel: str,
    lock_head: bool = False,
) -> tuple[Application, LockedHead | None]:
    """Write the application, its materials, its cases and their first events: on PostgreSQL in one
    statement (core.inserts.insert_together), the application's number drawn in it; with `lock_head`,
    the same statement locks the head of the application's audit chain and returns it.

    Online submissions go straight to 预审 by the department (the case is stored in its final state,
    with both events); window ones are checked on the spot. The returned application carries what
    was written as prefetched relations, so presenting it needs no further query.
    """
    now = timezone.now()
    today = timezone.localdate()
    single = target.bundle is None
    point_id = actor.service_point_id if channel in (Channel.WINDOW, Channel.KIOSK) else None
    online = channel in ONLINE_CHANNELS
    status = CaseStatus.PRE_REVIEW if online else CaseStatus.SUBMITTED
    drawn = numbers.application_number_sql()
    application = new(
        Application,
        number="" if drawn else numbers.application_number(),
        item_version=target.versions[0][1] if single else None,
        bundle=target.bundle,
        status=derive_application_status([status] * len(target.versions)),
        channel=channel,
        applicant_user=who.user,
        applicant_kind=who.kind,
        applicant_name=who.name,
        applicant_id_type=who.id_type,
        applicant_id_number=who.id_number,
        legal_representative=who.legal_representative,
        legal_representative_id_number=who.legal_representative_id_number,
        agent_user=who.agent_user,
        agent_name=who.agent_name,
        agent_id_number=who.agent_id_number,
        submitted_by=actor,
        service_point_id=point_id,
        form=form,
        region_code=settings.YIWANG_REGION_CODE,
    )
    materials = [
        provided_material(application, p, from_library=p.shared, from_form=p.from_form) for p in provided
    ]
    supplement_deadline = deadlines.supplement_deadline(today)
    cases = []
    for index, (member, version) in enumerate(target.versions, start=1):
        item = member.item if member is not None else version.item
        if not _VERSION_ITEM.is_cached(version):
            _VERSION_ITEM.set_cached_value(version, item)
        own_fields = set((version.form_schema.get("properties") or {}).keys())
        case = new(
            Case,
            number=Written(application, "number", numbers.case_number_suffix(index)),
            application=application,
            item_version=version,
            department=_department(item),
            bundle_member=member,
            status=status,
            revision=1 if online else 0,
            case_type=version.case_type,
            data={k: v for k, v in form.items() if k in own_fields},
            received_on=today,
            supplement_deadline=supplement_deadline,
            promised_days=version.promised_limit_days,
            statutory_days=version.statutory_limit_days,
            service_point_id=point_id,
        )
        _SUPPLEMENT_REQUEST.set_cached_value(case, None)  # a case written just now has no 补正 notice
        cases.append(case)
    role = "applicant" if is_applicant(actor) else "window_clerk"
    events: list[list[CaseEvent]] = []
    for case in cases:
        own = [
            new_event(
                case,
                action=Action.SUBMIT,
                from_status="",
                to_status=CaseStatus.SUBMITTED,
                actor=actor,
                role=role,
                channel=channel,
                at=now,
            )
        ]
        if online:
            own.append(
                new_event(
                    case,
                    action=Action.PRE_REVIEW,
                    from_status=CaseStatus.SUBMITTED,
                    to_status=CaseStatus.PRE_REVIEW,
                    actor=None,
                    role="system",
                    channel=channel,
                    at=now,
                )
            )
        events.append(own)
    locked = insert_together(
        [[application], materials, cases, [event for own in events for event in own]],
        computed={"number": drawn} if drawn else None,
        then=audit_chain.head_lock(FIRST_KEY) if lock_head else None,
    )
    for case, own in zip(cases, events, strict=True):
        remember_related(case, "events", own)
    cases.sort(key=lambda c: c.number)
    remember_related(application, "cases", cases)
    remember_related(application, "materials", materials)
    head = LockedHead(*locked) if locked is not None and locked[0] is not None else None
    return application, head


_VERSION_ITEM = ItemVersion._meta.get_field("item")
_SUPPLEMENT_REQUEST = Case._meta.get_field("supplement_request")


def _department(item: Any) -> Department:
    """The item's department as loaded with it (select_related), else by its id."""
    field_ = item._meta.get_field("department")
    return (
        field_.get_cached_value(item)
        if field_.is_cached(item)
        else Department.objects.get(pk=item.department_id)
    )
