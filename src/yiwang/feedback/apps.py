from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "yiwang.feedback"
    verbose_name = "好差评与诉求"
