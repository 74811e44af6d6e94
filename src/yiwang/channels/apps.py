from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "yiwang.channels"
    label = "channels"
    verbose_name = "服务渠道"
