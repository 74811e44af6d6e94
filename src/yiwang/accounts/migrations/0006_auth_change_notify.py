"""Every change to a user or an API token notifies the token caches of all processes
(accounts.tokencache); PostgreSQL only, as the cache is used only there."""

from django.db import migrations

from yiwang.core.migration_tools import vendor_sql

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
POSTGRES_UP = [
    FUNCTION,
    *(
        statement
        for table in TABLES
        for statement in (
            f"CREATE TRIGGER yiwang_auth_changed AFTER UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION yiwang_auth_changed()",
            f"CREATE TRIGGER yiwang_auth_emptied AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION yiwang_auth_changed()",
        )
    ),
]
POSTGRES_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS {trigger} ON {table}"
        for table in TABLES
        for trigger in ("yiwang_auth_changed", "yiwang_auth_emptied")
    ),
    "DROP FUNCTION IF EXISTS yiwang_auth_changed()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_session_epoch"),
    ]

    operations = [vendor_sql({"postgresql": POSTGRES_UP}, {"postgresql": POSTGRES_DOWN})]
