"""Property-based run of schemathesis against our own OpenAPI: no input makes the API answer 5xx or
break its own schema. Bounded examples per operation, on a small catalog with real users."""

from __future__ import annotations

import pytest
import schemathesis
from django.test import RequestFactory
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.factories import make_bundle, make_citizen, make_department, make_item, make_staff
from yiwang.accounts.services import api_token_issue
from yiwang.catalog import codes
from yiwang.catalog.services import bundle_publish
from yiwang.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
]


pytestmark = pytest.mark.usefixtures("wsgi_keeps_test_connection")


@pytest.fixture
def token(db) -> str:
    department = make_department(code="amr")
    first = make_item(department=department, code="ITEM-1", name="普通护照签发")
    second = make_item(department=department, code="ITEM-2", name="食品经营许可")
    bundle_publish(bundle=make_bundle(first, second, code="qykb"))
    make_staff(codes.StaffRole.OFFICER, department=department, username="officer")
    make_citizen(username="citizen")
    request = RequestFactory().post("/api/v1/auth/token")
    token, _record = api_token_issue(request=request, username="citizen", password="pw-Yiwang-2026")
    return token


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_errors_and_keeps_its_schema(case, token):
    # Schema-valid input may still break a domain rule (an ID number with a wrong check digit is a valid
    # string): a 4xx there is correct, so "positive data acceptance" is not one of our checks.
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
