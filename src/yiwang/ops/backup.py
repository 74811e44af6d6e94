"""Backup and restore of the whole platform: the database (portable JSON, any engine to any engine),
every stored file (through the storage API, so local disk and object storage alike), and the
number sequences, in one tar.gz with a manifest of counts and digests that the restore checks.
Every member but the manifest is sealed with SM4-GCM under YIWANG_FIELD_KEY: restoring needs it."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction

from yiwang.audit import chain as audit_chain
from yiwang.core import protection
from yiwang.core.errors import DomainError
from yiwang.core.models import NumberSequence
from yiwang.core.sealed_files import is_sealed
from yiwang.documents.models import Document
from yiwang.documents.storage import blob_write
from yiwang.sharing import chain as use_log

FORMAT = "yiwang.backup"
FORMAT_VERSION = 3  # 2: times kept to the microsecond (yjson); 3: members sealed with SM4-GCM
# The database's personal data is encrypted at rest; a backup must not be the copy that is not.
SEALED = "sm4-gcm"
# Rebuilt by `migrate` on the target, or worthless after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "core.NumberSequence", "audit.ChainHead"]


class BackupError(DomainError):
    status = 422


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    objects: int
    files: int


def _counts() -> dict[str, int]:
    skipped = {"contenttypes", "sessions"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skipped
        and model._meta.label not in ("auth.Permission",)
        and model._meta.label not in EXCLUDED
    }


def _stored_files() -> list[str]:
    """Every file the data refers to, by storage name."""
    names: set[str] = set()
    for model in apps.get_models():
        file_fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in file_fields:
            names.update(
                n for n in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True) if n
            )
    names.update(Document.objects.values_list("blob", flat=True))
    return sorted(names)


def sequences_read() -> dict[str, int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sequencename, COALESCE(last_value, 0) FROM pg_sequences "
                "WHERE sequencename LIKE 'yiwang\\_%\\_seq'"
            )
            return {name[len("yiwang_") : -len("_seq")]: int(value) for name, value in cursor.fetchall()}
    return dict(NumberSequence.objects.values_list("name", "value"))


def sequences_write(values: dict[str, int]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name, value in values.items():
                cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "yiwang_{name}_seq"')
                if value > 0:
                    cursor.execute("SELECT setval(%s, %s)", [f"yiwang_{name}_seq", value])
        return
    for name, value in values.items():
        NumberSequence.objects.update_or_create(name=name, defaults={"value": value})


def backup_create(target: Path) -> BackupSummary:
    """Write a consistent snapshot (one repeatable-read transaction on PostgreSQL) to `target`."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table read below (must be the transaction's first statement).
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        data = io.StringIO()
        # Primary keys are kept (a restore goes into an empty database): the use log hashes actor ids.
        call_command(
            "dumpdata", format="yjson", exclude=EXCLUDED, natural_foreign=True, stdout=data, verbosity=0
        )
        counts, files, sequences = _counts(), _stored_files(), sequences_read()
    payload = data.getvalue().encode("utf-8")
    digests: dict[str, str] = {}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz") as archive:
        _add(archive, "data.json", _seal(payload, "data.json"))
        for name in files:
            # As stored: documents stay sealed under their own data keys, which the same field key
            # (required by the restore) opens; the backup never holds their clear bytes.
            with default_storage.open(name, "rb") as handle:
                content = handle.read()
            digests[name] = hashlib.sha256(content).hexdigest()
            _add(archive, f"files/{name}", _seal(content, name))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "database": connection.vendor,
            "counts": counts,
            "files": digests,
            "sequences": sequences,
            "data_sha256": hashlib.sha256(payload).hexdigest(),
            "sealed": SEALED,
            "key": protection.key_fingerprint(),
        }
        _add(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return BackupSummary(target, sum(counts.values()), len(digests))


def _add(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def restore(source: Path) -> BackupSummary:
    """Load a backup into an empty, migrated database and its storage; verify counts and digests."""
    try:
        archive = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError("backup_unreadable", f"无法读取备份文件：{exc}") from exc
    with archive:
        manifest = json.loads(_read(archive, "manifest.json"))
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError("backup_format", "不是本系统的备份文件或版本不受支持")
        if manifest.get("key") != protection.key_fingerprint():
            raise BackupError(
                "backup_key",
                "备份由另一个 YIWANG_FIELD_KEY 加密：请在恢复时设置生成备份时使用的同一密钥",
            )
        payload = _open(_read(archive, "data.json"), "data.json")
        if hashlib.sha256(payload).hexdigest() != manifest["data_sha256"]:
            raise BackupError("backup_corrupt", "备份数据校验失败（data.json 摘要不符）")
        if any(count for label, count in _counts().items() if label != "auth.Group"):
            raise BackupError(
                "restore_target_not_empty", "目标数据库不是空库：请在新建并完成迁移的数据库上恢复"
            )
        files = {name: _open(_read(archive, f"files/{name}"), name) for name in manifest["files"]}
    for name, content in files.items():
        if hashlib.sha256(content).hexdigest() != manifest["files"][name]:
            raise BackupError("backup_corrupt", f"备份文件校验失败：{name}")
    with transaction.atomic():
        with tempfile.NamedTemporaryFile("wb", suffix=".yjson") as handle:
            handle.write(payload)
            handle.flush()
            call_command("loaddata", handle.name, verbosity=0)
        sequences_write(manifest["sequences"])
        _rebuild_chain_heads()
        counts = _counts()
        if counts != manifest["counts"]:
            differing = sorted(
                k for k in set(counts) | set(manifest["counts"]) if counts.get(k) != manifest["counts"].get(k)
            )
            raise BackupError("restore_mismatch", f"恢复后数据条数与备份不一致：{'、'.join(differing)}")
    _analyze()
    _restore_files(files)
    return BackupSummary(source, sum(counts.values()), len(files))


def _restore_files(files: dict[str, bytes]) -> None:
    """Stored files come back as they were stored: documents sealed (under the same field key, which
    the restore requires). A backup taken before documents were sealed holds them clear: those are
    sealed now, as the documents migration sealed the originals."""
    blobs = set(Document.objects.values_list("blob", flat=True))
    for name, content in files.items():
        if default_storage.exists(name):
            continue
        if name in blobs and not is_sealed(content):
            blob_write(name, io.BytesIO(content))
        else:
            default_storage.save(name, ContentFile(content))


def _analyze() -> None:
    """Planner statistics for the tables just filled (PostgreSQL and SQLite both take ANALYZE).

    Without them PostgreSQL sizes each restored table as it last saw it, empty, until autovacuum
    first gets to it; a server connection that plans meanwhile keeps plans that read whole tables,
    its foreign-key checks' among them.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _rebuild_chain_heads() -> None:
    """Backups leave the chain heads out; make each from its chain's last row, as an append would."""
    use_log.head_rebuild()
    audit_chain.heads_rebuild()


def _read(archive: tarfile.TarFile, name: str) -> bytes:
    member = archive.extractfile(name)
    if member is None:
        raise BackupError("backup_format", f"备份文件缺少 {name}")
    return member.read()


def _seal(content: bytes, name: str) -> bytes:
    return protection.seal_bytes(content, purpose=f"yiwang.backup:{name}".encode())


def _open(sealed: bytes, name: str) -> bytes:
    try:
        return protection.open_bytes(sealed, purpose=f"yiwang.backup:{name}".encode())
    except protection.ProtectionError:
        raise BackupError("backup_corrupt", f"备份数据校验失败（{name} 无法解密或已被改动）") from None
