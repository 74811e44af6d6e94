"""The parts of bench/notify and bench/notify_kill that run inside Django (the project's venv, the bench
database, the bench's queue and SMS settings from the environment).

    python bench/notify_lib/django_side.py write --count N [--first K] [--keep-jobs]
        N messages with an SMS each through notifications.services.notify, 500 to a transaction, as
        events write them. Each commit enqueues one sms_dispatch job per SMS (transaction.on_commit);
        without --keep-jobs the queue is emptied afterwards, so that the bench decides when the
        workers get their jobs (`enqueue`).
    python bench/notify_lib/django_side.py enqueue --jobs J
        J sms_dispatch jobs, one after the other, as J commits of notify would enqueue them. Prints
        "ready" once Django is set up and enqueues when a line comes on stdin, so that the bench's
        clock starts with the first job, not with Django's start.

Each prints one JSON document on stdout (its last line). Phone numbers are made up (199 + eight digits).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
CHUNK = 500


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


def write(count: int, first: int, keep_jobs: bool) -> dict[str, Any]:
    from django.db import transaction
    from huey.contrib.djhuey import HUEY

    from yiwang.notifications.models import MessageKind, Sms
    from yiwang.notifications.services import notify

    started = time.monotonic()
    for start in range(first, first + count, CHUNK):
        with transaction.atomic():
            for n in range(start, min(start + CHUNK, first + count)):
                notify(
                    kind=MessageKind.CASE_ACCEPTED,
                    recipient=None,
                    title="您的申请已受理",
                    body=f"您申请的食品经营许可（办件编号 BENCH{n:07d}）已受理。",
                    phone=f"199{n:08d}",
                    sms_params={
                        "name": "张*",
                        "item": "食品经营许可",
                        "number": f"BENCH{n:07d}",
                        "due": "5月8日",
                    },
                )
    queued = HUEY.pending_count()
    if not keep_jobs:
        HUEY.flush()
    return {
        "written": Sms.objects.count(),
        "seconds": time.monotonic() - started,
        "jobs_enqueued": queued,
        "jobs_left": HUEY.pending_count(),
    }


def enqueue(jobs: int) -> dict[str, Any]:
    from huey.contrib.djhuey import HUEY

    from yiwang.notifications.tasks import sms_dispatch

    HUEY.pending_count()  # connects to the queue now, not on the bench's clock
    print("ready", flush=True)
    sys.stdin.readline()
    at = time.time()
    for _ in range(jobs):
        sms_dispatch()
    return {"at": at, "seconds": time.time() - at}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("--count", type=int, required=True)
    w.add_argument("--first", type=int, default=0)
    w.add_argument("--keep-jobs", action="store_true")
    e = sub.add_parser("enqueue")
    e.add_argument("--jobs", type=int, required=True)
    args = parser.parse_args()
    _setup()
    if args.command == "write":
        result = write(args.count, args.first, args.keep_jobs)
    else:
        result = enqueue(args.jobs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
