"""ChainHead moves from the use log's app to the audit app, which owns the hash chain both use: the
existing table is taken over (state only), then renamed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_login_unlock_action"),
        ("sharing", "0003_protect_personal_data"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChainHead",
                    fields=[
                        ("name", models.CharField(max_length=20, primary_key=True, serialize=False)),
                        ("seq", models.BigIntegerField(default=0)),
                        ("hash", models.CharField(max_length=64)),
                    ],
                    options={"db_table": "sharing_chainhead"},
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="chainhead", table=None),
    ]
