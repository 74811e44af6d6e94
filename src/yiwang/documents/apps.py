from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yiwang.documents"
    label = "documents"
    verbose_name = "材料与文书"
