from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The kiosk home caches its ranking of items; each test starts without one."""
    cache.clear()
    yield
    cache.clear()
