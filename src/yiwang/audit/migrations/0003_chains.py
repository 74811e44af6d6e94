"""The audit trail as several hash chains: `chain` on every entry, `seq` unique within its chain.

Existing entries are chain 0, whose head keeps its name ("audit"), so their hashes still verify. On
SQLite, dropping the unique index on `seq` rebuilds the table and its append-only triggers go with
the old one: they are created again last.
"""

import importlib

from django.conf import settings
from django.db import migrations, models

from yiwang.core.migration_tools import by_vendor

append_only = importlib.import_module("yiwang.audit.migrations.0002_append_only")


def only_chain_zero(apps, schema_editor):
    """Undoing this migration makes `seq` unique again: possible only while every entry is in chain 0."""
    entry = apps.get_model("audit", "AuditEntry")
    if entry.objects.exclude(chain=0).exists():
        raise RuntimeError(
            "审计日志已写入多条哈希链，不能回退到 audit 0002（序号将重复）；请先从备份恢复到分链之前的数据库"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("catalog", "0002_sharing_basis"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Undone last: reversing the field changes rebuilds the SQLite table once more.
        migrations.RunPython(
            migrations.RunPython.noop,
            by_vendor({"sqlite": append_only.SQLITE_DOWN + append_only.SQLITE_UP}),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["-id"], "verbose_name": "审计日志", "verbose_name_plural": "审计日志"},
        ),
        migrations.RemoveIndex(
            model_name="auditentry",
            name="auditentry_action_recent",
        ),
        migrations.RemoveIndex(
            model_name="auditentry",
            name="auditentry_department_recent",
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="哈希链"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(verbose_name="序号"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["action", "-id"], name="auditentry_action_latest"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["department", "-id"], name="auditentry_department_latest"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="auditentry_chain_seq"),
        ),
        # Undone before the field changes are: refuses clearly when seq can no longer be unique.
        migrations.RunPython(migrations.RunPython.noop, only_chain_zero),
        migrations.RunPython(
            by_vendor({"sqlite": append_only.SQLITE_DOWN + append_only.SQLITE_UP}),
            migrations.RunPython.noop,
        ),
    ]
