from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yiwang.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from yiwang.audit import admin_log

        admin_log.connect()
