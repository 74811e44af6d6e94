"""A base for API answers that the presenters build as plain dicts, and the way they are sent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from pydantic import BaseModel, PlainSerializer

_ENCODER = DjangoJSONEncoder()


def timestamp(moment: datetime) -> str:
    """A moment as every answer of the API writes it: the site's zone with its offset (+08:00), to the
    millisecond (Django's JSON encoder). The database hands back UTC."""
    return str(_ENCODER.default(timezone.localtime(moment) if timezone.is_aware(moment) else moment))


Timestamp = Annotated[datetime, PlainSerializer(timestamp, return_type=str, when_used="json")]


class Out(BaseModel):
    """An API answer made of plain dicts, validated by pydantic-core alone.

    ninja's `Schema` reads every nested object through its ORM attribute getter, one Python call per
    field; the presenters have already read what the answer needs.
    """


def answer(schema: type[Out], data: dict[str, Any], status: int = 200) -> HttpResponse:
    """`data` checked against `schema` and written as JSON by pydantic-core.

    The operation still declares `schema` as its response (the OpenAPI document is unchanged); this
    only skips ninja's generic path — a wrapper model around the answer, then Python's json module.
    """
    return HttpResponse(
        schema.model_validate(data).model_dump_json(),
        status=status,
        content_type="application/json; charset=utf-8",
    )
