"""Page-number pagination with a bounded page size, shared by the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    count: int
    number: int
    size: int
    next_url: str | None
    previous_url: str | None

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size))


def _url_for(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request: HttpRequest, queryset: QuerySet[Any], number: int, size: int | None = None) -> Page:
    size = size or settings.YIWANG_PAGE_SIZE
    count = queryset.count()
    start = (number - 1) * size
    rows = list(queryset[start : start + size])
    return Page(
        rows=rows,
        count=count,
        number=number,
        size=size,
        next_url=_url_for(request, number + 1) if start + size < count else None,
        previous_url=_url_for(request, number - 1) if number > 1 else None,
    )
