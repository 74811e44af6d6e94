"""示范市诉求: a year of 12345 requests along the paths the desk takes them (see feedback_data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.calendar.selectors import add_working_days
from yiwang.catalog.models import Department
from yiwang.demo.data_files import demo_data
from yiwang.demo.feedback_world import (
    CLOSED_REQUESTS,
    CLOSING_PATHS,
    DAYS,
    DEMO_TRACKING_CODE,
    DEPARTMENT_WEIGHTS,
    NOT_CONSULT,
    REQUESTS_FILE,
    SUPERVISED_CLOSED,
    TRACKING_ALPHABET,
    FeedbackWorld,
    RatedItem,
)
from yiwang.feedback import rules
from yiwang.feedback.models import (
    ExtensionState,
    RequestChannel,
    RequestEvent,
    RequestType,
    ServiceRequest,
    Stage,
    tracking_digest,
)


@dataclass(frozen=True)
class _Template:
    department: Department
    type: str
    text: str
    answer: str
    item: RatedItem | None


class _Flow:
    """One request walked through the desk's steps, its fields and events set as `desk` sets them."""

    def __init__(self, world: FeedbackWorld, data: dict[str, Any], template: _Template, channel: str) -> None:
        self.world, self.data, self.template = world, data, template
        self.request = ServiceRequest(
            type=template.type,
            channel=channel,
            text=template.text,
            title=_title(template.text),
            item_id=template.item.pk if template.item else None,
            region_code=template.department.region_code,
        )
        self.events: list[RequestEvent] = []
        self.judge: User | None = None  # who says whether an answer satisfies (回访)

    def _event(
        self,
        action: str,
        at: datetime,
        *,
        actor: User | None,
        note: str = "",
        department: Department | None = None,
    ) -> None:
        self.events.append(
            RequestEvent(
                action=action,
                stage=self.request.stage,
                actor=actor,
                department=department or self.request.department,
                note=note,
                at=at,
            )
        )

    def receive(self, at: datetime) -> None:
        r = self.request
        if r.channel == RequestChannel.HOTLINE:
            r.taken_by = self.world.users.get("hotline")
        r.received_at, r.received_on = at, timezone.localdate(at, self.world.tz)
        r.due = rules.due_after(r.received_on, r.region_code, r.type)
        r.stage = Stage.RECEIVED
        self._event("receive", at, actor=r.taken_by or r.submitter, note=RequestChannel(r.channel).label)

    def suggest(self, *, sure: bool) -> None:
        """The classifier's suggestions as the desk stores them: the right department first, sure
        enough to route at once when `sure`."""
        rng, t = self.world.rng, self.template
        top = rng.uniform(0.55, 0.97) if sure else rng.uniform(0.2, 0.48)
        rows = [
            {"department": t.department.code, "item": t.item.code if t.item else "", "score": round(top, 3)}
        ]
        others = [d for d in self.world.departments.values() if d.pk != t.department.pk]
        for other in rng.sample(others, min(2, len(others))):
            top = rng.uniform(0.01, min(top, 0.3))
            rows.append({"department": other.code, "item": "", "score": round(top, 3)})
        self.request.suggested = rows

    def dispatch(self, at: datetime, department: Department, *, auto: bool) -> None:
        r = self.request
        r.department, r.stage, r.auto_routed = department, Stage.DISPATCHED, auto
        r.sign_due = rules.due_after(timezone.localdate(at, self.world.tz), r.region_code, "sign")
        actor = None if auto else self.world.users.get("dispatcher")
        self._event("dispatch", at, actor=actor, note="自动派单" if auto else "人工派单")

    def give_back(self, at: datetime) -> None:
        """退回: not ours — back to the dispatcher's pool."""
        r = self.request
        department = r.department
        r.stage, r.department, r.sign_due, r.signed_at, r.auto_routed = (
            Stage.RECEIVED,
            None,
            None,
            None,
            False,
        )
        note = self.world.rng.choice(self.data["returns"])
        self._event("return", at, actor=self.world.officer(department), note=note, department=department)

    def sign(self, at: datetime) -> None:
        r = self.request
        r.stage, r.signed_at = Stage.HANDLING, at
        self._event("sign", at, actor=self.world.officer(r.department))

    def ask_extension(self, at: datetime, days: int) -> None:
        r = self.request
        reason = self.world.rng.choice(self.data["extensions"])
        r.extension, r.extension_days, r.extension_reason = ExtensionState.PENDING, days, reason
        self._event(
            "extension_ask", at, actor=self.world.officer(r.department), note=f"{days} 个工作日：{reason}"
        )

    def approve_extension(self, at: datetime) -> None:
        r = self.request
        r.extension, r.due = ExtensionState.APPROVED, add_working_days(r.due, r.extension_days)
        self._event("extension_approved", at, actor=self.world.users.get("dispatcher"))

    def answer(self, at: datetime, text: str) -> None:
        r = self.request
        r.answer, r.answered_at = text, at
        if r.stage != Stage.SUPERVISED:  # a 督办 answer goes to the supervisor, who concludes
            r.stage = Stage.ANSWERED
        self._event("answer", at, actor=self.world.officer(r.department), note=text)

    def satisfied(self, at: datetime) -> None:
        self._close(at, satisfied=True)
        self._event("satisfied", at, actor=self.judge)

    def unsatisfied(self, at: datetime) -> None:
        """Not satisfied: 重办 the first time, 督办 the second."""
        r = self.request
        note = self.world.rng.choice(self.data["unsatisfied"])
        day = timezone.localdate(at, self.world.tz)
        if not r.redone:
            r.redone, r.stage, r.satisfied, r.signed_at = True, Stage.HANDLING, False, at
            r.due = rules.due_after(day, r.region_code, r.type)
            self._event("redo", at, actor=self.judge, note=note)
        else:
            r.stage, r.satisfied = Stage.SUPERVISED, False
            r.supervision_due = rules.due_after(day, r.region_code, r.type)
            self._event("supervise", at, actor=self.judge, note=note)

    def conclude(self, at: datetime) -> None:
        self._close(at, satisfied=None)
        note = self.world.rng.choice(self.data["conclusions"])
        self._event("conclude", at, actor=self.world.users.get("supervisor"), note=note)

    def close_unjudged(self, at: datetime) -> None:
        self._close(at, satisfied=None)
        self._event("close_unjudged", at, actor=None, note="逾期未评价，自动办结")

    def _close(self, at: datetime, *, satisfied: bool | None) -> None:
        r = self.request
        assert r.answered_at is not None
        r.stage, r.closed_at = Stage.CLOSED, at
        r.closed_on_time = timezone.localdate(r.answered_at, self.world.tz) <= r.due
        if satisfied is not None:
            r.satisfied = satisfied


