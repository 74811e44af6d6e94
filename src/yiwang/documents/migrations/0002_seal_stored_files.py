"""Seal every stored document (SM4-GCM, documents.storage) and make local media private (0700/0600).

Idempotent: a blob already sealed is recognised by its header and left alone, so a run cut short
can simply be run again. Backwards, the blobs are stored clear again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import migrations

from yiwang.core.file_modes import private_tree
from yiwang.documents import storage


def _blobs(apps: Any) -> list[str]:
    document = apps.get_model("documents", "Document")
    return sorted(set(document.objects.values_list("blob", flat=True)))


def seal(apps: Any, schema_editor: Any) -> None:
    for key in _blobs(apps):
        storage.blob_seal_in_place(key)
    try:
        root = Path(default_storage.path(""))
    except NotImplementedError:  # object storage: no file modes
        return
    private_tree(root)


def unseal(apps: Any, schema_editor: Any) -> None:
    for key in _blobs(apps):
        storage.blob_open_in_place(key)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seal, unseal, elidable=False)]
