"""好差评 on the citizen's channels: the rating form, what the rating page shows for a case (rate now,
追评 after 整改, rated, window closed, not ended yet), and the one handler the portal page (signed in or
by the SMS / inbox link) and the kiosk page share; each view chooses its template and channel.

The services decide (`feedback.ratings`); every refusal they raise becomes a form error in Chinese."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.cases.models import Case
from yiwang.cases.states import CaseStatus
from yiwang.channels.refusals import field_errors_onto
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.feedback import ratings, rules, selectors
from yiwang.feedback.models import BAD_LEVELS, GOOD_LEVELS, BadRatingTask, Level, Rating, Scope, TaskStatus
from yiwang.feedback.options import indicators, option_labels, options, options_of

TEXT_MAX = ratings.TEXT_MAX
STARS = {n: "★" * n + "☆" * (5 - n) for n in range(1, 6)}
# The online indicators asked besides the overall level (which is the level itself).
INDICATOR_PREFIX = "i_"
MARK_CHOICES = [(n, f"{n} 星") for n in range(1, 6)]


def online_indicators() -> list[tuple[str, str]]:
    return [(key, label) for key, label in indicators(False) if key != "overall"]


def level_tone(level: int) -> str:
    if level in GOOD_LEVELS:
        return "good"
    if level in BAD_LEVELS:
        return "bad"
    return "fair"


class RatingForm(forms.Form):
    """一事一评 / 追评: the level, its options, the online indicators (optional) and a few words."""

    level = forms.TypedChoiceField(
        label="总体评价",
        coerce=int,
        choices=[(int(v), str(label)) for v, label in sorted(Level.choices, reverse=True)],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价等级", "invalid_choice": "请选择评价等级（1～5 星）"},
    )
    options = forms.MultipleChoiceField(
        label="评价选项",
        required=False,
        choices=[(o.code, o.label) for o in options().values()],
        error_messages={"invalid_choice": "未知的评价选项：%(value)s，请刷新页面后重新选择"},
    )
    text = forms.CharField(
        label="评价内容",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": f"评价内容不超过 {TEXT_MAX} 字"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in online_indicators():
            self.fields[INDICATOR_PREFIX + key] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "不评"), *MARK_CHOICES],
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"“{label}”请选择 1～5 星"},
            )

    def marks(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[INDICATOR_PREFIX + key]
            for key, _ in online_indicators()
            if self.cleaned_data.get(INDICATOR_PREFIX + key)
        }

    def add_service_errors(self, exc: DomainError) -> None:
        """The services' field errors under the fields they name (indicators under the first one)."""
        first_indicator = INDICATOR_PREFIX + online_indicators()[0][0]
        if not field_errors_onto(self, exc, rename={"indicators": first_indicator}):
            self.add_error(None, exc.message)


# What the page shows


@dataclass
class RatingState:
    """Where a case stands for 一事一评. `mode`: rate (the form), again (追评 form), rated, closed,
    not_ended."""

    case: Case
    mode: str
    first: Rating | None = None
    current: Rating | None = None
    task: BadRatingTask | None = None
    closes: date | None = None

    @property
    def may_post(self) -> bool:
        return self.mode in ("rate", "again")

    @property
    def callback_days(self) -> int:
        region = self.first.region_code if self.first else self.case.application.region_code
        return rules.limit(region, "callback")


def rating_state(case: Case) -> RatingState:
    first = selectors.first_rating(case)
    closes = rules.rating_closes_on(case)
    if first is None:
        if closes is None:
            return RatingState(case, "not_ended")
        if timezone.localdate() > closes:
            return RatingState(case, "closed", closes=closes)
        return RatingState(case, "rate", closes=closes)
    current = selectors.case_rating(case) or first
    task = getattr(first, "task", None)
    rerated = current.pk != first.pk
    if task is not None and task.fixed_at is not None and not rerated:
        return RatingState(case, "again", first, current, task, closes)
    return RatingState(case, "rated", first, current, task, closes)


@dataclass
class RatingShown:
    """A rating as the rater reads it back."""

    level: int
    label: str
    stars: str
    tone: str
    options: list[str]
    marks: list[tuple[str, int]]
    text: str
    at: Any
    deemed: bool
    again: bool