def _title(text: str) -> str:
    """As the desk titles a request: its first line, cut at 30 characters."""
    first = text.splitlines()[0] if text else ""
    return first[:30] + ("…" if len(first) > 30 else "")


class _Requests:
    """The request generator: situations from requests.json, people, and the paths they take."""

    def __init__(self, world: FeedbackWorld) -> None:
        self.world, self.rng = world, world.rng
        self.data: dict[str, Any] = demo_data(REQUESTS_FILE)
        self.templates: dict[str, list[dict[str, Any]]] = {
            code: rows for code, rows in self.data["departments"].items() if code in world.departments
        }
        self.by_citizen = 0

    def flow(
        self, department: str | None = None, *, types: tuple[str, ...] = (), citizen: bool = False
    ) -> _Flow:
        """A new request about a situation of `department` (drawn by weight when None), from the demo
        citizen, an anonymous person or a named caller."""
        rng, world = self.rng, self.world
        codes = list(self.templates)
        if department not in self.templates:
            department = rng.choices(codes, [DEPARTMENT_WEIGHTS.get(c, 1) for c in codes])[0]
        raws = [t for t in self.templates[department] if not types or t["type"] in types] or self.templates[
            department
        ]
        template = self._fill(department, rng.choice(raws))
        channel = rng.choices(
            [RequestChannel.HOTLINE, RequestChannel.MOBILE, RequestChannel.PORTAL, RequestChannel.KIOSK],
            [52, 26, 19, 3],
        )[0]
        flow = _Flow(world, self.data, template, RequestChannel.PORTAL if citizen else channel)
        r = flow.request
        person = world.users.get("citizen") if citizen else None
        if person is not None:
            r.submitter, r.contact_name, r.contact_phone = person, person.name, str(person.mobile or "")
            flow.judge = person
        elif rng.random() < (0.5 if r.type == RequestType.REPORT else 0.08):
            r.anonymous = True
        else:
            r.contact_name = rng.choice(self.data["surnames"]) + rng.choice(("先生", "女士"))
            r.contact_phone = f"1380000{rng.randrange(2000, 10000):04d}"  # the demo's made-up number block
        if r.channel == RequestChannel.HOTLINE:
            flow.judge = world.users.get("hotline")  # the operator calls back for the caller's verdict
        return flow

    def _fill(self, department: str, raw: dict[str, Any]) -> _Template:
        """The situation with its {slots} filled, one value per slot name."""
        chosen: dict[str, str] = {}

        def slot(match: re.Match[str]) -> str:
            return chosen.setdefault(match.group(1), self.rng.choice(self.data["slots"][match.group(1)]))

        dept = self.world.departments[department]
        item = None
        if raw.get("item"):
            item = next(
                (i for i in self.world.items if i.department.pk == dept.pk and i.name == raw["item"]), None
            )
        return _Template(
            department=dept,
            type=raw["type"],
            text=re.sub(r"\{(\w+)\}", slot, raw["text"]),
            answer=re.sub(r"\{(\w+)\}", slot, raw["answer"]),
            item=item,
        )

    def received(self, flow: _Flow, day: date) -> datetime:
        """When it came in: the hotline and the web answer around the clock, mostly by day."""
        if flow.request.channel == RequestChannel.HOTLINE:
            return self.world.at(day, (8, 0), (21, 30))
        return self.world.at(day, (7, 0), (23, 0))

    def answer(self, flow: _Flow, since: datetime, text: str, *, late: bool = False) -> datetime:
        """The department answers after `since`: by the due date, or a few working days after it."""
        world, r = self.world, flow.request
        if late:
            moment = world.after(world.at(r.due), self.rng.randint(1, 3))
        else:
            moment = world.after(since, self.rng.randint(0, max(0, rules.limit(r.region_code, r.type) - 1)))
            if timezone.localdate(moment, world.tz) > r.due:
                moment = world.at(r.due)
            if moment <= since:
                moment = since + timedelta(minutes=self.rng.randint(20, 180))
        flow.answer(moment, text)
        return moment

    def verdict_time(self, flow: _Flow, answered: datetime) -> datetime:
        """When the citizen says whether the answer satisfies: an operator calls back in office hours."""
        if flow.request.channel == RequestChannel.HOTLINE:
            return self.world.after(answered, self.rng.randint(0, 2))
        return answered + timedelta(hours=self.rng.randint(1, 60))

    def closed(self, n: int) -> _Flow | None:
        """The n-th request of the year, received, handled and closed before today."""
        rng, world = self.rng, self.world
        path = (
            "supervised"
            if n in SUPERVISED_CLOSED
            else rng.choices(list(CLOSING_PATHS), list(CLOSING_PATHS.values()))[0]
        )
        for _ in range(20):  # received too late in the year to be closed by today: draw again
            citizen = self.by_citizen < 4 and rng.random() < 0.02
            flow = self.flow(citizen=citizen)
            self._walk(flow, world.today - timedelta(days=rng.randint(3, DAYS)), path)
            if flow.request.closed_at is not None and flow.request.closed_at < world.midnight:
                self.by_citizen += citizen
                return flow
        return None

    def _walk(self, flow: _Flow, day: date, path: str) -> None:
        """受理 to 办结 along `path`; any of them may be answered late."""
        rng, world, t = self.rng, self.world, flow.template
        moment = self.received(flow, day)
        flow.receive(moment)
        auto = path != "returned" and rng.random() < 0.6
        flow.suggest(sure=auto)
        if path == "returned":  # routed to the wrong department first, which sent it back
            wrong = rng.choice([d for d in world.departments.values() if d.pk != t.department.pk])
            moment += timedelta(seconds=rng.randint(3, 40))
            flow.dispatch(moment, wrong, auto=True)
            moment = world.after(moment, rng.choice((0, 1)))
            flow.give_back(moment)
        moment = moment + timedelta(seconds=rng.randint(3, 40)) if auto else world.after(moment, 0)
        flow.dispatch(moment, t.department, auto=auto)
        moment = world.after(moment, rng.choice((0, 0, 0, 1)))
        flow.sign(moment)
        if path == "extension":
            moment = world.after(moment, rng.randint(1, 2))
            flow.ask_extension(moment, rng.choice((3, 5, 10)))
            moment = world.after(moment, rng.choice((0, 1)))
            flow.approve_extension(moment)
        redos = {"redo": 1, "supervised": 2}.get(path, 0)
        for _ in range(redos):
            moment = self.answer(flow, moment, rng.choice(self.data["first_answers"]))
            moment = self.verdict_time(flow, moment)
            flow.unsatisfied(moment)
        if path == "supervised":
            moment = self.answer(flow, world.after(moment, rng.randint(1, 3)), "经督办，" + t.answer)
            flow.conclude(world.after(moment, 1))
            return
        moment = self.answer(flow, moment, t.answer, late=rng.random() < 0.06)
        if path == "unjudged":
            r = flow.request
            judged_by = rules.due_after(timezone.localdate(moment, world.tz), r.region_code, "judge")
            flow.close_unjudged(world.at(judged_by + timedelta(days=1), (2, 0), (2, 30)))
        else:
            flow.satisfied(self.verdict_time(flow, moment))

    def open(self) -> list[_Flow]:
        """Work for today: requests in every open stage, a few of them past their limits."""
        rng, world, back = self.rng, self.world, self.world.back
        flows: list[_Flow] = []

        def begin(days_back: int, department: str | None = None, *, sure: bool = True, **kw: Any) -> _Flow:
            flow = self.flow(department, **kw)
            flow.receive(self.received(flow, back(days_back)))
            flow.suggest(sure=sure)
            flows.append(flow)
            return flow

        def routed(flow: _Flow, *, sign: bool = True) -> datetime:
            moment = flow.request.received_at + timedelta(seconds=rng.randint(3, 40))
            flow.dispatch(moment, flow.template.department, auto=True)
            if sign:
                moment = world.after(moment, 0)
                flow.sign(moment)
            return moment

        # 待派单: two the classifier was unsure of, one sent back by a department, one left past its due date
        begin(1, sure=False, types=NOT_CONSULT)
        begin(1, sure=False)
        returned = begin(2, "zjj", types=NOT_CONSULT)
        wrong = world.departments.get("cgj") or returned.template.department
        returned.dispatch(returned.request.received_at + timedelta(seconds=9), wrong, auto=True)
        returned.give_back(world.after(returned.request.received_at, 1))
        begin(8, sure=False, types=("help", "complaint"))
        # 待签收: three within the sign limit, one not signed in time
        for _ in range(3):
            routed(begin(1, types=NOT_CONSULT), sign=False)
        routed(begin(3, types=NOT_CONSULT), sign=False)
        # 办理中: four within the limit, two past it, one asking for more time, one being done again
        for department in ("scjg", "rsj", "zjj", "gjj"):
            routed(begin(rng.randint(1, 3), department, types=NOT_CONSULT))
        for days_back in (8, 9):
            routed(begin(days_back, rng.choice(("cgj", "zjj", "gazagl")), types=("help", "complaint")))
        asking = begin(6, "jyj", types=("suggestion", "complaint"))
        asking.ask_extension(world.after(routed(asking), 4), 5)
        redone = begin(9, "cgj", types=("complaint",))
        routed(redone)
        redone.answer(world.at(back(5)), rng.choice(self.data["first_answers"]))
        redone.unsatisfied(world.at(back(2)))
        # 已答复待回访: answered in the last days; the demo citizen's one has the published 查询码
        for n, days_back in enumerate((1, 3, 2, 2, 1)):
            flow = begin(days_back + 3, citizen=n == 0, types=NOT_CONSULT)
            routed(flow)
            flow.answer(world.at(back(days_back)), flow.template.answer)
            if n == 0:
                flow.request.tracking_digest = tracking_digest(DEMO_TRACKING_CODE)
        # 督办中: one waiting for the department's answer, one answered and waiting for the conclusion
        for answered_again in (False, True):
            flow = begin(24, rng.choice(("cgj", "scjg", "zjj")), types=("complaint",))
            routed(flow)
            flow.answer(world.at(back(20)), rng.choice(self.data["first_answers"]))
            flow.unsatisfied(world.at(back(18)))
            flow.answer(world.at(back(12)), rng.choice(self.data["first_answers"]))
            flow.unsatisfied(world.at(back(7 if answered_again else 4)))
            if answered_again:
                flow.answer(world.at(back(1)), "经督办，" + flow.template.answer)
        return flows


