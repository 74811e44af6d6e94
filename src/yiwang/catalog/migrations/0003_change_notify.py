"""Every committed change to items, their versions or departments notifies the caches of submissions'
published versions in all processes (core.changes); PostgreSQL only, as the caches are used only there."""

from django.db import migrations

TABLES = ("catalog_serviceitem", "catalog_itemversion", "catalog_department")
FUNCTION = """
CREATE OR REPLACE FUNCTION yiwang_catalog_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('yiwang_catalog', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        # Once per statement: a catalog import that writes thousands of rows sends one notification.
        schema_editor.execute(
            f"CREATE TRIGGER yiwang_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION yiwang_catalog_changed()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS yiwang_catalog_changed ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS yiwang_catalog_changed()")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_sharing_basis"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
