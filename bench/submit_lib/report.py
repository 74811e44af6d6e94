"""What bench/submit prints after the load phases: queries per request, the floor ratio and the summary
against the targets."""

from __future__ import annotations

from typing import Any

from submit_lib.wrk import Result, ms

TARGET_SUBMIT_RPS = 400
TARGET_SUBMIT_P99_MS = 100
TARGET_READ_RPS = 1000


def print_queries(counted: dict[str, Any], members: int) -> None:
    print("-- SQL queries per request (steady state; first request of a process in brackets) --")
    for label, title in (
        ("submit_single", "POST /applications (single item)"),
        ("submit_bundle", f"POST /applications (bundle, {members} cases)"),
        ("read_application", "GET /applications/<number> (single)"),
        ("read_bundle_application", "GET /applications/<number> (bundle)"),
        ("read_case", "GET /cases/<number>"),
        ("floor", "POST floor (one ORM insert)"),
    ):
        if label not in counted:
            continue  # the floor, with a --url server that does not serve it
        print(f"{title:<44} {counted[label]['steady']:>4}  ({counted[label]['first']})")
        for statement in counted[label].get("sql", []):
            print(f"      {statement[:300]}")


def print_pgbench(
    number: str, connections: int, seconds: int, tps: float, latency: str, cpu: str, single: Result
) -> None:
    print(f"-- pgbench: the writes of one single-item submission ({number}), -M prepared --")
    print(f"pgbench {connections} clients, {seconds} s: {tps:.1f} TPS, latency average {latency}")
    print(f"{'':<34} {cpu}")
    print(
        f"Yiwang single-item submissions/s ÷ pgbench TPS = {single.rps:.1f} / {tps:.1f} = {single.rps / tps:.3f}"
    )


def print_floor_ratio(single: Result, floor: Result | None) -> None:
    """Yiwang ÷ floor by throughput, and by CPU per request (which holds when other work shares the
    machine): how much of the floor's rate the submission path keeps."""
    if floor is None:
        return
    print(
        f"Yiwang single-item submissions/s ÷ floor requests/s = {single.rps:.1f} / {floor.rps:.1f} "
        f"= {single.rps / floor.rps:.3f}"
    )
    if single.cost_ms and floor.cost_ms:
        print(
            f"Yiwang ÷ floor by CPU per request (floor ms ÷ submission ms) = {floor.cost_ms:.2f} / "
            f"{single.cost_ms:.2f} = {floor.cost_ms / single.cost_ms:.3f}"
        )


def print_summary(
    single: Result,
    bundle: Result,
    reads: list[Result],
    results: list[Result],
    floor: Result | None,
    tps: float,
) -> None:
    print("-- summary (targets for a 2-core machine, load generator on the same machine) --")
    checks = [
        (
            f"single-item submissions ≥ {TARGET_SUBMIT_RPS}/s",
            f"{single.rps:.1f}/s",
            single.rps >= TARGET_SUBMIT_RPS,
        ),
        (
            f"single-item submission p99 ≤ {TARGET_SUBMIT_P99_MS} ms",
            ms(single.p99_us),
            single.p99_us <= TARGET_SUBMIT_P99_MS * 1000,
        ),
    ]
    for r in reads:
        checks.append((f"{r.name} ≥ {TARGET_READ_RPS}/s", f"{r.rps:.1f}/s", r.rps >= TARGET_READ_RPS))
    bad = sum(r.non2xx + r.socket_errors for r in results)
    checks.append(("no non-2xx answers or socket errors", str(bad), bad == 0))
    for label, value, ok in checks:
        print(f"{'MET ' if ok else 'MISSED'} {label:<52} {value}")
    print(f"(bundle submissions: {bundle.rps:.1f}/s, p99 {ms(bundle.p99_us)}; no target)")
    ratios = []
    if floor is not None:
        ratios.append(f"Yiwang ÷ floor {single.rps / floor.rps:.3f}")
    if tps:
        ratios.append(f"Yiwang ÷ pgbench {single.rps / tps:.3f}")
    if ratios:
        print(f"(single-item submissions/s: {'; '.join(ratios)})")
