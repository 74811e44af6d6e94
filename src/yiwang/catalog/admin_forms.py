"""Form fields of the catalog admin that Django does not have: GB/T 39046 code columns, the import upload."""

from __future__ import annotations

from typing import Any

from django import forms

from yiwang.catalog import codes


class CodesField(forms.MultipleChoiceField):
    """A multi-select code column of GB/T 39046 (stored as `1^2^3`) edited as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value: Any) -> Any:
        return codes.split_codes(value) if isinstance(value, str) else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return super().has_changed(self.prepare_value(initial), data)

    def clean(self, value: Any) -> str:
        return codes.join_codes(super().clean(value))


class ImportForm(forms.Form):
    file = forms.FileField(label="目录文件（.json 或 .xlsx）")
