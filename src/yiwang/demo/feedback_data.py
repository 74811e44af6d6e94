"""示范市好差评与诉求: a year of ratings and of 12345 requests, so that the published figures, the
departments' 差评整改 lists, the dispatcher's pool and supervision have something to show in the demo.

Generated from `data/feedback/ratings.json` and `data/feedback/requests.json` by a fixed-seed
`random.Random`, counted back from the day of the load: the demo has no reference date of its own
(licences carry fixed dates, and a year of fixed dates would age out of "the past 12 months"), and the
same day gives the same rows. The rows are written with bulk_create as the services would leave them,
but without the services' messages: a demo load must not notify departments of a year of old 差评.

The demo has no ended cases, so every rating is 一次一评 (scope `visit`: the window's 评价器, a
self-service terminal, or the QR code on the window), which needs no case; 一事一评 and 追评 begin once
someone rates a case of their own. Loaded once: the demo request with DEMO_TRACKING_CODE marks it.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yiwang.demo.feedback_ratings import ratings_load
from yiwang.demo.feedback_requests import requests_load
from yiwang.demo.feedback_world import DEMO_TRACKING_CODE, feedback_world
from yiwang.feedback.models import (
    ServiceRequest,
    tracking_digest,
)


@transaction.atomic
def demo_feedback_load(*, today: date | None = None) -> dict[str, int]:
    """A year of ratings and requests up to yesterday, unless the demo's feedback is there already."""
    if ServiceRequest.objects.filter(tracking_digest=tracking_digest(DEMO_TRACKING_CODE)).exists():
        return {"ratings": 0, "requests": 0}
    world = feedback_world(today or timezone.localdate())
    if not world.items:
        return {"ratings": 0, "requests": 0}
    return {"ratings": ratings_load(world), "requests": requests_load(world)}
