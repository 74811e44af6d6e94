"""What the workbench asks the case engine that the engine does not yet answer in one public call.

Every function reads through the engine's own functions and models. Where the engine refuses an
action only when it is tried (not in `presenters.case_detail(...)["allowed_actions"]`), the check is
named here once, with the engine function it mirrors, so that no page shows a button the engine
would refuse. Each of these is listed as a request to the case engine in the issue note; when the
engine answers it, the mirror here goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from yiwang.accounts.models import User, UserKind
from yiwang.cases import access, services, submission
from yiwang.cases.models import Application, ApplicationMaterial, Case, PledgeCheck, SupplementRequest
from yiwang.cases.states import BEFORE_ACCEPTANCE, Action, allowed_actions
from yiwang.catalog.codes import StaffRole
from yiwang.catalog.models import BundleDependency, ItemVersion, Material
from yiwang.channels.workbench import present
from yiwang.core.errors import DomainError, NotFound
from yiwang.documents.models import Document

# The actions the case page offers (the applicant's own — supplement, withdraw — are not offered there).
CASE_PAGE_ACTIONS = (
    Action.ACCEPT,
    Action.REFUSE,
    Action.REQUEST_SUPPLEMENT,
    Action.START_REVIEW,
    Action.SUSPEND,
    Action.RESUME,
    Action.EXTEND,
    Action.APPROVE,
    Action.DENY,
    Action.COMPLETE,
)
INTAKE = (Action.ACCEPT, Action.REFUSE, Action.REQUEST_SUPPLEMENT)


def _past_notice_deadline(case: Case) -> bool:
    # services.deem_accepted_if_due: past the §32 deadline the case counts as accepted on receipt,
    # so refusing or asking for a correction is no longer possible.
    return case.status in BEFORE_ACCEPTANCE and timezone.localdate() > case.supplement_deadline


def _supplement_asked(case: Case) -> bool:
    # services._request_supplement: one 补正 notice per case (行政许可法 §32).
    return SupplementRequest.objects.filter(case=case).exists()


def case_buttons(case: Case, allowed: list[str]) -> list[str]:
    """The engine's allowed actions on the case page, less those its services would refuse anyway."""
    actions = [a for a in allowed if a in CASE_PAGE_ACTIONS]
    if case.bundle_member_id is not None:
        # services.case_accept: a bundle is accepted as a whole (offered as an application action).
        actions = [a for a in actions if a != Action.ACCEPT]
    if case.extension_days:
        actions = [a for a in actions if a != Action.EXTEND]  # services.case_extend: once only
    if _past_notice_deadline(case):
        actions = [a for a in actions if a not in (Action.REFUSE, Action.REQUEST_SUPPLEMENT)]
    if Action.REQUEST_SUPPLEMENT in actions and _supplement_asked(case):
        actions.remove(Action.REQUEST_SUPPLEMENT)
    return actions


def may_act_on_whole(user: User, application: Application) -> bool:
    """services._bundle_intake_allowed: the window, or the lead department, acts on the whole application."""
    try:
        services._bundle_intake_allowed(user, application)
    except DomainError:
        return False
    return True


def engine_allowed(user: User, case: Case) -> list[str]:
    """What the engine allows this user on this case: their post's actions ∩ the state machine's
    (the same as `presenters.case_detail(case, user)["allowed_actions"]`, without building the rest)."""
    permitted = access.case_actions_for(user, case)
    return [a for a in allowed_actions(case.status) if a in permitted and a != Action.PRE_REVIEW]


def application_buttons(user: User, application: Application, cases: list[Case]) -> list[str]:
    """Intake actions on the whole application: each allowed by the engine on at least one of its cases."""
    raw = {c.pk: engine_allowed(user, c) for c in cases}
    per_case = {c.pk: case_buttons(c, raw[c.pk]) for c in cases}
    offered: list[str] = []
    if application.bundle_id is None:
        return [a for a in INTAKE if cases and a in per_case[cases[0].pk]]
    whole = may_act_on_whole(user, application)
    pending = [c for c in cases if c.status in BEFORE_ACCEPTANCE]
    if whole and any(Action.ACCEPT in raw[c.pk] and not _past_notice_deadline(c) for c in pending):
        offered.append(Action.ACCEPT)
    if any(Action.REFUSE in per_case[c.pk] for c in cases):
        offered.append(Action.REFUSE)
    if whole and any(Action.REQUEST_SUPPLEMENT in per_case[c.pk] for c in pending):
        # services._application_request_supplement asks every pending case: none may have been asked.
        if not any(_supplement_asked(c) for c in pending):
            offered.append(Action.REQUEST_SUPPLEMENT)
    return offered


# ---- what is applied for ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What the desk is starting: the member versions, the form, and the optional members to choose from."""

    versions: list[tuple[Any, ItemVersion]]
    schema: dict[str, Any]
    bundle: Any = None
    problems: dict[str, list[str]] = field(default_factory=dict)


