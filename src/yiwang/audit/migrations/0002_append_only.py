"""The audit trail is append-only in the database itself: UPDATE and DELETE are refused by triggers.

As the use log's (sharing 0002); the PostgreSQL function is the same one, (re)created here so this
migration does not depend on the order the two apps migrate in, and left in place when undone.
"""

from django.db import migrations

from yiwang.core.migration_tools import vendor_sql

SQLITE_UP = [
    "CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END",
    "CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]
POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION yiwang_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
    "CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION yiwang_append_only()",
]
POSTGRES_DOWN = ["DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry"]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        vendor_sql(
            {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP},
            {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN},
        )
    ]
