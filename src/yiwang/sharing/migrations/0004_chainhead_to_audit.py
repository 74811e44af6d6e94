"""ChainHead now belongs to the audit app (audit 0006 took the table over): forget it here, state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0003_protect_personal_data"),
        ("audit", "0006_chainhead_from_sharing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ChainHead")],
            database_operations=[],
        ),
    ]
