"""Reads of ratings and requests: the published figures (computed from the rows every time), the lists
each post works from, and who may see which request and its submitter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Case
from yiwang.catalog.models import Department, ServiceItem
from yiwang.feedback import rules
from yiwang.feedback.models import (
    BAD_LEVELS,
    GOOD_LEVELS,
    OPEN_STAGES,
    BadRatingTask,
    Rating,
    RatingAppeal,
    ServiceRequest,
    Stage,
    TaskStatus,
    tracking_digest,
)


@dataclass(frozen=True)
class Figures:
    """好差评 figures of some ratings. 好评率: 好评 among the counted ratings (a 追评 replaces the first
    rating; a rating whose appeal was upheld does not count); 差评整改率: first 差评 (not set aside) whose
    整改 was reported, among all of them."""

    ratings: int
    good: int
    bad: int
    bad_first: int
    rectified: int

    @property
    def good_rate(self) -> float | None:
        return self.good / self.ratings if self.ratings else None

    @property
    def rectified_rate(self) -> float | None:
        return self.rectified / self.bad_first if self.bad_first else None


COUNTED = Q(current=True, excluded=False)
FIRST_BAD = Q(previous__isnull=True, excluded=False, level__in=BAD_LEVELS)
_AGGREGATES = {
    "ratings": Count("pk", filter=COUNTED),
    "good": Count("pk", filter=COUNTED & Q(level__in=GOOD_LEVELS)),
    "bad": Count("pk", filter=COUNTED & Q(level__in=BAD_LEVELS)),
    "bad_first": Count("pk", filter=FIRST_BAD),
    "rectified": Count("pk", filter=FIRST_BAD & Q(task__status=TaskStatus.DONE)),
}


def figures(ratings: QuerySet[Rating] | None = None) -> Figures:
    row = (ratings if ratings is not None else Rating.objects.all()).aggregate(**_AGGREGATES)
    return Figures(**{k: row[k] or 0 for k in _AGGREGATES})


def figures_by(field: str, ratings: QuerySet[Rating] | None = None) -> dict[int, Figures]:
    """Figures per department or item (`field` = "department" / "item"), keyed by its id."""
    rows = (ratings if ratings is not None else Rating.objects.all()).values(field).annotate(**_AGGREGATES)
    return {r[field]: Figures(**{k: r[k] or 0 for k in _AGGREGATES}) for r in rows if r[field] is not None}


@dataclass(frozen=True)
class DepartmentFigures:
    department: Department
    figures: Figures
    requests: int
    requests_closed: int
    requests_on_time: int

    @property
    def on_time_rate(self) -> float | None:
        return self.requests_on_time / self.requests_closed if self.requests_closed else None


def public_figures(*, since: date | None = None) -> list[DepartmentFigures]:
    """The public page: every department with ratings or requests, most rated first."""
    ratings = Rating.objects.all()
    requests = ServiceRequest.objects.filter(department__isnull=False)
    if since is not None:
        ratings = ratings.filter(created_at__date__gte=since)
        requests = requests.filter(received_on__gte=since)
    by_department = figures_by("department", ratings)
    request_rows = {
        r["department"]: r
        for r in requests.values("department").annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(stage=Stage.CLOSED)),
            on_time=Count("pk", filter=Q(stage=Stage.CLOSED, closed_on_time=True)),
        )
    }
    empty = Figures(0, 0, 0, 0, 0)
    ids = set(by_department) | set(request_rows)
    rows = []
    for department in Department.objects.filter(pk__in=ids):
        r = request_rows.get(department.pk, {})
        rows.append(
            DepartmentFigures(
                department,
                by_department.get(department.pk, empty),
                r.get("total", 0),
                r.get("closed", 0),
                r.get("on_time", 0),
            )
        )
    return sorted(rows, key=lambda d: (-d.figures.ratings, d.department.code))


def item_figures(item: ServiceItem) -> Figures:
    return figures(Rating.objects.filter(item=item))


def case_rating(case: Case) -> Rating | None:
    """The case's 一事一评 as it counts now (the 追评 when there is one)."""
    return (
        Rating.objects.filter(case=case, scope="matter", current=True)
        .select_related("task")
        .order_by("-created_at")
        .first()
    )


def first_rating(case: Case) -> Rating | None:
    return (
        Rating.objects.filter(case=case, scope="matter", previous__isnull=True).select_related("task").first()
    )


def recent_comments(*, item: ServiceItem | None = None, limit: int = 5) -> QuerySet[Rating]:
    """Published words of raters (no names), newest first."""
    ratings = Rating.objects.filter(COUNTED).exclude(text="").order_by("-created_at")
    if item is not None:
        ratings = ratings.filter(item=item)
    return ratings[:limit]