def submission_target(*, item: str = "", bundle: str = "", members: list[str] | None = None) -> Target:
    """The versions and (merged) form the engine will validate a submission against."""
    problems = submission.Problems()
    # submission._target resolves items, bundles and chosen optional members exactly as a submission does.
    target = submission._target(item or None, bundle or None, members, problems)
    if target is None:
        raise NotFound("未找到该事项或一件事，或尚未发布", code="target_not_found")
    return Target(
        versions=list(target.versions), schema=target.schema, bundle=target.bundle, problems=problems.fields
    )


def needed_materials(versions: list[ItemVersion]) -> dict[str, list[Material]]:
    return submission.needed_materials(versions)


# ---- bundle handover ----------------------------------------------------------------------------


def field_titles(case: Case) -> dict[str, str]:
    """Titles of form fields: the case's own form, then the forms of the members it hands over to."""
    titles: dict[str, str] = {}
    schemas = [case.item_version.form_schema or {}]
    if case.bundle_member_id is not None:
        for dependency in BundleDependency.objects.filter(requires_id=case.bundle_member_id).select_related(
            "member__item__published_version"
        ):
            version = dependency.member.item.published_version
            if version is not None:
                schemas.append(version.form_schema or {})
    for schema in schemas:
        for name, title in present.schema_titles(schema).items():
            titles.setdefault(name, title)
    return titles


# ---- materials and their documents --------------------------------------------------------------


def case_materials(case: Case) -> QuerySet[ApplicationMaterial]:
    """The application's materials that stand for this case's item's materials (by share key)."""
    keys = [m.share_key for m in case.item_version.materials.all()]
    return (
        ApplicationMaterial.objects.filter(application_id=case.application_id, share_key__in=keys)
        .select_related("material", "document")
        .order_by("material__order", "id")
    )


def application_materials(application: Application) -> QuerySet[ApplicationMaterial]:
    return (
        ApplicationMaterial.objects.filter(application=application)
        .select_related("material__version", "document")
        .order_by("id")
    )


def _uuid(value: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound("未找到该材料", code="document_not_found") from None


def case_document(user: User, number: str, document_id: str) -> tuple[Case, Document]:
    """A document of a case the user may see: visibility of the case, not ownership of the document."""
    case = services.load_case(user, number)
    material = case_materials(case).filter(document_id=_uuid(document_id)).first()
    if material is None or material.document is None:
        raise NotFound("未找到该材料", code="document_not_found")
    return case, material.document


def application_document(user: User, number: str, document_id: str) -> tuple[Application, Document]:
    application = services.load_application(user, number)
    material = application_materials(application).filter(document_id=_uuid(document_id)).first()
    if material is None or material.document is None:
        raise NotFound("未找到该材料", code="document_not_found")
    return application, material.document


# ---- applicants and pledge checks ------------------------------------------------------------------


def registered_applicant(kind: str, number: str) -> User | None:
    """The applicant's own account, if they have one (submission._applicant links it the same way)."""
    if kind == "legal":
        return User.objects.filter(kind=UserKind.LEGAL, uscc=number).first()
    # Only a verified account is the number's owner; an unverified one may be anyone's (实名认证).
    return User.objects.filter(kind=UserKind.PERSON, id_number=number).exclude(real_name_method="").first()


def may_conclude(user: User, check: PledgeCheck) -> bool:
    """pledges.pledge_check_conclude: an officer or head of the checking department concludes."""
    return user.department_id == check.department_id and (
        user.has_role(StaffRole.OFFICER) or user.has_role(StaffRole.DEPARTMENT_HEAD)
    )


def supplement_requests(cases: list[Case]) -> dict[int, SupplementRequest]:
    """The 补正 notice of each case that has one, by case id."""
    return {r.case_id: r for r in SupplementRequest.objects.filter(case__in=cases)}


def visible_case_ids(user: User, cases: list[Case]) -> set[int]:
    return set(access.visible_cases(user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True))


# ---- supervision --------------------------------------------------------------------------------


def department_counts(user: User) -> list[dict[str, Any]]:
    """Per department: open cases and red / yellow lights (supervision's first view; bounded by departments)."""
    from django.db.models import Count

    from yiwang.cases import selectors
    from yiwang.cases.deadlines import Warning
    from yiwang.cases.states import FINAL
    from yiwang.catalog.models import Department

    def by_department(cases: QuerySet[Case]) -> dict[int, int]:
        return dict(
            cases.order_by().values("department_id").annotate(n=Count("pk")).values_list("department_id", "n")
        )

    open_ = by_department(access.visible_cases(user).exclude(status__in=FINAL))
    red = by_department(selectors.case_list(user, warning=Warning.RED))
    yellow = by_department(selectors.case_list(user, warning=Warning.YELLOW))
    return [
        {
            "department": d,
            "open": open_.get(d.pk, 0),
            "red": red.get(d.pk, 0),
            "yellow": yellow.get(d.pk, 0),
        }
        for d in Department.objects.order_by("order", "code")
        if d.pk in open_ or d.pk in red or d.pk in yellow
    ]
