"""Every change to a user or an API token notifies the token caches of all processes
(accounts.tokencache); PostgreSQL only, as the cache is used only there."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION yiwang_auth_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('yiwang_auth', '');
    ELSIF TG_TABLE_NAME = 'accounts_user' THEN
        PERFORM pg_notify('yiwang_auth', OLD.id::text);
    ELSE
        PERFORM pg_notify('yiwang_auth', OLD.user_id::text);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
TABLES = ("accounts_user", "accounts_apitoken")
# A payload of '' (a whole table emptied) drops every cached token.
TRIGGERS = [
    statement
    for table in TABLES
    for statement in (
        f"CREATE TRIGGER yiwang_auth_changed AFTER UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION yiwang_auth_changed()",
        f"CREATE TRIGGER yiwang_auth_emptied AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION yiwang_auth_changed()",
    )
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for statement in TRIGGERS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS yiwang_auth_changed ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS yiwang_auth_emptied ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS yiwang_auth_changed()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_session_epoch"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
