from __future__ import annotations

from tests.cases.conftest import world  # noqa: F401 - one department, an item and a user of every role
