from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "yiwang.assistant"
    verbose_name = "智能检索"
