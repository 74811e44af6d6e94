"""好差评: rating a service. 一事一评 — the applicant rates a case once after it ends (online, the link in
the SMS or inbox, the kiosk); 一次一评 — the person at a window rates the visit on the window's 评价器;
追评 — the rater's one further word after the department's 整改. A 差评 opens a task for the department
that handled it (`rectification`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.cases.access import is_own_application
from yiwang.cases.models import Case
from yiwang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiwang.feedback import rectification, rules
from yiwang.feedback.models import (
    BAD_LEVELS,
    Level,
    Rating,
    RatingChannel,
    RatingInvitation,
    Scope,
)
from yiwang.feedback.options import indicators as indicator_table
from yiwang.feedback.options import options

TEXT_MAX = 500
ALREADY_RATED = "该办件已评价过，每件办件只能评价一次（整改后可追评一次）"
INVITATION_MINUTES = 15  # an invitation the person at the desk did not answer lapses


def _validate(
    level: Any, chosen: Any, marks: Any, text: Any, *, onsite: bool
) -> tuple[int, list[str], dict[str, int], str]:
    """The rating's parts, checked; every problem as a field error in Chinese."""
    errors: dict[str, list[str]] = {}
    if not isinstance(level, int) or isinstance(level, bool) or level not in Level.values:
        errors["level"] = ["请选择评价等级（1～5 星）"]
        level = 0
    codes: list[str] = []
    unknown: list[str] = []
    wrong: list[str] = []
    if not isinstance(chosen, list) or not all(isinstance(c, str | int) for c in chosen):
        errors["options"] = ["评价选项应为选项代码的列表"]
    else:
        codes = list(dict.fromkeys(str(c) for c in chosen))
        known = options()
        unknown = [c for c in codes if c not in known]
        wrong = [c for c in codes if c in known and level and known[c].level != level]
        if unknown:
            errors["options"] = [f"未知的评价选项：{'、'.join(unknown)}"]
        elif wrong:
            errors["options"] = [f"选项 {'、'.join(wrong)} 不属于所选的评价等级"]
    allowed = dict(indicator_table(onsite))
    values: dict[str, int] = {}
    if not isinstance(marks, dict):
        errors["indicators"] = ["分项评价应为 指标 → 星级 的对象"]
    else:
        for key, value in marks.items():
            if key not in allowed:
                errors.setdefault("indicators", []).append(f"未知的评价指标：{key}")
            elif not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                errors.setdefault("indicators", []).append(f"“{allowed[key]}”应为 1～5 星")
            else:
                values[key] = value
    if not isinstance(text, str):
        errors["text"] = ["评价内容应为文字"]
        text = ""
    text = text.strip()
    if len(text) > TEXT_MAX:
        errors["text"] = [f"评价内容不超过 {TEXT_MAX} 字"]
    reason_missing = level in BAD_LEVELS and not codes and not text and "options" not in errors
    if reason_missing:
        # A 差评 is followed up: the department must know what went wrong.
        errors["options"] = ["差评请至少选择一项原因或写明情况，以便部门核实整改"]
    if reason_missing and len(errors) == 1:
        raise ValidationFailed(errors, code="bad_rating_reason_required")
    if errors:
        raise ValidationFailed(errors, code=_code(errors, wrong, unknown))
    if level:
        values["overall"] = level
    return level, codes, values, text


def _code(errors: dict[str, list[str]], wrong: list[str], unknown: list[str]) -> str:
    """`option_not_of_level` when the only fault is options of another level (a rule between two fields
    that no JSON Schema of the API states); else the general `rating_invalid`."""
    if set(errors) == {"options"} and wrong and not unknown:
        return "option_not_of_level"
    return "rating_invalid"


def _rating_channel(channel: str) -> str:
    if channel not in RatingChannel.values or channel == RatingChannel.SYSTEM:
        raise ValidationFailed({"channel": ["未知的评价渠道"]}, code="rating_invalid")
    return channel


