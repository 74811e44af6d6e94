from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "yiwang.sharing"
    label = "sharing"
    verbose_name = "数据共享与用数记录"
