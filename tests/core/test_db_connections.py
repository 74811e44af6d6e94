"""How a server process holds its PostgreSQL connections: by default one persistent connection per
thread, kept from one request to the next; with YIWANG_DB_POOL=1 a pool each request takes one from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings"),
    pytest.mark.django_db,  # so that the test database exists and `connection` names it
]

# Two requests as the WSGI handler frames them (request_started / request_finished), each with a query.
TWO_REQUESTS = """
import json, os
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.settings"
django.setup()
from django.core.signals import request_finished, request_started
from django.db import connection

def one_request():
    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    request_finished.send(sender=None)
    return pid

first, second = one_request(), one_request()
print(json.dumps({"pooled": connection.pool is not None, "open_between": connection.connection is not None,
                  "same_backend": first == second}))
"""


def session_database_url() -> str:
    """DATABASE_URL naming the test database this session made (the one it names may not exist)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))


def two_requests(**env: str) -> dict[str, bool]:
    done = subprocess.run(
        [sys.executable, "-c", TWO_REQUESTS],
        env={
            **{k: v for k, v in os.environ.items() if k != "YIWANG_DB_POOL"},
            "DATABASE_URL": session_database_url(),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_by_default_a_thread_keeps_its_connection_from_one_request_to_the_next():
    seen = two_requests()

    assert seen == {"pooled": False, "open_between": True, "same_backend": True}


def test_with_the_pool_on_each_request_takes_a_connection_from_the_pool_and_returns_it():
    seen = two_requests(YIWANG_DB_POOL="1")

    assert seen["pooled"] is True
    assert seen["open_between"] is False
