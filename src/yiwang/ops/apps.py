from django.apps import AppConfig


class OpsConfig(AppConfig):
    """运维: backup and restore, the hash chains' verification, the audit trail's export.

    Above every domain app: these tools read and write all of them."""

    name = "yiwang.ops"
    label = "ops"
    verbose_name = "运维"
