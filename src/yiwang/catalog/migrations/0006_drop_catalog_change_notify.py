"""The process caches of published versions that listened for these notifications are gone: drop
the triggers of 0003 (PostgreSQL)."""

from importlib import import_module

from django.db import migrations

from yiwang.core.migration_tools import vendor_sql

added = import_module("yiwang.catalog.migrations.0003_change_notify")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_onsite_source_keywords_label"),
    ]

    operations = [vendor_sql({"postgresql": added.POSTGRES_DOWN}, {"postgresql": added.POSTGRES_UP})]
