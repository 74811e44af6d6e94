"""A native sequence for the 统一社会信用代码 that 企业设立登记 assigns, on PostgreSQL (SQLite uses the
NumberSequence table)."""

from django.db import migrations


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS yiwang_uscc_seq")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS yiwang_uscc_seq")


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_application_agent")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]
