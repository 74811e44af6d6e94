"""示范市好差评: a year of window, kiosk and QR-code ratings (一次一评), with the 差评整改 tasks and appeals
they left (see feedback_data)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from yiwang.calendar.selectors import is_working_day
from yiwang.catalog.models import Department, ServicePoint
from yiwang.demo.data_files import demo_data
from yiwang.demo.feedback_world import DAYS, LEVEL_WEIGHTS, RATINGS, RATINGS_FILE, FeedbackWorld, RatedItem
from yiwang.feedback import rules
from yiwang.feedback.models import (
    BAD_LEVELS,
    AppealReason,
    BadRatingTask,
    Outcome,
    Rating,
    RatingAppeal,
    RatingChannel,
    Scope,
    TaskStatus,
)

# 好差评 ----------------------------------------------------------------------------------------------


def ratings_load(world: FeedbackWorld) -> int:
    data = demo_data(RATINGS_FILE)
    rng = world.rng
    days = [world.today - timedelta(days=n) for n in range(DAYS, 0, -1)]
    window_days = [d for d in days if is_working_day(d)]
    kiosk_departments = {d for point, ds in world.points if point.kind == "kiosk" for d in ds}
    # Some items are asked for far more often than others (社保卡, 身份证 …).
    weights = [rng.choice((1, 1, 2, 3, 5)) for _ in world.items]
    rows: list[tuple[Rating, dict[str, Any] | None]] = []
    for _ in range(RATINGS):
        item = rng.choices(world.items, weights)[0]
        at_kiosk = item.kiosk and item.department.pk in kiosk_departments
        channel = rng.choices(
            [RatingChannel.TABLET, RatingChannel.KIOSK, RatingChannel.QR],
            [50, 35, 15] if at_kiosk else [82, 0, 18],
        )[0]
        level = rng.choices(list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values()))[0]
        if channel == RatingChannel.KIOSK:
            moment = world.at(rng.choice(days), (7, 0), (22, 0))
        else:
            moment = world.at(rng.choice(window_days))
        rows.append((_rating(world, data, item, channel, level, moment), None))
    for spec in data["scripted"]:
        scripted = _scripted_rating(world, data, spec)
        if scripted is not None:
            rows.append((scripted, spec))
    rows.sort(key=lambda row: row[0].created_at)
    Rating.objects.bulk_create([rating for rating, _ in rows], batch_size=500)
    _tasks_load(world, data, [(rating, spec) for rating, spec in rows if rating.level in BAD_LEVELS])
    return len(rows)


def _point_for(world: FeedbackWorld, department: Department, kiosk: bool) -> ServicePoint | None:
    """Where the visit was: a kiosk serving the department, or a hall with its window (most often
    the 市民中心)."""
    choices = [p for p, ds in world.points if department.pk in ds and (p.kind == "kiosk") == kiosk]
    if not choices:
        return None
    weights = [6 if p.kind == "centre" else 2 if p.kind == "branch" else 1 for p in choices]
    return world.rng.choices(choices, weights)[0]


def _rating(
    world: FeedbackWorld,
    data: dict[str, Any],
    item: RatedItem,
    channel: str,
    level: int,
    moment: datetime,
    *,
    options: list[str] | None = None,
    text: str | None = None,
) -> Rating:
    """A rating as `ratings.rating_visit` stores it, with the item the visit was for."""
    rng = world.rng
    kiosk = channel == RatingChannel.KIOSK
    point = _point_for(world, item.department, kiosk)
    if options is None:
        pool = data["kiosk_options" if kiosk else "onsite_options"][str(level)]
        wanted = level in BAD_LEVELS or rng.random() < 0.45
        options = sorted(rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))) if pool and wanted else []
    if text is None:
        share = {5: 0.1, 4: 0.12, 3: 0.5}.get(level, 0.7)
        texts = data["texts"]["kiosk" if kiosk else "window"][str(level)]
        # A 差评 says what went wrong, by an option or in words.
        text = rng.choice(texts) if rng.random() < share or (level in BAD_LEVELS and not options) else ""
    marks = {"overall": level}
    if rng.random() < 0.3:  # some raters also rate the parts (分项评价)
        for key in ("efficiency",) if kiosk else ("efficiency", "skill", "attitude"):
            marks[key] = max(1, min(5, level + rng.choice((-1, 0, 0, 0, 1))))
    clerk = world.users.get("clerk")
    # The 市民中心's 综合窗口 (一窗受理) is the demo clerk's; no demo account serves elsewhere.
    at_clerks_window = channel == RatingChannel.TABLET and point is not None and point.code == "centre"
    return Rating(
        scope=Scope.VISIT,
        department=item.department,
        item_id=item.pk,
        service_point=point,
        staff=clerk if at_clerks_window else None,
        channel=channel,
        level=level,
        options=options,
        indicators=marks,
        text=text,
        region_code=item.department.region_code,
        created_at=moment,
    )


def _scripted_rating(world: FeedbackWorld, data: dict[str, Any], spec: dict[str, Any]) -> Rating | None:
    """One of the 差评 the demo shows on purpose (appealed, overdue); None when its item is gone."""
    department = world.departments.get(spec["department"])
    item = next(
        (
            i
            for i in world.items
            if department and i.department.pk == department.pk and i.name == spec["item"]
        ),
        None,
    )
    if department is None or item is None:
        return None
    channel = spec.get("channel", RatingChannel.TABLET)
    day = world.today - timedelta(days=spec["days_ago"])
    while channel != RatingChannel.KIOSK and not is_working_day(day):
        day -= timedelta(days=1)
    rating = _rating(
        world,
        data,
        item,
        channel,
        spec["level"],
        world.at(day),
        options=list(spec["options"]),
        text=spec["text"],
    )
    appeal = spec.get("appeal")
    if appeal and appeal["upheld"] and world.heads.get(department.pk) is not None:
        rating.excluded = True  # 申诉成立: kept and marked, no longer counted
    return rating


def _tasks_load(
    world: FeedbackWorld, data: dict[str, Any], bad: list[tuple[Rating, dict[str, Any] | None]]
) -> None:
    """差评整改 as `rectification.task_open` opens them, taken as far as the department got by today:
    most called back and rectified within the limits, the recent ones still open, the scripted ones
    overdue or appealed."""
    tasks: list[BadRatingTask] = []
    appeals: list[RatingAppeal] = []
    for rating, spec in bad:
        start = timezone.localdate(rating.created_at, world.tz)
        task = BadRatingTask(
            rating=rating,
            department=rating.department,
            callback_due=rules.due_after(start, rating.region_code, "callback"),
            fix_due=rules.due_after(start, rating.region_code, "fix"),
        )
        _progress(world, data, task, spec["task"] if spec else None)
        appeal = spec.get("appeal") if spec else None
        appellant = world.heads.get(rating.department_id)
        if appeal and appellant is not None and task.called_back_at is not None:
            filed = world.after(task.called_back_at, 1)
            decided = world.after(filed, 2) if appeal["upheld"] is not None else None
            appeals.append(
                RatingAppeal(
                    rating=rating,
                    reason=AppealReason(appeal["reason"]),
                    statement=appeal["statement"],
                    filed_by=appellant,
                    filed_at=filed,
                    upheld=appeal["upheld"],
                    decision_note=appeal["decision"],
                    decided_by=world.users.get("supervisor") if decided else None,
                    decided_at=decided,
                )
            )
            if appeal["upheld"]:
                task.status = TaskStatus.APPEAL_UPHELD
        tasks.append(task)
    BadRatingTask.objects.bulk_create(tasks)
    RatingAppeal.objects.bulk_create(appeals)
    for task in tasks:  # created_at is auto_now_add: bulk_create stamped the load's time on it
        BadRatingTask.objects.filter(pk=task.pk).update(created_at=task.rating.created_at)


def _progress(
    world: FeedbackWorld, data: dict[str, Any], task: BadRatingTask, scripted: dict[str, Any] | None
) -> None:
    """回访 and 整改 of one task up to yesterday: a scripted task stops where its spec says; a random
    one is done on time unless its limits have not run out yet."""
    rng = world.rng
    rating = task.rating
    if scripted is not None:
        wanted = scripted["status"]
    elif task.callback_due >= world.today and rng.random() < 0.7:
        wanted = TaskStatus.CALLBACK
    elif task.fix_due >= world.today and rng.random() < 0.5:
        wanted = TaskStatus.RECTIFYING
    else:
        wanted = TaskStatus.DONE
    if wanted == TaskStatus.CALLBACK:
        return
    called = world.after(rating.created_at, 0 if rng.random() < 0.6 else 1)
    if called >= world.midnight:
        return  # would be called back today: still waiting
    task.status, task.called_back_at, task.handled_by = (
        TaskStatus.RECTIFYING,
        called,
        world.officer(rating.department),
    )
    task.callback_note = scripted["called_back"] if scripted else rng.choice(data["callback_notes"])
    if wanted != TaskStatus.DONE:
        return
    fixed = world.after(called, rng.randint(0, 8))
    if timezone.localdate(fixed, world.tz) > task.fix_due:
        fixed = max(world.at(task.fix_due), called + timedelta(minutes=30))
    if fixed >= world.midnight:
        return
    outcome = rng.choices(list(Outcome), [50, 30, 20])[0]
    task.status, task.fixed_at, task.outcome = TaskStatus.DONE, fixed, outcome.value
    task.result = rng.choice(data["results"][outcome.value])


# 诉求 ------------------------------------------------------------------------------------------------
