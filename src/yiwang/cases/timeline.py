"""A status read's events and materials, brought in the same query as its cases.

An applicant's status read used to be one query for the cases and one each for their events
(办件过程) and the application's materials; those two round trips were a fifth of the read's CPU.
`with_timeline` adds both as JSON arrays to the case query (core.aggregates), and
`events_of` / `materials_of` turn what came back into the rows the presenters read — the same rows
whether they came that way, were handed over by a submission, or were queried on their own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Case as SQLCase
from django.db.models import JSONField, OuterRef, QuerySet, Subquery, When

from yiwang.cases.models import ApplicationMaterial, Case, CaseEvent
from yiwang.catalog.models import Material
from yiwang.core.aggregates import JSONArrayAgg, JSONRow

EVENTS = "timeline_events"
MATERIALS = "timeline_materials"


@dataclass(frozen=True, slots=True)
class EventRow:
    """One case event as presenters.event_out shows it."""

    pk: int
    case_id: int
    action: str
    from_status: str
    to_status: str
    actor_name: str | None  # None: no actor (the system)
    actor_role: str
    channel: str
    reason: str
    data: Any
    at: datetime

    @classmethod
    def of(cls, event: CaseEvent) -> EventRow:
        actor = event.actor if event.actor_id else None
        return cls(
            event.pk,
            event.case_id,
            event.action,
            event.from_status,
            event.to_status,
            actor.name if actor is not None else None,
            event.actor_role,
            event.channel,
            event.reason,
            event.data,
            event.at,
        )


@dataclass(frozen=True, slots=True)
class MaterialRow:
    """One material of an application as the application's status shows it."""

    pk: int
    material_id: int
    name: str
    document_id: uuid.UUID | None
    licence_identifier: str
    pledged: bool
    from_library: bool
    from_form: bool
    supplemented: bool

    @classmethod
    def of(cls, m: ApplicationMaterial) -> MaterialRow:
        return cls(
            m.pk,
            m.material_id,
            m.material.name,
            m.document_id,
            m.licence_identifier,
            m.pledged,
            m.from_library,
            m.from_form,
            m.supplemented,
        )


# The columns each row carries, under their own names; the related names are added where used.
# An event's data stays sealed in SQL and is opened in Python, as the field does.
_EVENT_COLUMNS = (
    "id",
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "actor_role",
    "channel",
    "reason",
    "data",
    "at",
)
_MATERIAL_COLUMNS = (
    "id",
    "material_id",
    "document_id",
    "licence_identifier",
    "pledged",
    "from_library",
    "from_form",
    "supplemented",
)


def _json(columns: tuple[str, ...], **more: Any) -> JSONRow:
    return JSONRow(**{c: c for c in columns}, **more)


def _array(rows: QuerySet[Any], group: str, item: JSONRow) -> Subquery:
    grouped = rows.order_by().values(group).annotate(rows=JSONArrayAgg(item)).values("rows")
    return Subquery(grouped, output_field=JSONField())


def with_timeline(cases: QuerySet[Case], *, materials: bool) -> QuerySet[Case]:
    """Each case with its events, and (`materials`) its application's materials, as JSON arrays."""
    cases = cases.annotate(
        **{
            EVENTS: _array(
                CaseEvent.objects.filter(case_id=OuterRef("pk")),
                "case_id",
                _json(_EVENT_COLUMNS, actor_name="actor__name"),
            )
        }
    )
    if materials:
        of_application = ApplicationMaterial.objects.filter(application_id=OuterRef("application_id"))
        # The name by a lookup per material, not a join: for a join PostgreSQL chose to merge against
        # the whole (small) catalog table, two hundred index entries for a handful of materials.
        name = Subquery(Material.objects.filter(pk=OuterRef("material_id")).order_by().values("name")[:1])
        array = _array(of_application, "application_id", _json(_MATERIAL_COLUMNS, name=name))
        # On the application's first case only: a bundle's other cases would aggregate the same rows again.
        first = Case.objects.filter(application_id=OuterRef("application_id")).order_by("pk").values("pk")[:1]
        cases = cases.annotate(
            **{MATERIALS: SQLCase(When(pk=Subquery(first), then=array), output_field=JSONField())}
        )
    return cases


_EVENT_DATA = CaseEvent._meta.get_field("data")


def _time(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite keeps UTC without offset


def _brought(case: Case, name: str) -> list[dict[str, Any]] | None:
    """What the case's query brought under `name` (an empty group comes as NULL); None if it did not ask."""
    if not hasattr(case, name):
        return None
    rows: list[dict[str, Any]] | None = getattr(case, name)
    return rows or []


def _event(case: Case, r: dict[str, Any]) -> EventRow:
    actor_name = r["actor_name"] if r["actor_id"] is not None else None
    data = _EVENT_DATA.from_db_value(r["data"], None, None)
    return EventRow(
        r["id"], case.pk, r["action"], r["from_status"], r["to_status"], actor_name,
        r["actor_role"], r["channel"], r["reason"], data, _time(r["at"]),
    )  # fmt: skip


def _material(r: dict[str, Any]) -> MaterialRow:
    document = uuid.UUID(r["document_id"]) if r["document_id"] else None
    flags = (bool(r[k]) for k in ("pledged", "from_library", "from_form", "supplemented"))
    return MaterialRow(r["id"], r["material_id"], r["name"], document, r["licence_identifier"], *flags)


def events_of(case: Case) -> list[EventRow] | None:
    """The case's events in time order, if its query brought them (with_timeline); else None."""
    rows = _brought(case, EVENTS)
    return None if rows is None else sorted((_event(case, r) for r in rows), key=lambda e: (e.at, e.pk))


def materials_of(cases: list[Case]) -> list[MaterialRow] | None:
    """The application's materials in the order they were given, if its cases' query brought them
    (on one of the cases, the first)."""
    brought = [rows for rows in (_brought(case, MATERIALS) for case in cases) if rows is not None]
    if not brought:
        return None
    rows = next((r for r in brought if r), [])
    return sorted((_material(r) for r in rows), key=lambda m: m.pk)
