"""Settings of the bench server: the product's own, with the URL map that adds the floor endpoint.

bench/submit puts bench/ on PYTHONPATH and sets DJANGO_SETTINGS_MODULE=submit_lib.floor_settings for
the server and every command it runs; nothing else differs from yiwang.settings.
"""

from yiwang.settings import *  # noqa: F403

ROOT_URLCONF = "submit_lib.floor_urls"
