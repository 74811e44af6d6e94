"""The home page's search filters: read from the query string, invalid values dropped with a note.

The same filters as `GET /api/v1/items`, but a page never answers 422: a person who typed a bad
address still gets the catalog, and is told which condition was ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import QueryDict

from yiwang.catalog import codes

MAX_QUERY_LENGTH = 100  # same bound as the API
MAX_PAGE = 10_000


@dataclass
class ItemFilters:
    q: str = ""
    department: str = ""
    audience: str = ""
    online_depth: int | None = None
    way: str = ""
    page: int = 1
    ignored: list[str] = field(default_factory=list)

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.department or self.audience or self.online_depth is not None or self.way)

    def query(self) -> QueryDict:
        """The valid filters only, for building links (tabs, chips, pages) that never carry a bad value."""
        out = QueryDict(mutable=True)
        for name in ("q", "department", "audience", "way"):
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.online_depth is not None:
            out["online_depth"] = str(self.online_depth)
        return out


def parse_item_filters(params: QueryDict, *, department_codes: Iterable[str]) -> ItemFilters:
    filters = ItemFilters()
    ignored = filters.ignored

    q = " ".join(params.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        q = q[:MAX_QUERY_LENGTH]
        ignored.append(f"关键词过长，仅按前 {MAX_QUERY_LENGTH} 个字检索")
    filters.q = q

    department = params.get("department", "").strip()
    if department:
        if department in set(department_codes):
            filters.department = department
        else:
            ignored.append("所选部门不存在，已显示全部部门的事项")

    audience = params.get("audience", "").strip()
    if audience:
        if audience in codes.Recipient.values:
            filters.audience = audience
        else:
            ignored.append("服务对象取值无效，已忽略")

    depth = params.get("online_depth", "").strip()
    if depth:
        if depth.isdigit() and int(depth) in codes.OnlineDepth.values:
            filters.online_depth = int(depth)
        else:
            ignored.append("网上办理深度取值无效，已忽略")

    way = params.get("way", "").strip()
    if way:
        if way in codes.FourWays.values:
            filters.way = way
        else:
            ignored.append("办事方式取值无效，已忽略")

    page = params.get("page", "").strip()
    if page:
        if page.isdigit() and 1 <= int(page) <= MAX_PAGE:
            filters.page = int(page)
        else:
            ignored.append("页码无效，已显示第 1 页")
    return filters