def rating_shown(rating: Rating) -> RatingShown:
    labels = dict(online_indicators())
    return RatingShown(
        level=rating.level,
        label=rating.get_level_display(),
        stars=STARS[rating.level],
        tone=level_tone(rating.level),
        options=option_labels(list(rating.options)),
        marks=[(labels[k], v) for k, v in (rating.indicators or {}).items() if k in labels],
        text=rating.text,
        at=rating.created_at,
        deemed=rating.deemed,
        again=rating.previous_id is not None,
    )


def case_summary(case: Case) -> dict[str, Any]:
    """The case as the rating page names it: no applicant, no licence number (the link may be opened
    by whoever holds the phone)."""
    result = case.result if isinstance(case.result, dict) else {}
    ended = rules.case_ended_at(case)
    return {
        "number": case.number,
        "application": case.application.number,
        "item": case.item_version.name,
        "department": case.department.name,
        "status": CaseStatus(case.status).label if case.status in CaseStatus.values else case.status,
        "result": str(result.get("name") or ""),
        "ended": timezone.localtime(ended) if ended else None,
        "refused": case.status == CaseStatus.REFUSED,
    }


def form_context(form: RatingForm) -> dict[str, Any]:
    """The form's parts in the shape the templates draw: level buttons, option groups, indicators."""
    raw_level = form["level"].value()
    chosen_level = str(raw_level) if raw_level not in (None, "") else ""
    chosen_options = {str(v) for v in (form["options"].value() or [])}
    levels = [(int(v), str(label)) for v, label in sorted(Level.choices, reverse=True)]
    level_rows = [
        {
            "value": value,
            "label": label,
            "stars": STARS[value],
            "tone": level_tone(value),
            "checked": chosen_level == str(value),
        }
        for value, label in levels
    ]
    groups = [
        {
            "level": value,
            "label": label,
            "tone": level_tone(value),
            "options": [
                {"code": o.code, "label": o.label, "checked": o.code in chosen_options}
                for o in options_of(value)
            ],
        }
        for value, label in levels
    ]
    marks = []
    for key, label in online_indicators():
        bound = form[INDICATOR_PREFIX + key]
        value = str(bound.value() or "")
        marks.append(
            {
                "name": bound.html_name,
                "label": label,
                "errors": bound.errors,
                "choices": [{"value": str(n), "checked": value == str(n)} for n, _ in MARK_CHOICES],
                "none_checked": value == "",
            }
        )
    return {"levels": level_rows, "option_groups": groups, "marks": marks, "chosen_level": chosen_level}


# The handler every rating page shares


RATE_STAGE = {"rate": "first", "again": "again"}


