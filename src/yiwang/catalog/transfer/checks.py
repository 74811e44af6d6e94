"""What is wrong with an incoming catalog document, collected by a path into the document (such as
`items[3].versions[0].materials[2].code`) so that one import reports every problem at once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from yiwang.catalog.models import Bundle, Department, ServicePoint
from yiwang.core.errors import ValidationFailed


class ImportErrors:
    """Collects every problem of an import, keyed by a path into the document."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path, []).append(message)

    def add_validation(self, path: str, exc: ValidationError) -> None:
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.add(f"{path}.{name}" if name != "__all__" else path, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(
                self.fields,
                message=f"导入失败，共 {sum(map(len, self.fields.values()))} 处问题，未写入任何数据",
                code="catalog_import_invalid",
            )


def clean_record(
    instance: models.Model, path: str, errors: ImportErrors, exclude: list[str] | None = None
) -> None:
    """Run the model's validation on one incoming record and file what it finds under `path`."""
    # Uniqueness is checked for top-level records (a name used twice is a field error, not a crash);
    # the rows of a version are checked by the import itself before they are written.
    top_level = isinstance(instance, (Department, ServicePoint, Bundle))
    try:
        instance.full_clean(exclude=exclude, validate_unique=top_level, validate_constraints=False)
    except ValidationError as exc:
        errors.add_validation(path, exc)


_NESTED: dict[str, dict[str, Any]] = {
    "items": {"versions": {"materials": {}, "steps": {}, "fees": {}}},
    "bundles": {"members": {"requires": {}}},
}


def check_shape(data: dict[str, Any]) -> None:
    """Lists of objects where lists of objects belong, so a mangled file is a clear error, not a crash."""
    problems: dict[str, list[str]] = {}

    def walk(rows: Any, path: str, nested: dict[str, Any]) -> None:
        if rows is None:
            return
        if not isinstance(rows, list):
            problems.setdefault(path, []).append("应为数组")
            return
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                problems.setdefault(f"{path}[{i}]", []).append("应为 JSON 对象")
                continue
            for key, inner in nested.items():
                walk(row.get(key), f"{path}[{i}].{key}", inner)

    for key in ("departments", "service_points"):
        walk(data.get(key), key, {})
    for key, nested in _NESTED.items():
        walk(data.get(key), key, nested)
    if problems:
        raise ValidationFailed(
            problems, message="导入文件结构不正确，未写入任何数据", code="catalog_import_format"
        )