# 差评整改


def tasks_of_department(department_id: int, *, open_only: bool = True) -> QuerySet[BadRatingTask]:
    tasks = BadRatingTask.objects.filter(department_id=department_id).select_related(
        "rating__case__item_version", "rating__item"
    )
    if open_only:
        tasks = tasks.filter(status__in=(TaskStatus.CALLBACK, TaskStatus.RECTIFYING))
    return tasks.order_by("fix_due", "pk")


def task_of(user: User, task_id: int) -> BadRatingTask | None:
    """The task as `user` may see it: their department's, or any for a supervisor."""
    tasks = BadRatingTask.objects.select_related(
        "rating__case__item_version", "rating__case__application", "rating__item", "department"
    )
    if not user.has_role(StaffRole.SUPERVISOR):
        tasks = tasks.filter(department_id=user.department_id or 0)
    return tasks.filter(pk=task_id).first()


def overdue_tasks(*, today: date | None = None) -> QuerySet[BadRatingTask]:
    """红牌: 回访 or 整改 past its limit and not done."""
    today = today or rules.today()
    return (
        BadRatingTask.objects.filter(
            Q(status=TaskStatus.CALLBACK, callback_due__lt=today)
            | Q(status__in=(TaskStatus.CALLBACK, TaskStatus.RECTIFYING), fix_due__lt=today)
        )
        .select_related("department", "rating__case__item_version", "rating__item")
        .order_by("fix_due", "pk")
    )


def appeals_pending() -> QuerySet[RatingAppeal]:
    return (
        RatingAppeal.objects.filter(upheld__isnull=True)
        .select_related("rating__department", "rating__case__item_version", "filed_by")
        .order_by("filed_at")
    )


# 诉求


def request_visible_to(user: User) -> Q:
    """Which requests `user` sees: the hotline centre and supervision all; a department the ones it holds
    or held (a returned request stays readable to whoever returned it); an applicant their own."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.kind != UserKind.STAFF:
        return Q(submitter=user)
    if any(
        user.has_role(r) for r in (StaffRole.SUPERVISOR, StaffRole.DISPATCHER, StaffRole.HOTLINE_OPERATOR)
    ):
        return Q()
    if user.department_id is None:
        return Q(pk__in=[])
    return Q(department_id=user.department_id) | Q(events__department_id=user.department_id)


def request_of(user: User, number: str) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.filter(request_visible_to(user), number=number)
        .select_related("department", "item", "case", "submitter")
        .distinct()
        .first()
    )


def submitter_visible(user: User | None, request: ServiceRequest) -> bool:
    """举报人保护: a report's submitter is shown to the hotline centre only (who must call them back),
    never to a department — the one reported may be it — nor to supervision or an export."""
    if request.anonymous:
        return False
    if user is None or not user.is_authenticated:
        return False
    if user.kind != UserKind.STAFF:
        return request.submitter_id == user.pk
    if request.protected:
        return user.has_role(StaffRole.HOTLINE_OPERATOR) or user.has_role(StaffRole.DISPATCHER)
    return True


def requests_pool() -> QuerySet[ServiceRequest]:
    """待派单: what the classifier was unsure of, and what departments returned."""
    return ServiceRequest.objects.filter(stage=Stage.RECEIVED).order_by("received_at")


def requests_extension_pending() -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(extension="pending").select_related("department").order_by("due")


def requests_of_department(department_id: int, *, open_only: bool = True) -> QuerySet[ServiceRequest]:
    requests = ServiceRequest.objects.filter(department_id=department_id).select_related("item")
    if open_only:
        requests = requests.exclude(stage=Stage.CLOSED)
    return requests.order_by("due", "received_at")


def requests_supervised() -> QuerySet[ServiceRequest]:
    return (
        ServiceRequest.objects.filter(stage=Stage.SUPERVISED)
        .select_related("department")
        .order_by("supervision_due")
    )


def requests_overdue(*, today: date | None = None) -> QuerySet[ServiceRequest]:
    """Open requests past their due date, or not signed by their sign date."""
    today = today or rules.today()
    return (
        ServiceRequest.objects.filter(stage__in=OPEN_STAGES)
        .filter(Q(due__lt=today) | Q(stage=Stage.DISPATCHED, sign_due__lt=today))
        .select_related("department")
        .order_by("due")
    )


def requests_of_case(case: Case) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(case=case).order_by("-received_at")


def requests_of_submitter(user: User) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(submitter=user).select_related("department").order_by("-received_at")


def request_by_tracking(code: str) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.filter(tracking_digest=tracking_digest(code))
        .select_related("department")
        .first()
    )
