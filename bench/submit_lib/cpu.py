"""CPU accounting of bench/submit: where the machine's CPU went during a phase (server, PostgreSQL, the
load generator, other work, the hypervisor's steal) and what each request cost, from /proc."""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

TICK = os.sysconf("SC_CLK_TCK")


class Proc(NamedTuple):
    pid: int
    comm: str
    state: str  # "Z": a zombie, dead but not yet reaped
    pgrp: int
    ticks: int


def proc_stats() -> list[Proc]:
    """Every process, with its process group and CPU ticks, from /proc."""
    out = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        # Own time plus that of reaped children: a PostgreSQL backend that exits leaves its time there.
        ticks = sum(int(v) for v in fields[11:15])
        out.append(Proc(int(entry.name), comm, fields[0], int(fields[2]), ticks))
    return out


def _machine_ticks() -> tuple[int, int, int]:
    """(total, idle, steal) jiffies of all CPUs; steal is time the hypervisor gave to other guests."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values[:8]), values[3] + values[4], values[7]


def background_busy(seconds: float = 2.0) -> float:
    """How busy the machine is over a short interval, in % of all CPUs."""
    total, idle, _steal = _machine_ticks()
    time.sleep(seconds)
    total2, idle2, _steal2 = _machine_ticks()
    return 100 * (1 - (idle2 - idle) / max(1, total2 - total))


@dataclass
class CpuSnapshot:
    at: float
    server: int
    postgres: int
    total: int
    idle: int
    steal: int
    children: float

    @classmethod
    def take(cls, server_pgid: int | None) -> CpuSnapshot:
        server = postgres = 0
        for _pid, comm, _state, pgrp, ticks in proc_stats():
            if server_pgid is not None and pgrp == server_pgid:
                server += ticks
            elif comm.startswith("postgres") or comm == "pgbench":
                postgres += ticks
        total, idle, steal = _machine_ticks()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return cls(time.monotonic(), server, postgres, total, idle, steal, usage.ru_utime + usage.ru_stime)


def cpu_split(
    before: CpuSnapshot, after: CpuSnapshot, client_label: str, count: int = 0, unit: str = "request"
) -> tuple[str, float]:
    """Where the machine's CPU went between two snapshots, in % of one core (N cores = N×100 %),
    and, given the number of requests served, the CPU time each one cost: that figure does not
    depend on what else runs on the machine, so it tells the capacity of a quiet one. Returns the
    text and that cost in ms (server, PostgreSQL and client together; 0 without a count)."""
    cores = os.cpu_count() or 1
    total = max(1, after.total - before.total)
    wall = total / TICK / cores  # seconds of wall time as the kernel counted it

    def pct(ticks: float) -> float:
        return 100 * ticks / TICK / wall

    server = pct(after.server - before.server)
    postgres = pct(after.postgres - before.postgres)
    client = 100 * (after.children - before.children) / wall
    busy = min(100.0 * cores, pct(total - (after.idle - before.idle)))
    steal = pct(after.steal - before.steal)
    other = max(0.0, busy - server - postgres - client - steal)
    text = (
        f"CPU of {cores} cores ({cores * 100} %): server {server:.0f} %, PostgreSQL {postgres:.0f} %, "
        f"{client_label} {client:.0f} %, other {other:.0f} %, stolen by the hypervisor {steal:.0f} %, "
        f"idle {max(0.0, cores * 100 - busy):.0f} %"
    )
    if steal > 10:
        text += "  — WARNING: other guests took this machine's CPU; rates are low, CPU per request holds"
    cost = 0.0
    if count:
        per = 10 * wall / count  # ms of CPU per request for each 1 % of one core

        cost = (server + postgres + client) * per
        text += (
            f"\n{'':<34} CPU per {unit}: server {server * per:.2f} ms, PostgreSQL {postgres * per:.2f} ms, "
            f"{client_label} {client * per:.2f} ms → at most ≈ {cores * 1000 / cost:.0f}/s on {cores} idle cores"
        )
    return text, cost
