from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test never land in the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Tests log many users in, and a real password hash is slow by design. For the whole session, not
    per test: the demo city's accounts (tests/demo/city) are made once and signed in to by many tests."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _jobs_run_in_process() -> Iterator[None]:
    """Jobs a test enqueues (after its transaction commits) run at once in the test's process, on an
    in-memory queue: never on the developer's var/queue.sqlite3, where a running worker would take them."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(autouse=True)
def _published_versions_read_afresh() -> None:
    """Each test starts without the process's copy of the published versions: a rolled-back test can
    leave the next one a catalog with the same stamp but other rows (SQLite gives the ids out again,
    and a frozen clock the same times)."""
    from yiwang.catalog.selectors import published_versions_invalidate
    from yiwang.feedback.routing import router_invalidate

    published_versions_invalidate()
    router_invalidate()


@contextmanager
def keep_test_connection() -> Iterator[None]:
    """Around a call through the real WSGI application (yiwang.wsgi): its request signals would close
    the database connection, which inside a test transaction must stay open. Django's test client
    does the same around each of its requests — and connects the receivers again after it, so a test
    that also uses the test client needs this around every WSGI call, not once."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_keeps_test_connection():
    """`keep_test_connection` for a whole test that calls the WSGI application and no test client."""
    with keep_test_connection():
        yield


# ---- every log line the suite produces, kept for tests/test_suite_logs.py -------------------------


def pytest_sessionfinish(session, exitstatus):
    """No clear ID or mobile number in any log line of the whole run. Checked once every test has
    logged what it logs: by the one process, or by the controller over its workers' logs (xdist)."""
    if (
        hasattr(session.config, "workerinput")
        or session.config.option.collectonly
        or not session.testscollected
    ):
        return
    from tests.test_suite_logs import clear_identifiers

    root = session.config._tmp_path_factory.getbasetemp()
    logs = sorted(root.rglob("suite.log"))
    leaks = {log: lines for log in logs if (lines := clear_identifiers(log.read_text(encoding="utf-8")))}
    if not logs or leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for log, lines in leaks.items():
            reporter.write_line(
                f"clear ID or mobile numbers in the suite's log, lines {lines[:20]} of {log}", red=True
            )
        if not logs:
            reporter.write_line("the suite's log files are missing: the tee is not working", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def suite_log(tmp_path_factory):
    """Tee every configured (masking) log handler into one file, with the same filters and format."""
    import logging

    from yiwang.core.logging import MaskPersonalDataFilter

    path = tmp_path_factory.mktemp("logs") / "suite.log"
    tees: dict[logging.Handler, logging.Handler] = {}  # one file handler per configured handler
    added: list[tuple[logging.Logger, logging.Handler]] = []
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in logging.root.manager.loggerDict)]
    for logger in loggers:
        for handler in list(getattr(logger, "handlers", [])):
            if any(isinstance(f, MaskPersonalDataFilter) for f in handler.filters):
                if handler not in tees:
                    tee = tees[handler] = logging.FileHandler(path, encoding="utf-8")
                    tee.setFormatter(handler.formatter)
                    for f in handler.filters:
                        tee.addFilter(f)
                    tee.setLevel(handler.level)
                logger.addHandler(tees[handler])
                added.append((logger, tees[handler]))
    assert added, "no masking log handler is configured"
    yield path
    for logger, tee in added:
        logger.removeHandler(tee)
    for tee in tees.values():
        tee.close()


def pytest_collection_modifyitems(items):
    """Schemathesis names each operation's test `…[POST /api/v1/…]` but gives them all one node id; the
    workers of a parallel run are handed tests by node id, so each is made unique by its name."""
    for item in items:
        if "[" in item.name and "[" not in item.nodeid:
            item._id = item.parent.id.child(item.name)  # as pytest names any other node
