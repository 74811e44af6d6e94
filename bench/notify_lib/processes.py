"""The processes beside the bench: the demo SMS gateway (`yiwang sms_gateway`) and the worker
(`yiwang run_huey`), each in a process group of its own so that its CPU can be counted and one SIGKILL
reaches the consumer and every worker process at once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from crash_lib.masking import mask
from crash_lib.server import kill_group
from submit_lib.server import terminate_group

ROOT = Path(__file__).resolve().parent.parent.parent
YIWANG = str(ROOT / ".venv" / "bin" / "yiwang")
READY_LINE = "Huey consumer started"  # huey's INFO line once the consumer's workers run


def _tail(log: Path) -> str:
    return mask(log.read_text(errors="replace")[-3000:]) if log.exists() else ""


class Gateway:
    """The demo SMS gateway, started as `make run` starts it; its counters come from GET /stats."""

    def __init__(self, *, port: int, callback: str, env: dict[str, str], log: Path) -> None:
        self.port, self.callback, self.env, self.log = port, callback, env, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pgid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self) -> None:
        command = [YIWANG, "sms_gateway", "--port", str(self.port), "--callback", self.callback]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"yiwang sms_gateway exited with {self.process.returncode}:\n{_tail(self.log)}")
            try:
                self.stats()
                return
            except OSError:
                time.sleep(0.1)
        sys.exit(f"yiwang sms_gateway did not answer within 60 s:\n{_tail(self.log)}")

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(self.url + "/stats", timeout=10) as response:
            return dict(json.load(response))

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            terminate_group(process)


class Consumer:
    """`yiwang run_huey -w N -k process` (with `-n`: no periodic jobs)."""

    def __init__(self, *, workers: int, periodic: bool, env: dict[str, str], log: Path) -> None:
        self.workers, self.periodic, self.log = workers, periodic, log
        self.env = {**env, "YIWANG_WORKER_LOG_LEVEL": "INFO"}  # for READY_LINE
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pgid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self) -> float:
        """Start the consumer and wait until its workers run; returns the seconds that took."""
        started = time.monotonic()
        offset = self.log.stat().st_size if self.log.exists() else 0
        command = [
            YIWANG,
            "run_huey",
            "-w",
            str(self.workers),
            "-k",
            "process",
            *([] if self.periodic else ["-n"]),
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"yiwang run_huey exited with {self.process.returncode}:\n{_tail(self.log)}")
            with self.log.open("rb") as log:
                log.seek(offset)
                if READY_LINE.encode() in log.read():
                    return time.monotonic() - started
            time.sleep(0.02)
        sys.exit(f"yiwang run_huey did not start within 60 s:\n{_tail(self.log)}")

    def kill(self) -> int:
        """SIGKILL to the consumer and its worker processes at once; returns how many it reached."""
        process, self.process = self.process, None
        assert process is not None
        return kill_group(process)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            terminate_group(process)
