"""JSON built in SQL, the same way on both our databases."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, Func, JSONField, TextField
from django.db.models.functions import Cast, JSONObject


class JSONRow(JSONObject):
    """JSONObject built as `json` on PostgreSQL, not `jsonb`: a row handed on whole, never searched
    in, need not be parsed into jsonb first (a third of the aggregation's time)."""

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        copy = self.copy()
        # Keys are bound parameters: PostgreSQL must be told they are text.
        copy.set_source_expressions(
            [
                Cast(expression, TextField()) if index % 2 == 0 else expression
                for index, expression in enumerate(copy.get_source_expressions())
            ]
        )
        return Func.as_sql(copy, compiler, connection, function="JSON_BUILD_OBJECT", **extra_context)


class JSONArrayAgg(Aggregate):
    """The group's values as one JSON array: json_agg on PostgreSQL, json_group_array on SQLite.

    Used with JSONRow to bring a row's children in the same query as the row (a status read's
    events, say) instead of one more round trip. The array comes in no particular order, and values
    arrive as JSON has them: times as ISO text, booleans as 0/1 on SQLite, UUIDs as hex on SQLite.
    """

    function = "JSON_AGG"
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # As text: psycopg would parse `json` itself, and the JSONField parses it again.
        sql, params = self.as_sql(compiler, connection, **extra_context)
        return f"({sql})::text", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)