def rating_page(
    request: HttpRequest,
    case: Case,
    *,
    rater: User | None,
    via_link: bool,
    channel: str,
    template: str,
    context: dict[str, Any],
    render_page: Callable[..., HttpResponse] | None = None,
) -> HttpResponse:
    """GET: the case and, when it may be rated, the form. POST: rate (or 追评), then back here (PRG)
    where the thank-you and the rating show; refusals become form errors."""
    state = rating_state(case)
    form = RatingForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        stage = request.POST.get("stage", "")
        if not state.may_post or stage != RATE_STAGE[state.mode]:
            # Rated meanwhile (another tab, the kiosk), or the window closed: the page says which.
            form = RatingForm()
            messages.error(request, _refusal(state))
            status = 409
        elif form.is_valid():
            try:
                rating = _submit(state, form, rater=rater, via_link=via_link, channel=channel)
            except ValidationFailed as exc:
                form.add_service_errors(exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
                state = rating_state(case)
            else:
                messages.success(request, _thanks(rating))
                return redirect(request.get_full_path())
        if form.errors:
            status = 422
    full = {
        **context,
        "state": state,
        "case_info": case_summary(case),
        "form": form,
        "text_max": TEXT_MAX,
        "stage": RATE_STAGE.get(state.mode, ""),
        "refusal": "" if state.may_post else _refusal(state),
        "first_shown": rating_shown(state.first) if state.first else None,
        "current_shown": rating_shown(state.current) if state.current else None,
        "task_view": _task_view(state),
        **form_context(form),
    }
    draw = render_page or render
    return draw(request, template, full, status=status)


def _submit(
    state: RatingState, form: RatingForm, *, rater: User | None, via_link: bool, channel: str
) -> Rating:
    data = form.cleaned_data
    common: dict[str, Any] = {
        "rater": rater,
        "level": data["level"],
        "chosen": list(data["options"]),
        "marks": form.marks(),
        "text": data["text"],
        "channel": channel,
        "via_link": via_link,
    }
    if state.mode == "again":
        assert state.first is not None
        return ratings.rerate(rating=state.first, **common)
    return ratings.rating_submit(case=state.case, **common)


def _thanks(rating: Rating) -> str:
    if rating.previous_id is not None:
        return "感谢您的追评！您的意见将替代原评价计入统计。"
    if rating.level in BAD_LEVELS:
        days = rules.limit(rating.region_code, "callback")
        return f"感谢您的评价！部门将在 {days} 个工作日内与您联系核实，并将整改结果告诉您。"
    return "感谢您的评价！您的意见将帮助我们改进政务服务。"


def _refusal(state: RatingState) -> str:
    if state.mode == "not_ended":
        return "该办件尚未办结。办结（或不予受理）后即可评价，届时将通过短信和站内信提醒您。"
    if state.mode == "closed":
        return f"评价期已于 {state.closes:%Y年%-m月%-d日} 结束（办结后 {_window_days()} 天内可评价），不能再评价。"
    if state.mode == "rated":
        if state.current is not None and state.current.pk != (state.first.pk if state.first else None):
            return "您已追评过，每条评价只能追评一次。"
        return "该办件已评价过，每件办件只能评价一次；如部门整改后反馈结果，您可以再追评一次。"
    return ""


def _window_days() -> int:
    return int(settings.YIWANG_RATING_WINDOW_DAYS)


def _task_view(state: RatingState) -> dict[str, Any] | None:
    """What the rater is told of the department's 核实 and 整改 of a 差评."""
    task = state.task
    if task is None:
        return None
    view: dict[str, Any] = {
        "status": task.status,
        "status_label": task.get_status_display(),
        "callback_days": state.callback_days,
        "fix_due": task.fix_due,
        "result": task.result,
        "outcome": task.get_outcome_display() if task.outcome else "",
        "fixed_at": task.fixed_at,
        "callback": task.status == TaskStatus.CALLBACK,
        "rectifying": task.status == TaskStatus.RECTIFYING,
        "done": task.status == TaskStatus.DONE,
        "set_aside": task.status == TaskStatus.APPEAL_UPHELD,
    }
    return view


# The mark next to each ended case on the application pages (portal, kiosk)


@dataclass
class RatingMark:
    """`state`: rate (a 评价 button), again (追评), rated (the level), closed (window over)."""

    state: str
    url: str
    label: str = ""
    stars: str = ""
    tone: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def rating_marks(cases: Iterable[Case], url: Callable[[str], str]) -> dict[int, RatingMark]:
    """For each ended case among `cases` (by id): its rating, or a way to rate it. Two queries."""
    ended = [c for c in cases if c.status in rules.RATEABLE]
    if not ended:
        return {}
    found = list(
        Rating.objects.filter(case__in=ended, scope=Scope.MATTER)
        .select_related("task")
        .order_by("created_at")
    )
    today = timezone.localdate()
    marks: dict[int, RatingMark] = {}
    for case in ended:
        rows = [r for r in found if r.case_id == case.pk]
        first = next((r for r in rows if r.previous_id is None), None)
        link = url(case.number)
        if first is None:
            closes = rules.rating_closes_on(case)
            if closes is not None and today <= closes:
                marks[case.pk] = RatingMark("rate", link, extra={"closes": closes})
            else:
                marks[case.pk] = RatingMark("closed", link)
            continue
        current = next((r for r in rows if r.current), first)
        task = getattr(first, "task", None)
        state = "again" if task is not None and task.fixed_at and current.pk == first.pk else "rated"
        marks[case.pk] = RatingMark(
            state,
            link,
            label=current.get_level_display(),
            stars=STARS[current.level],
            tone=level_tone(current.level),
        )
    return marks
