"""SQL aggregates the ORM lacks on both our databases."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, JSONField


class JSONArrayAgg(Aggregate):
    """The group's values as one JSON array: jsonb_agg on PostgreSQL, json_group_array on SQLite.

    Used with JSONObject to bring a row's children in the same query as the row (a status read's
    events, say) instead of one more round trip. The array comes in no particular order, and values
    arrive as JSON has them: times as ISO text, booleans as 0/1 on SQLite, UUIDs as hex on SQLite.
    """

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)
