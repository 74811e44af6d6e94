"""The server of bench/submit: granian serving the checkout's WSGI application on a free loopback port,
in its own process group so that its CPU can be counted and it can always be stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from submit_lib.api_setup import Http, free_port


class Server:
    def __init__(self, code: Path, env: dict[str, str], log: Path) -> None:
        self.code, self.env, self.log = code, env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""

    @property
    def pgid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, workers: int, blocking_threads: int, backpressure: int) -> str:
        """Start granian and wait until it answers; returns its base URL."""
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        command = [
            str(self.code / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        if blocking_threads:
            command += ["--blocking-threads", str(blocking_threads)]
        if backpressure:
            command += ["--backpressure", str(backpressure)]
        command.append("yiwang.wsgi:application")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.code,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"granian exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    pass
                status, _ = Http(self.base).request("GET", "/api/v1/departments")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            sys.exit(f"granian did not answer within 60 s:\n{self.log.read_text()[-3000:]}")
        from yiwang.core.env import env_bool  # under the served checkout's venv by now

        threads = blocking_threads or "default"
        print(
            f"== granian on {self.base}: {workers} workers, blocking threads {threads}, "
            + (
                f"psycopg pool, max {self.env.get('YIWANG_DB_POOL_MAX', '20 (settings default)')}"
                if env_bool("YIWANG_DB_POOL")  # read as the settings read it; the server inherits it
                else "one persistent database connection per thread"
            ),
            flush=True,
        )
        return self.base

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        terminate_group(process)
        print("== server stopped", flush=True)


def terminate_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started in its own process group: SIGTERM to all of it, SIGKILL if it lingers."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
