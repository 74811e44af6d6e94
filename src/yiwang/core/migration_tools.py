"""Migration steps that move clear identifier columns to ciphertext + blind index, and back.

The order inside a migration is: add the index column; widen the clear column as plain text
(`widen`); encrypt every row (`encrypt_rows`); only then declare the column an EncryptedField, so
no historical model ever tries to decrypt a clear value.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import migrations, models

from yiwang.core import protection
from yiwang.core.fields import CIPHERTEXT_LENGTH


def widen(model_name: str, name: str, *, null: bool = False, blank: bool = False) -> migrations.AlterField:
    return migrations.AlterField(
        model_name=model_name,
        name=name,
        field=models.CharField(max_length=CIPHERTEXT_LENGTH, null=null, blank=blank),
    )


def encrypt_rows(app_label: str, model_name: str, columns: dict[str, str]) -> migrations.RunPython:
    """`columns` maps each clear column to its blind-index column."""

    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for pk, *values in model.objects.values_list("pk", *columns).iterator():
            changes: dict[str, Any] = {}
            for (column, index), value in zip(columns.items(), values, strict=True):
                if value and not value.startswith(protection.PREFIX):
                    changes[column] = protection.encrypt(value)
                    changes[index] = protection.blind_index(value)
            if changes:
                model.objects.filter(pk=pk).update(**changes)

    return migrations.RunPython(forward, _decrypt_rows(app_label, model_name, list(columns)))


def as_text(model_name: str, name: str, *, blank: bool = False) -> migrations.AlterField:
    """A JSON column as plain text (PostgreSQL casts jsonb to its text), ready to be encrypted."""
    return migrations.AlterField(
        model_name=model_name, name=name, field=models.TextField(blank=blank, default="{}")
    )


def encrypt_json_rows(app_label: str, model_name: str, columns: list[str]) -> migrations.RunPython:
    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for pk, *values in model.objects.values_list("pk", *columns).iterator():
            changes = {
                column: protection.encrypt(json.dumps(json.loads(value), ensure_ascii=False))
                for column, value in zip(columns, values, strict=True)
                if value is not None and not value.startswith(protection.PREFIX)
            }
            if changes:
                model.objects.filter(pk=pk).update(**changes)

    return migrations.RunPython(forward, _decrypt_rows(app_label, model_name, list(columns)))


def _decrypt_rows(app_label: str, model_name: str, columns: list[str]) -> Any:
    """The way back for both: the clear text of every encrypted value."""

    def backward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for pk, *values in model.objects.values_list("pk", *columns).iterator():
            changes = {
                column: protection.decrypt(value)
                for column, value in zip(columns, values, strict=True)
                if value and value.startswith(protection.PREFIX)
            }
            if changes:
                model.objects.filter(pk=pk).update(**changes)

    return backward
