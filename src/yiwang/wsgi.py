"""WSGI entry point (granian or gunicorn serve `yiwang.wsgi:application`)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
django.setup(set_prefix=False)

from yiwang.core.handlers import YiwangWSGIHandler  # noqa: E402  (needs the apps loaded)

application = YiwangWSGIHandler()
