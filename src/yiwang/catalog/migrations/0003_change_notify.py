"""Every committed change to items, their versions or departments notifies the caches of submissions'
published versions in all processes (core.changes); PostgreSQL only, as the caches are used only there."""

from django.db import migrations

from yiwang.core.migration_tools import vendor_sql

TABLES = ("catalog_serviceitem", "catalog_itemversion", "catalog_department")
FUNCTION = """
CREATE OR REPLACE FUNCTION yiwang_catalog_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('yiwang_catalog', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
# Once per statement: a catalog import that writes thousands of rows sends one notification.
POSTGRES_UP = [
    FUNCTION,
    *(
        f"CREATE TRIGGER yiwang_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION yiwang_catalog_changed()"
        for table in TABLES
    ),
]
POSTGRES_DOWN = [
    *(f"DROP TRIGGER IF EXISTS yiwang_catalog_changed ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS yiwang_catalog_changed()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_sharing_basis"),
    ]

    operations = [vendor_sql({"postgresql": POSTGRES_UP}, {"postgresql": POSTGRES_DOWN})]
