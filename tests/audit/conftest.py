from __future__ import annotations

from typing import Any

import pytest

from tests.cases.conftest import world  # noqa: F401  (the same world of users and an item)
from tests.factories import make_staff


@pytest.fixture
def as_admin(client: Any, db: Any) -> Any:
    """The client signed in to the admin as a superuser."""
    client.force_login(make_staff(is_staff=True, is_superuser=True, name="系统管理员"))
    return client
