"""The use log is append-only in the database itself: UPDATE and DELETE are refused by triggers."""

from django.db import migrations

from yiwang.core.migration_tools import vendor_sql

SQLITE_UP = [
    "CREATE TRIGGER sharing_datause_no_update BEFORE UPDATE ON sharing_datause "
    "BEGIN SELECT RAISE(ABORT, 'sharing_datause is append-only'); END",
    "CREATE TRIGGER sharing_datause_no_delete BEFORE DELETE ON sharing_datause "
    "BEGIN SELECT RAISE(ABORT, 'sharing_datause is append-only'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS sharing_datause_no_update",
    "DROP TRIGGER IF EXISTS sharing_datause_no_delete",
]
POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION yiwang_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
    "CREATE TRIGGER sharing_datause_append_only BEFORE UPDATE OR DELETE ON sharing_datause "
    "FOR EACH ROW EXECUTE FUNCTION yiwang_append_only()",
]
POSTGRES_DOWN = ["DROP TRIGGER IF EXISTS sharing_datause_append_only ON sharing_datause"]


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [
        vendor_sql(
            {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP},
            {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN},
        )
    ]
