"""Where the machine's CPU went during a phase of bench/notify: the workers, the web server (receipts),
the gateway, the PostgreSQL backends of the bench database, the bench itself and anything else, from
/proc (bench/submit_lib/cpu.py reads the processes and the machine's total; this adds one share per
process group, and PostgreSQL's backends by the database their title names, as other databases of the
same server may be busy with other work)."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

from submit_lib.cpu import TICK, CpuSnapshot, proc_stats


@dataclass
class Snapshot:
    machine: CpuSnapshot
    groups: dict[str, int]  # ticks per label
    own: float  # seconds of this process

    @classmethod
    def take(cls, groups: dict[str, list[int | None]], database: str) -> Snapshot:
        """`groups`: label → the process groups counted under it (a process that has exited but is not
        reaped yet still shows its time); `database`: the bench database."""
        ticks = dict.fromkeys([*groups, "PostgreSQL"], 0)
        label_of = {pgid: label for label, pgids in groups.items() for pgid in pgids if pgid is not None}
        title = f" {database} ".encode()
        for proc in proc_stats():
            label = label_of.get(proc.pgrp)
            if label is not None:
                ticks[label] += proc.ticks
            elif proc.comm.startswith("postgres") and title in _cmdline(proc.pid):
                ticks["PostgreSQL"] += proc.ticks
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return cls(CpuSnapshot.take(None), ticks, usage.ru_utime + usage.ru_stime)


def _cmdline(pid: int) -> bytes:
    """A backend's title: "postgres: 15/main: user database host(port) state"."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return b""


def split(before: Snapshot, after: Snapshot, messages: int) -> tuple[str, str]:
    """Each share in % of one core (N cores = N×100 %), and the CPU each message cost: that figure
    does not depend on what else runs on the machine."""
    cores = os.cpu_count() or 1
    total = max(1, after.machine.total - before.machine.total)
    wall = total / TICK / cores

    def pct(ticks: float) -> float:
        return 100 * ticks / TICK / wall

    shares = {label: pct(after.groups[label] - before.groups[label]) for label in after.groups}
    shares["bench"] = 100 * (after.own - before.own) / wall
    busy = min(100.0 * cores, pct(total - (after.machine.idle - before.machine.idle)))
    steal = pct(after.machine.steal - before.machine.steal)
    other = max(0.0, busy - sum(shares.values()) - steal)
    text = f"CPU of {cores} cores ({cores * 100} %): " + ", ".join(
        f"{k} {v:.0f} %" for k, v in shares.items()
    )
    text += f", other {other:.0f} %, stolen {steal:.0f} %, idle {max(0.0, cores * 100 - busy):.0f} %"
    per = 10 * wall / max(1, messages)  # ms of CPU per message for each 1 % of one core
    cost = sum(shares.values()) * per
    cost_text = (
        "CPU per message: "
        + ", ".join(f"{k} {v * per:.2f} ms" for k, v in shares.items())
        + f" → at most ≈ {cores * 1000 / max(cost, 0.001):.0f}/s on {cores} idle cores"
    )
    if other > 20 or steal > 10:
        cost_text += "  — the machine was busy with other work: rates are low, CPU per message holds"
    return text, cost_text
