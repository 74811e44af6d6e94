"""The load phases of bench/submit: wrk (its Lua script beside this module) replays prepared requests
for a fixed time; the result is its counts and latencies and where the machine's CPU went meanwhile."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from submit_lib.cpu import CpuSnapshot, cpu_split

SCRIPT = Path(__file__).resolve().parent / "wrk.lua"


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_us: int
    p90_us: int
    p99_us: int
    max_us: int
    non2xx: int
    socket_errors: int
    samples: list[str] = field(default_factory=list)
    cpu: str = ""
    cost_ms: float = 0.0  # CPU of server, PostgreSQL and wrk per request
    scans: str = ""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_tools() -> None:
    """wrk and pgbench, installed with apt-get (as root) when wrk is missing."""
    if shutil.which("wrk") is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            print("== wrk missing: apt-get install -y wrk", flush=True)
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env).returncode != 0:
                subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
                subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True)
        else:
            sys.exit("wrk is not installed: as root, `apt-get install -y wrk`")
    if shutil.which("pgbench") is None:
        sys.exit("pgbench is not installed: as root, `apt-get install -y postgresql-client`")


def run(
    name: str,
    mode: str,
    data: Path,
    *,
    base: str,
    seconds: int,
    connections: int,
    threads: int,
    server_pgid: int | None,
    floor_path: str,
) -> Result:
    """One phase: `mode` is the Lua script's BENCH_MODE (submit, floor or read) over the lines of `data`."""
    env = {
        **os.environ,
        "BENCH_DATA": str(data),
        "BENCH_MODE": mode,
        "BENCH_RUN": f"{name}-{secrets.token_hex(4)}",
        "BENCH_FLOOR_PATH": floor_path,
    }
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        base,
    ]
    before = CpuSnapshot.take(server_pgid)
    client = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = client.communicate(timeout=seconds + 60)
    except BaseException as exc:  # also Ctrl-C: wrk must not outlive the bench
        client.kill()
        client.wait(timeout=10)
        if isinstance(exc, subprocess.TimeoutExpired):
            sys.exit(f"wrk did not finish phase {name} in {seconds + 60} s")
        raise
    after = CpuSnapshot.take(server_pgid)
    line = next((x for x in stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"wrk gave no result for {name}:\n{stdout}\n{stderr}")
    values = dict(pair.split("=") for pair in line.split()[1:])
    result = Result(
        name=name,
        requests=int(values["requests"]),
        seconds=int(values["duration_us"]) / 1e6,
        p50_us=int(values["p50_us"]),
        p90_us=int(values["p90_us"]),
        p99_us=int(values["p99_us"]),
        max_us=int(values["max_us"]),
        non2xx=int(values["non2xx"]),
        socket_errors=sum(
            int(values[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        samples=[x[len("BENCH_ERROR ") :] for x in stdout.splitlines() if x.startswith("BENCH_ERROR ")],
    )
    result.cpu, result.cost_ms = cpu_split(before, after, "wrk", int(values["requests"]))
    return result


def ms(us: float) -> str:
    return f"{us / 1000:.1f} ms"


def print_result(r: Result) -> None:
    print(
        f"{r.name:<34} {r.requests:>8} req  {r.rps:>8.1f} req/s  p50 {ms(r.p50_us):>9}  "
        f"p90 {ms(r.p90_us):>9}  p99 {ms(r.p99_us):>9}  max {ms(r.max_us):>9}  "
        f"non-2xx {r.non2xx}  socket errors {r.socket_errors}",
        flush=True,
    )
    print(f"{'':<34} {r.cpu}", flush=True)
    if r.scans:
        print(f"{'':<34} {r.scans}", flush=True)
    for sample in r.samples:
        print(f"{'':<34} ! {sample}", flush=True)
