"""The token cache that listened for these notifications is gone (a token is one indexed query per
request): drop the triggers of 0006 (PostgreSQL)."""

from importlib import import_module

from django.db import migrations

from yiwang.core.migration_tools import vendor_sql

added = import_module("yiwang.accounts.migrations.0006_auth_change_notify")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_attempt_blocked_until"),
    ]

    operations = [vendor_sql({"postgresql": added.POSTGRES_DOWN}, {"postgresql": added.POSTGRES_UP})]
