"""Kiosk test data: citizens with a kiosk PIN, items shown at the kiosk, applications with notices."""

from __future__ import annotations

from typing import Any

from tests.factories import make_citizen, make_document, make_id_number, make_item, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.cases.actions import dispatch
from yiwang.cases.models import Application
from yiwang.cases.submission.submit import application_submit
from yiwang.catalog.models import ItemVersion
from yiwang.kiosk.services import kiosk_pin_set

PIN = "246810"


def id_number_ending_in_x(start: int = 1) -> str:
    """A valid ID number whose check character is X: the keypad's X key must be able to type it."""
    n = start
    while True:
        number = make_id_number(n)
        if number.endswith("X"):
            return number
        n += 1


def make_kiosk_citizen(*, pin: str = PIN, **overrides: Any) -> Any:
    citizen = make_citizen(**overrides)
    kiosk_pin_set(user=citizen, pin=pin)
    return citizen


def apply(citizen: Any, version: ItemVersion) -> Application:
    document = make_document(citizen)
    application = application_submit(
        actor=citizen,
        item=version.item.code,
        form={"applicant_name": citizen.name, "applicant_phone": "13800000000"},
        materials=[{"material": m.id, "document": str(document.id)} for m in version.materials.all()],
        channel="web",
    ).application
    return application


def apply_and_accept(citizen: Any, version: ItemVersion) -> Application:
    """An application accepted at the window: it has a 受理通知书 to print."""
    application = apply(citizen, version)
    clerk = make_staff(StaffRole.WINDOW_CLERK, department=version.item.department)
    for case in application.cases.all():
        dispatch.case_act(actor=clerk, number=case.number, action="accept", body={}, channel="window")
    application.refresh_from_db()
    return application


def kiosk_item(**overrides: Any) -> ItemVersion:
    return make_item(supports_kiosk=True, **overrides)
