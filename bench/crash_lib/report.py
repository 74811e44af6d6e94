"""The summary bench/crash prints after a run, and its exit status (see the script's help)."""

from __future__ import annotations

from typing import Any

from crash_lib.clients import Submission
from crash_lib.masking import mask
from crash_lib.server import Kill

KILL_GRACE = 1.0  # failures up to this long after the restart still count as the kill's


def report(
    *,
    submissions: list[Submission],
    seconds: float,
    kills: list[Kill],
    replays: tuple[int, int, int],
    checked: dict[str, Any],
    crashed: list[str],
    stuck: list[str],
) -> int:
    """Print what the clients saw and what the database holds; 0 OK, 1 failed, 2 inconclusive."""
    failures = [f for s in submissions for f in s.failures]
    in_window = [f for f in failures if any(k.at <= f.at <= k.ready_at + KILL_GRACE for k in kills)]
    cut = [f for f in failures if any(f.sent_at < k.at <= f.at for k in kills)]
    answered = [s for s in submissions if s.status == 201]
    unexpected = [s for s in submissions if s.status not in (None, 201)]
    gave_up = [s for s in submissions if s.status is None]
    bundles = sum(1 for s in submissions if s.kind == "bundle")
    posts = sum(s.post_attempts for s in submissions)
    uploads = sum(len(s.documents) + len(s.shared_documents) for s in submissions)
    upload_attempts = sum(s.upload_attempts for s in submissions)
    replayed, replay_other, replay_failed = replays
    duplicates = checked["duplicates"] + replay_other

    def line(label: str, value: object, note: str = "") -> None:
        print(f"{label:<46} {value!s:>8}  {note}".rstrip(), flush=True)

    print()
    print(f"-- load: {seconds:.1f} s, {len(kills)} kills --")
    line(
        "submissions attempted",
        len(submissions),
        f"({len(submissions) - bundles} single-item, {bundles} bundle)",
    )
    line("  POST /applications sent", posts, f"({posts - len(submissions)} retries with the same key)")
    line("  answered 201", len(answered), f"({len(answered) / max(seconds, 0.001):.1f}/s)")
    line("  retried, then answered 201", sum(1 for s in answered if s.post_attempts > 1))
    line("  gave up (no answer for --give-up s)", len(gave_up))
    line("  unexpected answer (4xx, 500)", len(unexpected))
    line("documents uploaded", uploads, f"({upload_attempts - uploads} retries)")
    line("kills (SIGKILL to the process group)", len(kills))
    line("requests cut by a kill", len(cut), f"({sum(1 for f in cut if f.what == 'submit')} submissions)")
    line("errors during kill windows", len(in_window), "(refused/cut requests until back up + 1 s)")
    line("errors outside kill windows", len(failures) - len(in_window))
    line("retries answered from the killed attempt's commit", checked["committed_before_kill"])
    if checked["uncommitted_numbers"] is not None:
        line(
            "numbers drawn by rolled-back transactions",
            checked["uncommitted_numbers"],
            "(PostgreSQL sequence)",
        )
    line("orphan blobs (file stored, row never committed)", checked["orphan_blobs"], "(harmless)")
    line(
        "replayed keys after the run",
        replayed,
        f"(other application: {replay_other}, no 201: {replay_failed})",
    )
    print()
    print(
        f"-- database ({checked['vendor']}): {checked['applications']} applications "
        f"({checked['bundle_applications']} bundles), {checked['cases']} cases, {checked['events']} events, "
        f"{checked['documents']} documents --"
    )
    line("stored without a 201 seen (complete)", checked["unanswered_stored"])
    line("stored, not from a known submission", checked["unattributed"])
    line("LOST", checked["lost"], "(answered 201, missing or incomplete)")
    line(
        "PARTIAL",
        checked["partial"],
        f"(incomplete in the database; {checked['partial_answered']} of them answered)",
    )
    line("DUPLICATE", duplicates, "(one submission stored twice)")
    line("broken documents", checked["broken_documents"], "(row without its file, or wrong bytes)")
    for key in ("lost_samples", "partial_samples", "duplicate_samples", "broken_document_samples"):
        for sample in checked[key]:
            print(f"   ! {key.split('_')[0]}: {mask(sample)}")
    for sub in unexpected[:5]:
        print(f"   ! unexpected HTTP {sub.status} for {sub.kind} {sub.target}: {mask(sub.error)}")
    for problem in crashed + [f"{name}: still running" for name in stuck]:
        print(f"   ! client {mask(problem)}")

    if (
        checked["lost"]
        or checked["partial"]
        or duplicates
        or checked["broken_documents"]
        or unexpected
        or replay_failed
    ):
        print("FAILED: the crash lost, half-wrote or duplicated something (see above)")
        return 1
    if not kills or not answered or gave_up or crashed or stuck or checked["unattributed"]:
        print("INCONCLUSIVE: the run did not exercise what it should (see above)")
        return 2
    print(f"OK: 0 lost, 0 partial, 0 duplicate after {len(kills)} kills")
    return 0
