"""Two officers acting on the same case at the same moment: exactly one succeeds, the other gets 409.

Runs on real, separate database connections (one per thread); on PostgreSQL the row lock and the
revision check decide, on SQLite the single writer does. Nothing is half-written either way.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.factories import make_citizen, make_department, make_document, make_item, make_staff
from yiwang.cases import services
from yiwang.cases.models import Case, CaseEvent
from yiwang.cases.submission import application_submit
from yiwang.catalog import codes
from yiwang.core.errors import Conflict


@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_at_once_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row-level locking between connections is a PostgreSQL property; CI runs this on PostgreSQL"
        )
    department = make_department()
    item = make_item(department=department)
    citizen = make_citizen()
    document = make_document(citizen)
    application, _ = application_submit(
        actor=citizen,
        item=item.item.code,
        form={"applicant_name": "张三", "applicant_phone": "13800000000"},
        materials=[{"material": m.id, "document": str(document.id)} for m in item.materials.all()],
        channel="web",
    )
    number = application.cases.get().number
    officers = [make_staff(codes.StaffRole.OFFICER, department=department) for _ in range(2)]

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(officer) -> None:
        try:
            case = services.load_case(officer, number)  # both read revision 1 before either writes
            barrier.wait(timeout=10)
            services.case_accept(actor=officer, case=case, channel="api")
            outcomes.append("accepted")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "case_changed"]
    case = Case.objects.get(number=number)
    assert case.status == "accepted" and case.revision == 2
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
