"""documents 0002 seals the files stored before it and makes local media private; run twice, it
changes nothing more."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.core.test_protection_migration import latest, migrate
from tests.factories import make_citizen, make_document
from yiwang.core.sealed_files import is_sealed

BEFORE = [("documents", "0001_initial")]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db(transaction=True)
def test_clear_stored_documents_are_sealed_and_made_private_by_the_migration(settings):
    data = b"%PDF-1.4\n% stored before sealing\n%%EOF\n"
    document = make_document(make_citizen(), data)
    media = Path(settings.MEDIA_ROOT)
    path = media / document.blob

    try:
        migrate(BEFORE)
        assert path.read_bytes() == data, "stored clear, as before the migration"
        for folder in [media, *path.relative_to(media).parents]:
            (media / folder).chmod(0o755)
        path.chmod(0o644)

        migrate(latest())

        from yiwang.documents.models import Document
        from yiwang.documents.selectors import document_open
        from yiwang.documents.storage import blob_seal_in_place

        assert is_sealed(path.read_bytes())
        assert mode(path) == 0o600
        assert {mode(p) for p in [media, *(q for q in media.rglob("*") if q.is_dir())]} == {0o700}
        with document_open(Document.objects.get(pk=document.pk)) as opened:
            assert opened.read() == data
        sealed = path.read_bytes()
        assert blob_seal_in_place(document.blob) is False and path.read_bytes() == sealed
    finally:
        migrate(latest())