def _store(rating: Rating) -> Rating:
    """Saves the rating and, for a 差评, the department's task — one transaction."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError:
            raise Conflict("already_rated", ALREADY_RATED) from None
        if rating.level in BAD_LEVELS:
            rectification.task_open(rating)
    return rating


def case_rating_open(case: Case, *, now: datetime | None = None) -> None:
    """Raises unless `case` may be rated now: it ended, the window is open and it is not rated yet."""
    now = now or timezone.now()
    closes = rules.rating_closes_on(case)
    if closes is None:
        raise Conflict("case_not_ended", "办件办结（或不予受理）后才能评价")
    if timezone.localdate(now) > closes:
        raise Conflict(
            "rating_closed",
            f"评价期已于 {closes:%Y年%m月%d日} 结束（办结后 {settings.YIWANG_RATING_WINDOW_DAYS} 天内可评价）",
        )
    if Rating.objects.filter(case=case, scope=Scope.MATTER, previous__isnull=True).exists():
        raise Conflict("already_rated", ALREADY_RATED)


def rating_submit(
    *,
    case: Case,
    rater: User | None,
    level: Any,
    chosen: Any = (),
    marks: Any = None,
    text: Any = "",
    channel: str,
    via_link: bool = False,
    now: datetime | None = None,
) -> Rating:
    """一事一评: the applicant (or their 经办人) rates `case`. `via_link`: the rater followed the signed
    link sent to the applicant's phone or inbox, which stands for them without a sign-in."""
    now = now or timezone.now()
    application = case.application
    own = rater is not None and is_own_application(rater, application)
    if not via_link and not own:
        raise Forbidden("not_applicant", "只有申请人本人可以评价该办件")
    level, codes, values, text = _validate(level, list(chosen), marks or {}, text, onsite=False)
    case_rating_open(case, now=now)
    person = rater if own else application.applicant_user
    return _store(
        Rating(
            scope=Scope.MATTER,
            case=case,
            department_id=case.department_id,
            item_id=case.item_version.item_id,
            service_point_id=case.service_point_id,
            staff_id=_served_by(case),
            channel=_rating_channel(channel),
            rater=person,
            rater_name=application.applicant_name,
            level=level,
            options=codes,
            indicators=values,
            text=text,
            region_code=application.region_code,
            created_at=now,
        )
    )


