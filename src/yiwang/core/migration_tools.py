"""Migration steps: SQL by database vendor, and moving clear identifier columns to ciphertext + blind
index and back.

For identifiers, the order inside a migration is: add the index column; widen the clear column as plain text
(`widen`); encrypt every row (`encrypt_rows`); only then declare the column an EncryptedField, so
no historical model ever tries to decrypt a clear value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import migrations, models

from yiwang.core import protection
from yiwang.core.fields import CIPHERTEXT_LENGTH


def by_vendor(statements_by_vendor: dict[str, list[str]]) -> Callable[[Any, Any], None]:
    """A RunPython function sending the raw statements of the database's vendor ("sqlite",
    "postgresql"); a vendor not named gets none. No parameters are sent, so `%` in them is literal."""

    def apply(apps: Any, schema_editor: Any) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return apply


def vendor_sql(up: dict[str, list[str]], down: dict[str, list[str]]) -> migrations.RunPython:
    """Raw statements per vendor, forwards (`up`) and backwards (`down`)."""
    return migrations.RunPython(by_vendor(up), by_vendor(down))


def widen(model_name: str, name: str, *, null: bool = False, blank: bool = False) -> migrations.AlterField:
    return migrations.AlterField(
        model_name=model_name,
        name=name,
        field=models.CharField(max_length=CIPHERTEXT_LENGTH, null=null, blank=blank),
    )


Rewrite = Callable[[str, Any], dict[str, Any]]  # (column, stored value) -> columns to update


def _rewrite_rows(app_label: str, model_name: str, columns: list[str], rewrite: Rewrite) -> Any:
    """A RunPython function: every row's changes from `rewrite`, one UPDATE per changed row."""

    def run(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for pk, *values in model.objects.values_list("pk", *columns).iterator():
            changes: dict[str, Any] = {}
            for column, value in zip(columns, values, strict=True):
                changes.update(rewrite(column, value))
            if changes:
                model.objects.filter(pk=pk).update(**changes)

    return run


def _is_clear(value: Any) -> bool:
    return bool(value) and not value.startswith(protection.PREFIX)


def _decrypt(column: str, value: Any) -> dict[str, Any]:
    return {column: protection.decrypt(value)} if value and value.startswith(protection.PREFIX) else {}


def encrypt_rows(app_label: str, model_name: str, columns: dict[str, str]) -> migrations.RunPython:
    """`columns` maps each clear column to its blind-index column."""

    def encrypt(column: str, value: Any) -> dict[str, Any]:
        if not _is_clear(value):
            return {}
        return {column: protection.encrypt(value), columns[column]: protection.blind_index(value)}

    names = list(columns)
    return migrations.RunPython(
        _rewrite_rows(app_label, model_name, names, encrypt),
        _rewrite_rows(app_label, model_name, names, _decrypt),
    )


def as_text(model_name: str, name: str, *, blank: bool = False) -> migrations.AlterField:
    """A JSON column as plain text (PostgreSQL casts jsonb to its text), ready to be encrypted."""
    return migrations.AlterField(
        model_name=model_name, name=name, field=models.TextField(blank=blank, default="{}")
    )


def encrypt_json_rows(app_label: str, model_name: str, columns: list[str]) -> migrations.RunPython:
    def encrypt(column: str, value: Any) -> dict[str, Any]:
        if value is None or value.startswith(protection.PREFIX):
            return {}
        return {column: protection.encrypt(json.dumps(json.loads(value), ensure_ascii=False))}

    return migrations.RunPython(
        _rewrite_rows(app_label, model_name, columns, encrypt),
        _rewrite_rows(app_label, model_name, columns, _decrypt),
    )
