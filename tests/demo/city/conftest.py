"""The demo city as `make run` loads it, loaded once for every test of this package.

`yiwang load_demo` runs once inside a transaction that stays open while the package's tests run: each
test's own transaction nests in it (a savepoint, rolled back after the test, as anywhere else), and the
whole demo is rolled back after the package's last test, so no test elsewhere sees it. Tests here are
therefore never transactional (`transaction=True`, `live_server`): those commit, and would flush it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package", autouse=True)
def demo_city(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    # unblocked while the package runs, since leaving the outer transaction needs the connection
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