def _served_by(case: Case) -> int | None:
    """The staff member the rating is about: who decided the case, else who took it in."""
    last = (
        case.events.filter(actor__kind="staff")
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    return last or case.accepted_by_id


def rerate(
    *,
    rating: Rating,
    rater: User | None,
    level: Any,
    chosen: Any = (),
    marks: Any = None,
    text: Any = "",
    channel: str,
    via_link: bool = False,
    now: datetime | None = None,
) -> Rating:
    """追评: once, after the department reported its 整改; it supersedes the first rating in the figures."""
    now = now or timezone.now()
    if rating.case is None or rating.previous_id is not None:
        raise Conflict("rerate_not_allowed", "只能对办件的首次评价追评一次")
    if not via_link and (rater is None or not is_own_application(rater, rating.case.application)):
        raise Forbidden("not_applicant", "只有原评价人可以追评")
    task = getattr(rating, "task", None)
    if task is None or task.fixed_at is None:
        raise Conflict("rerate_not_allowed", "部门反馈整改结果后才能追评")
    level, codes, values, text = _validate(level, list(chosen), marks or {}, text, onsite=False)
    with transaction.atomic():
        first = Rating.objects.select_for_update().get(pk=rating.pk)
        if Rating.objects.filter(previous=first).exists():
            raise Conflict("already_rerated", "已追评过，每条评价只能追评一次")
        Rating.objects.filter(pk=first.pk).update(current=False)
        again = Rating(
            scope=first.scope,
            case_id=first.case_id,
            department_id=first.department_id,
            item_id=first.item_id,
            service_point_id=first.service_point_id,
            staff_id=first.staff_id,
            channel=_rating_channel(channel),
            rater_id=first.rater_id,
            rater_name=first.rater_name,
            level=level,
            options=codes,
            indicators=values,
            text=text,
            region_code=first.region_code,
            created_at=now,
            previous=first,
        )
        again.save()  # a 追评 opens no new task: the 整改 it answers is done
    return again


# 一次一评 on the window's 评价器


def rating_invite(*, clerk: User, case: Case | None = None, now: datetime | None = None) -> RatingInvitation:
    """The clerk asks the person at the desk to rate this visit; the window's tablet shows it. An earlier
    open invitation of the clerk's lapses (one person stands at a window at a time)."""
    now = now or timezone.now()
    if clerk.department_id is None:
        raise Forbidden("no_department", "账号未归属部门，不能发起评价")
    with transaction.atomic():
        RatingInvitation.objects.filter(clerk=clerk, rating__isnull=True, closed_at__isnull=True).update(
            closed_at=now
        )
        return RatingInvitation.objects.create(
            clerk=clerk,
            department_id=case.department_id if case is not None else clerk.department_id,
            service_point_id=clerk.service_point_id,
            case=case,
            item_id=case.item_version.item_id if case is not None else None,
            created_at=now,
        )


def open_invitation(clerk: User, *, now: datetime | None = None) -> RatingInvitation | None:
    """The invitation the clerk's tablet shows now, if any."""
    now = now or timezone.now()
    return (
        RatingInvitation.objects.filter(
            clerk=clerk,
            rating__isnull=True,
            closed_at__isnull=True,
            created_at__gte=now - timedelta(minutes=INVITATION_MINUTES),
        )
        .select_related("case__item_version", "department", "item")
        .order_by("-created_at")
        .first()
    )


def rating_visit(
    *,
    clerk: User,
    invitation_id: int,
    level: Any,
    chosen: Any = (),
    marks: Any = None,
    text: Any = "",
    channel: str = RatingChannel.TABLET,
    now: datetime | None = None,
) -> Rating:
    """一次一评: the person at the desk rates the visit on the tablet, anonymously."""
    now = now or timezone.now()
    level, codes, values, text = _validate(level, list(chosen), marks or {}, text, onsite=True)
    with transaction.atomic():
        invitation = (
            RatingInvitation.objects.select_for_update().filter(pk=invitation_id, clerk=clerk).first()
        )
        if invitation is None:
            raise NotFound("未找到该评价邀请", code="invitation_not_found")
        if invitation.rating_id is not None or invitation.closed_at is not None:
            raise Conflict("invitation_closed", "本次服务已评价或邀请已结束")
        if invitation.created_at < now - timedelta(minutes=INVITATION_MINUTES):
            raise Conflict("invitation_closed", "评价邀请已过期，请窗口人员重新发起")
        rating = _store(
            Rating(
                scope=Scope.VISIT,
                case=invitation.case,
                department_id=invitation.department_id,
                item_id=invitation.item_id,
                service_point_id=invitation.service_point_id,
                staff_id=invitation.clerk_id,
                channel=_rating_channel(channel),
                level=level,
                options=codes,
                indicators=values,
                text=text,
                region_code=_region_of(invitation),
                created_at=now,
            )
        )
        RatingInvitation.objects.filter(pk=invitation.pk).update(rating=rating, closed_at=now)
    return rating


def _region_of(invitation: RatingInvitation) -> str:
    if invitation.case is not None:
        return invitation.case.application.region_code
    return invitation.department.region_code


# Deemed ratings, where the local rule has them


def ratings_deem(*, now: datetime | None = None, batch: int = 500) -> int:
    """With YIWANG_RATING_DEEMED_SATISFIED, a case not rated in its window counts as 满意, written as a
    marked rating (渠道 逾期默认); without it, nothing: the case counts as not rated."""
    if not settings.YIWANG_RATING_DEEMED_SATISFIED:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.YIWANG_RATING_WINDOW_DAYS + 1)
    rated = Rating.objects.filter(scope=Scope.MATTER, previous__isnull=True).values("case_id")
    cases = (
        Case.objects.filter(status__in=rules.RATEABLE, updated_at__lt=cutoff)
        .exclude(pk__in=rated)
        .select_related("application", "item_version")[:batch]
    )
    written = 0
    for case in cases:
        closes = rules.rating_closes_on(case)
        if closes is None or timezone.localdate(now) <= closes:
            continue
        try:
            with transaction.atomic():
                Rating.objects.create(
                    scope=Scope.MATTER,
                    case=case,
                    department_id=case.department_id,
                    item_id=case.item_version.item_id,
                    channel=RatingChannel.SYSTEM,
                    level=Level.SATISFIED,
                    region_code=case.application.region_code,
                    created_at=now,
                    deemed=True,
                )
            written += 1
        except IntegrityError:  # rated meanwhile, or another worker deemed it
            continue
    return written
