"""The demo city's feedback history, shared parts: the fixed seed and proportions, and the world it is
generated in (published items, departments, service points, the demo's staff)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.calendar.selectors import add_working_days, is_working_day
from yiwang.catalog.models import Department, ServiceItem, ServicePoint

RATINGS_FILE = "feedback/ratings.json"
REQUESTS_FILE = "feedback/requests.json"
SEED = 12345
RATINGS = 3000  # the random ones; the scripted 差评 of ratings.json come on top
CLOSED_REQUESTS = 380  # the open ones near today come on top
DAYS = 365
# 查询码 of the demo citizen's answered request (/feedback/track/); it also marks the load as done.
DEMO_TRACKING_CODE = "YWSHF-DEMQ2"
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # intake.TRACKING_ALPHABET: no 0/O, 1/I
# 好评 ≈ 96 %, 差评 ≈ 1 %: what the published figures of city service centres look like.
LEVEL_WEIGHTS = {5: 78.0, 4: 18.4, 3: 2.6, 2: 0.6, 1: 0.4}
# The departments a 12345 hotline hears most from get most requests.
DEPARTMENT_WEIGHTS = {
    "cgj": 14, "scjg": 12, "rsj": 12, "zjj": 12, "gjj": 8, "gajj": 7, "jyj": 6, "gazagl": 6,
    "gahz": 5, "wjw": 5, "ybj": 5, "mzj": 4, "bdc": 4, "jtj": 4, "gacrj": 3, "swj": 3, "gs": 3,
    "zwfw": 3, "gd": 2, "rq": 2, "tx": 2, "zrzyj": 2, "xfzd": 2, "cl": 1,
}  # fmt: skip
CLOSING_PATHS = {"satisfied": 66, "unjudged": 14, "redo": 10, "returned": 5, "extension": 5}
SUPERVISED_CLOSED = (97, 251)  # which of the closed requests went through 督办
NOT_CONSULT = ("help", "complaint", "suggestion", "report")  # SLAs of 5 or 15 working days, not 1


@dataclass(frozen=True)
class RatedItem:
    pk: int
    code: str
    name: str
    department: Department
    kiosk: bool


@dataclass
class FeedbackWorld:
    """What the generators draw from: the demo catalog, its staff and the day the history ends."""

    rng: random.Random
    today: date
    tz: tzinfo
    items: list[RatedItem]
    departments: dict[str, Department]
    points: list[tuple[ServicePoint, set[int]]]  # (point, ids of the departments it serves)
    users: dict[str, User]
    officers: dict[int, User] = field(default_factory=dict)  # department id → an officer there
    heads: dict[int, User] = field(default_factory=dict)  # department id → its head

    @property
    def midnight(self) -> datetime:
        """The start of today: every generated moment lies before it."""
        return datetime.combine(self.today, time(0), self.tz)

    def at(self, day: date, start: tuple[int, int] = (9, 0), end: tuple[int, int] = (17, 30)) -> datetime:
        """A moment of `day` between `start` and `end`, local time."""
        minute = self.rng.randint(start[0] * 60 + start[1], end[0] * 60 + end[1] - 1)
        return datetime.combine(day, time(minute // 60, minute % 60, self.rng.randint(0, 59)), self.tz)

    def back(self, n: int) -> date:
        """The n-th working day before today."""
        day = self.today
        while n > 0:
            day -= timedelta(days=1)
            n -= is_working_day(day)
        return day

    def after(self, moment: datetime, working_days: int) -> datetime:
        """Office hours `working_days` working days after `moment` (0: the same or the next working
        day), never before it."""
        target = add_working_days(timezone.localdate(moment, self.tz), working_days)
        later = self.at(target)
        return later if later > moment else moment + timedelta(minutes=self.rng.randint(10, 150))

    def officer(self, department: Department | None) -> User | None:
        return self.officers.get(department.pk) if department is not None else None


def feedback_world(today: date) -> FeedbackWorld:
    items = [
        RatedItem(i.pk, i.code, i.published_version.name, i.department, i.published_version.supports_kiosk)
        for i in ServiceItem.objects.filter(published_version__isnull=False)
        .select_related("published_version", "department")
        .order_by("code")
        if i.published_version is not None
    ]
    points = [
        (point, set(point.departments.values_list("pk", flat=True)))
        for point in ServicePoint.objects.filter(is_active=True).order_by("code")
    ]
    users = {u.username: u for u in User.objects.filter(is_active=True).order_by("pk")}
    world = FeedbackWorld(
        rng=random.Random(SEED),
        today=today,
        tz=timezone.get_current_timezone(),
        items=items,
        departments={d.code: d for d in Department.objects.order_by("code")},
        points=points,
        users=users,
    )
    for user in users.values():
        if user.department_id is not None and user.has_role(StaffRole.OFFICER):
            world.officers.setdefault(user.department_id, user)
        if user.department_id is not None and user.has_role(StaffRole.DEPARTMENT_HEAD):
            world.heads.setdefault(user.department_id, user)
    return world