def requests_load(world: FeedbackWorld) -> int:
    generator = _Requests(world)
    if not generator.templates:
        return 0
    flows = [f for f in (generator.closed(n) for n in range(CLOSED_REQUESTS)) if f is not None]
    flows += generator.open()
    _store(world, flows)
    return len(flows)


def _store(world: FeedbackWorld, flows: list[_Flow]) -> None:
    """Numbers and 查询码 digests, then the rows: requests first, their events point at them."""
    rng = world.rng
    flows.sort(key=lambda f: f.request.received_at)
    taken = set(ServiceRequest.objects.values_list("number", flat=True))
    for flow in flows:
        r = flow.request
        # as the desk numbers them: the day and six random digits
        number = f"{r.received_on:%Y%m%d}{rng.randrange(10**6):06d}"
        while number in taken:
            number = f"{r.received_on:%Y%m%d}{rng.randrange(10**6):06d}"
        taken.add(number)
        r.number = number
        if not r.tracking_digest:
            r.tracking_digest = tracking_digest("".join(rng.choice(TRACKING_ALPHABET) for _ in range(10)))
    ServiceRequest.objects.bulk_create([f.request for f in flows], batch_size=500)
    events = []
    for flow in flows:
        for event in flow.events:
            event.request = flow.request
            events.append(event)
    RequestEvent.objects.bulk_create(events, batch_size=1000)
