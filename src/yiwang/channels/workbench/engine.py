"""What the workbench pages read of the case engine, shaped for the pages: which buttons a page shows,
what the desk is starting, the materials and documents a case shows, supervision's counts.

What may be done is the engine's answer (cases.selectors: `case_actions_available`,
`application_actions_available`); a page only chooses which of those actions it offers where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from yiwang.accounts.models import User
from yiwang.cases import access, selectors
from yiwang.cases.applicants import Problems
from yiwang.cases.models import Application, ApplicationMaterial, Case, SupplementRequest
from yiwang.cases.states import Action
from yiwang.cases.targets import application_target
from yiwang.catalog.models import BundleDependency, ItemVersion
from yiwang.channels.workbench import present
from yiwang.core.errors import NotFound
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
# The actions the application page offers: intake of the whole application.
INTAKE = (Action.ACCEPT, Action.REFUSE, Action.REQUEST_SUPPLEMENT)


def case_buttons(case: Case, available: list[str]) -> list[str]:
    """The case page's buttons for the engine's `available` actions (presenters.case_detail's
    "allowed_actions"). A bundle member's acceptance is offered as its application's (whole_accept)."""
    return [
        a
        for a in available
        if a in CASE_PAGE_ACTIONS and not (a == Action.ACCEPT and case.bundle_member_id is not None)
    ]


def application_buttons(user: User, application: Application, cases: list[Case]) -> list[str]:
    """The application page's intake buttons: those of the engine's available actions on the whole
    application that are intake."""
    available = selectors.application_actions_available(user, application, cases)
    return [a for a in INTAKE if a in available]


# ---- what is applied for ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskTarget:
    """What the desk is starting: the member versions, the form, and the optional members to choose from."""

    versions: list[tuple[Any, ItemVersion]]
    schema: dict[str, Any]
    bundle: Any = None
    problems: dict[str, list[str]] = field(default_factory=dict)


def submission_target(*, item: str = "", bundle: str = "", members: list[str] | None = None) -> DeskTarget:
    """The versions and (merged) form the engine will validate a submission against."""
    problems = Problems()
    target = application_target(item or None, bundle or None, members, problems)
    if target is None:
        raise NotFound("未找到该事项或一件事，或尚未发布", code="target_not_found")
    return DeskTarget(
        versions=list(target.versions), schema=target.schema, bundle=target.bundle, problems=problems.fields
    )


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
    case = selectors.load_case(user, number)
    material = case_materials(case).filter(document_id=_uuid(document_id)).first()
    if material is None or material.document is None:
        raise NotFound("未找到该材料", code="document_not_found")
    return case, material.document


def application_document(user: User, number: str, document_id: str) -> tuple[Application, Document]:
    application = selectors.load_application(user, number)
    material = application_materials(application).filter(document_id=_uuid(document_id)).first()
    if material is None or material.document is None:
        raise NotFound("未找到该材料", code="document_not_found")
    return application, material.document


# ---- applicants and pledge checks ------------------------------------------------------------------


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
