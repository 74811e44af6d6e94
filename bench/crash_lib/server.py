"""The server under test: granian started as `make run` starts it, in a process group of its own so that
one SIGKILL reaches it and every worker at once, and restarted on the same port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from crash_lib.masking import mask
from submit_lib.api_setup import Http
from submit_lib.cpu import proc_stats
from submit_lib.server import terminate_group

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class Kill:
    at: float  # time.time() of the SIGKILL
    since_start: float  # seconds after the load began
    down_for: float = 0.0  # until the restart began
    ready_at: float = 0.0  # time.time() when the restarted server answered
    processes: int = 0  # processes of the group the signal reached
    aimed: int = 0  # POST /applications awaiting their answer at that moment


class Server:
    def __init__(
        self, *, port: int, env: dict[str, str], log: Path, workers: int, blocking_threads: int
    ) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = env
        self.log = log
        self.workers = workers
        self.blocking_threads = blocking_threads
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Start granian (in a process group of its own) and wait until it answers; seconds taken."""
        started = time.monotonic()
        command = [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--blocking-threads",
            str(self.blocking_threads),
            "--log-level",
            "warning",
            "--no-access-log",
            "yiwang.wsgi:application",
        ]
        deadline = time.monotonic() + 60
        while True:
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            while time.monotonic() < deadline and self.process.poll() is None:
                probe = Http(self.base)
                try:
                    status, _ = probe.request("GET", "/api/v1/departments")
                    if status == 200:
                        return time.monotonic() - started
                except OSError:
                    pass
                finally:
                    probe.close()
                time.sleep(0.05)
            if time.monotonic() >= deadline:
                sys.exit(f"granian did not answer within 60 s:\n{self.log_tail()}")
            # Exited at once: most likely the port is not free yet after the kill; try again.
            time.sleep(0.2)

    def log_tail(self) -> str:
        return mask(self.log.read_text(errors="replace")[-3000:])

    def kill(self) -> int:
        """SIGKILL to granian and every worker at once: no shutdown code runs anywhere."""
        process, self.process = self.process, None
        assert process is not None
        return kill_group(process)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        terminate_group(process)


def kill_group(process: subprocess.Popen[bytes]) -> int:
    """SIGKILL to a process started in a session of its own and to every process of its group, and
    wait until none is left; returns how many it reached."""
    processes = _group_alive(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return processes


def _group_alive(pgid: int) -> int:
    """Live (not zombie) processes in the process group."""
    return sum(1 for p in proc_stats() if p.pgrp == pgid and p.state != "Z")
