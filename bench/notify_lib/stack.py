"""What bench/notify and bench/notify_kill run against: a PostgreSQL database of their own (dropped and
created, migrated; dropped again at the end unless --keep) that also holds the huey queue
(YIWANG_QUEUE_URL = the same database), granian serving the receipts callback as `make run` does, and
the demo SMS gateway pushing its receipts there; workers are started by the scripts."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from crash_lib.database import PROTECTED_DATABASES, drop
from crash_lib.masking import mask
from crash_lib.server import Server
from notify_lib.processes import Consumer, Gateway
from submit_lib import database
from submit_lib.api_setup import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
DJANGO_SIDE = ROOT / "bench" / "notify_lib" / "django_side.py"
RECEIPTS_PATH = "/api/v1/notifications/sms/receipts"


def ensure_venv(script: str) -> None:
    """Re-run the script under the project's venv (after `make install` if it is missing)."""
    if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():
        return
    if not VENV_PYTHON.exists():
        print("== .venv missing: running make install", flush=True)
        subprocess.run(["make", "install"], cwd=ROOT, check=True)
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), script, *sys.argv[1:]])


class Stack:
    def __init__(self, *, database_url: str, keep: bool, prefix: str) -> None:
        name = urllib.parse.urlsplit(database_url).path.lstrip("/")
        if name in PROTECTED_DATABASES or name.startswith("test"):
            sys.exit(f"refusing to drop and recreate database {name!r}: name a throw-away one")
        self.database_url, self.database_name, self.keep = database_url, name, keep
        self.work = Path(tempfile.mkdtemp(prefix=prefix))
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("YIWANG_", "DJANGO_"))},
            "DATABASE_URL": database_url,
            "YIWANG_QUEUE_URL": database_url,  # PostgresHuey: tables huey_* in the bench database
            "YIWANG_QUEUE_NAME": "bench-notify",
            "PYTHONPATH": str(ROOT / "src"),  # this checkout's code, whatever the venv's install points at
            "YIWANG_VAR_DIR": str(self.work / "var"),
            "YIWANG_MEDIA_ROOT": str(self.work / "media"),
            "YIWANG_DEBUG": "0",
            "YIWANG_LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore",
            "YIWANG_SMS_URL": f"http://127.0.0.1:{free_port()}",
            "YIWANG_SMS_KEY_ID": "bench",
            "YIWANG_SMS_SECRET": secrets.token_urlsafe(32),
            # Every SMS is due now: no daily cap per number, no quiet hours (from 0 h to 0 h).
            "YIWANG_SMS_DAILY_CAP": "0",
            "YIWANG_SMS_QUIET_HOURS": "0,0",
        }
        # granian as scripts/serve starts it, on a port of its own that a restart keeps
        self.server = Server(
            port=free_port(), env=self.env, log=self.work / "server.log", workers=2, blocking_threads=1
        )
        self.gateway = Gateway(
            port=int(urllib.parse.urlsplit(self.env["YIWANG_SMS_URL"]).port or 0),
            callback=self.server.base + RECEIPTS_PATH,
            env=self.env,
            log=self.work / "gateway.log",
        )
        self.consumers: list[Consumer] = []
        self.created = ""
        self._conn: Any = None

    # -- set-up ------------------------------------------------------------------------------------

    def set_up(self) -> None:
        started = time.monotonic()
        database.recreate(self.database_url, None)
        self.created = self.database_name
        self.manage("migrate", "--noinput")
        self.server.start()
        self.gateway.start()
        print(
            f"== set up in {time.monotonic() - started:.1f} s: granian on {self.server.base} (2 workers, "
            f"--blocking-threads 1, as scripts/serve), yiwang sms_gateway on {self.gateway.url}",
            flush=True,
        )

    @property
    def server_pgid(self) -> int | None:
        return self.server.process.pid if self.server.process else None

    def manage(self, *command: str) -> None:
        started = time.monotonic()
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "yiwang"), *command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            sys.exit(
                f"yiwang {' '.join(command)} failed:\n{mask(done.stdout[-3000:])}\n{mask(done.stderr[-3000:])}"
            )
        print(f"== yiwang {' '.join(command)} ({time.monotonic() - started:.1f} s)", flush=True)

    def write(self, count: int, *, first: int, keep_jobs: bool) -> dict[str, Any]:
        """`count` SMS through notify (see django_side.py); the queue emptied unless keep_jobs."""
        command = [
            "write",
            "--count",
            str(count),
            "--first",
            str(first),
            *(["--keep-jobs"] if keep_jobs else []),
        ]
        done = subprocess.run(
            [str(VENV_PYTHON), str(DJANGO_SIDE), *command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            sys.exit(f"django_side write failed:\n{mask(done.stdout[-3000:])}\n{mask(done.stderr[-3000:])}")
        return dict(json.loads(done.stdout.splitlines()[-1]))

    def enqueuer(self, jobs: int) -> subprocess.Popen[str]:
        """A process ready to enqueue `jobs` sms_dispatch jobs: `go()` starts it."""
        process = subprocess.Popen(
            [str(VENV_PYTHON), str(DJANGO_SIDE), "enqueue", "--jobs", str(jobs)],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a process group of its own: its CPU is counted apart
        )
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            sys.exit("django_side enqueue did not start")
        return process

    def consumer(self, workers: int, *, periodic: bool) -> Consumer:
        consumer = Consumer(workers=workers, periodic=periodic, env=self.env, log=self.work / "worker.log")
        self.consumers.append(consumer)
        return consumer

    # -- what the database says --------------------------------------------------------------------

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
        if self._conn is None:
            self._conn = database.connect(self.database_url)
            self._conn.autocommit = True
        return dict(self._conn.execute(query, params).fetchone())

    def last_sms_id(self) -> int:
        return int(self.sql("SELECT coalesce(max(id), 0) AS id FROM notifications_sms")["id"])

    def states(self, after_id: int) -> dict[str, int]:
        """How the SMS written after `after_id` stand."""
        row = self.sql(
            "SELECT count(*) AS total,"
            " count(*) FILTER (WHERE state = 'delivered') AS delivered,"
            " count(*) FILTER (WHERE provider_id <> '') AS recorded,"
            " count(*) FILTER (WHERE state = 'sending' AND provider_id = '') AS claimed,"
            " count(*) FILTER (WHERE state IN ('temporary_failure', 'permanent_failure')) AS failed,"
            " coalesce(sum(attempts), 0) AS attempts,"
            " extract(epoch FROM max(lease_until) FILTER (WHERE state = 'sending' AND provider_id = '')"
            "  - now()) AS lease_left"
            " FROM notifications_sms WHERE id > %s",
            (after_id,),
        )
        return {k: (int(v) if v is not None else 0) for k, v in row.items()}

    # -- the end -----------------------------------------------------------------------------------

    def clean_up(self) -> None:
        for consumer in self.consumers:
            consumer.stop()
        self.gateway.stop()
        self.server.stop()
        if self._conn is not None:
            self._conn.close()
        name, self.created = self.created, ""
        if self.keep:
            print(f"== kept: database {name or '-'}, logs in {self.work}")
            return
        if name:
            drop(self.database_url, name)
        shutil.rmtree(self.work, ignore_errors=True)
