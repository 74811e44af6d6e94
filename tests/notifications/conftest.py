from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.cases.conftest import world  # noqa: F401 (the cases' world: a department, an item, every role)
from yiwang.demo.sms_gateway import FakeSmsGateway


@pytest.fixture
def sms_gateway(settings) -> Iterator[FakeSmsGateway]:
    """The demo SMS gateway on a free port, configured as the platform's provider; receipts are taken
    by the test (`take_receipts`) rather than pushed."""
    with FakeSmsGateway(key_id="test-key", secret="test-secret") as gateway:
        settings.YIWANG_SMS_URL = gateway.url
        settings.YIWANG_SMS_KEY_ID = "test-key"
        settings.YIWANG_SMS_SECRET = "test-secret"
        yield gateway


@pytest.fixture(autouse=True)
def _working_hours() -> Iterator[None]:
    """A Monday morning in Shanghai, out of the SMS quiet hours (tests that need the night travel there)."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield
