from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yiwang.notifications"
    verbose_name = "消息通知"
