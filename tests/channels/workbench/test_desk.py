"""综合窗口: look the applicant up, start any item or bundle for them, accept or ask for corrections once."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.urls import reverse

from tests.channels.workbench.conftest import MASKED_ID, TEST_ID, look_up, start, start_item
from yiwang.cases.models import Application, CaseEvent, SupplementRequest
from yiwang.cases.states import Action, CaseStatus

pytestmark = pytest.mark.django_db


def test_clerk_looks_up_an_applicant_and_starts_an_item_on_their_behalf(client, world):
    client.force_login(world.clerk.user)

    wrong = look_up(client, number=TEST_ID[:-1] + "3")
    assert wrong.status_code == 422
    assert "校验位不正确" in wrong.content.decode()

    assert look_up(client).status_code == 302
    desk = client.get(reverse("workbench:desk")).content.decode()
    assert MASKED_ID in desk
    assert TEST_ID not in desk

    url = reverse("workbench:desk_start_item", args=[world.item.item.code])
    page = client.get(url).content.decode()
    assert "经营场所证明" in page and "告知承诺（免于提交）" in page
    assert world.department.name in page  # which department the case will go to

    response = start(client, url, [world.item], {"applicant_name": "张三", "applicant_phone": "13800000000"})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:application", args=[application.number])
    assert application.channel == "window"
    assert application.applicant_id_number == TEST_ID
    assert application.submitted_by == world.clerk.user
    assert application.service_point == world.point
    assert {m.document.owner for m in application.materials.all()} == {world.clerk.user}
    shown = client.get(response["Location"]).content.decode()
    assert world.department.name in shown and MASKED_ID in shown and TEST_ID not in shown
    assert 'value="accept"' in shown


def test_engine_refusals_of_a_submission_are_shown_on_the_form_row_they_concern(client, world):
    client.force_login(world.clerk.user)
    look_up(client)
    identity, premises = world.item.materials.order_by("order")

    response = client.post(
        reverse("workbench:desk_start_item", args=[world.item.item.code]),
        {
            "f.applicant_name": "张三",
            "f.applicant_phone": "12345",
            f"mat-{identity.id}-way": "none",
            f"mat-{premises.id}-way": "pledge",
        },
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "缺少必要材料：居民身份证" in page
    assert "格式不正确" in page
    assert not Application.objects.exists()


def test_a_pledge_replaces_a_paper_where_the_item_allows_it(client, world):
    client.force_login(world.clerk.user)
    look_up(client)
    identity, premises = world.item.materials.order_by("order")
    from tests.channels.workbench.conftest import scan

    response = client.post(
        reverse("workbench:desk_start_item", args=[world.item.item.code]),
        {
            "f.applicant_name": "张三",
            "f.applicant_phone": "13800000000",
            f"mat-{identity.id}-way": "scan",
            f"mat-{identity.id}-file": scan(),
            f"mat-{premises.id}-way": "pledge",
        },
    )

    assert response.status_code == 302
    pledged = Application.objects.get().materials.get(material=premises)
    assert pledged.pledged and "如有不实愿承担法律责任" in pledged.pledge_text


def test_the_clerk_accepts_a_bundle_once(client, world, newborn):
    client.force_login(world.clerk.user)
    look_up(client)
    certificate, registration = newborn["versions"]
    start_url = reverse("workbench:desk_start_bundle", args=["newborn"])
    page = client.get(start_url).content.decode()
    assert "示范市卫生健康委员会" in page and "示范市公安局" in page
    assert page.count("居民身份证</span>") == 1  # a paper both items need is asked once

    response = start(
        client, start_url, newborn["versions"], {"applicant_name": "张三", "applicant_phone": "13800000000"}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert shown.count('name="action" value="accept"') == 1
    assert "整体受理（2 个办件）" in shown

    stamp = re.search(r'name="stamp" value="([^"]+)"', shown)[1]
    accepted = client.post(
        reverse("workbench:application_act", args=[application.number]), {"action": "accept", "stamp": stamp}
    )

    assert accepted.status_code == 302
    statuses = dict(application.cases.values_list("item_version__name", "status"))
    assert statuses == {"出生医学证明首次签发": CaseStatus.ACCEPTED, "出生登记": CaseStatus.WAITING}
    assert CaseEvent.objects.filter(case__application=application, action=Action.ACCEPT).count() == 2
    after = client.get(accepted["Location"]).content.decode()
    assert 'value="accept"' not in after
    assert reverse("workbench:notice", args=[application.number, "acceptance"]) in after


def test_supplement_notice_lists_what_was_ticked_missing_and_its_pdf_downloads(client, world):
    start_item(client, world)
    application = Application.objects.get()
    identity, premises = world.item.materials.order_by("order")
    page = client.get(reverse("workbench:application", args=[application.number])).content.decode()
    stamp = re.search(r'name="stamp" value="([^"]+)"', page)[1]
    form = page[page.index('value="request_supplement"') - 400 :]
    assert f'name="stamp" value="{stamp}"' in form and f'name="missing-{premises.id}"' in form

    response = client.post(
        reverse("workbench:application_act", args=[application.number]),
        {
            "action": "request_supplement",
            "stamp": stamp,
            f"missing-{premises.id}": "1",
            f"reason-{premises.id}": "租赁合同已过期，请提供有效期内的场所证明",
            f"reason-{identity.id}": "this reason is not ticked",
            "note": "请一次带齐",
        },
    )

    assert response.status_code == 302
    request = SupplementRequest.objects.get()
    assert [i["name"] for i in request.items] == ["经营场所证明"]
    shown = client.get(response["Location"]).content.decode()
    assert "租赁合同已过期，请提供有效期内的场所证明" in shown
    notice_url = reverse("workbench:notice", args=[application.number, "supplement"])
    assert f'href="{notice_url}" target="_blank"' in shown

    pdf = client.get(notice_url)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = re.sub(
        r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    )
    assert "补正材料一次性告知书" in text
    assert "经营场所证明" in text and "租赁合同已过期，请提供有效期内的场所证明" in text
    assert "居民身份证" not in text
    assert "以上1项" in text


def test_a_supplement_request_without_a_reason_is_refused_with_the_engines_message(client, world):
    start_item(client, world)
    application = Application.objects.get()
    _identity, premises = world.item.materials.order_by("order")
    page = client.get(reverse("workbench:application", args=[application.number])).content.decode()
    stamp = re.search(r'name="stamp" value="([^"]+)"', page)[1]

    response = client.post(
        reverse("workbench:application_act", args=[application.number]),
        {"action": "request_supplement", "stamp": stamp, f"missing-{premises.id}": "1"},
    )

    assert response.status_code == 422
    assert "须说明需要补正的原因" in response.content.decode()
    assert not SupplementRequest.objects.exists()


def test_the_desk_is_for_window_clerks_only(client, world):
    client.force_login(world.officer.user)
    response = client.get(reverse("workbench:desk"))
    assert response.status_code == 403
    assert "综合窗口人员" in response.content.decode()


def test_starting_an_application_needs_an_applicant_first(client, world):
    client.force_login(world.clerk.user)
    response = client.get(reverse("workbench:desk_start_item", args=[world.item.item.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:desk")


def test_catalog_search_finds_items_of_every_department(client, world):
    client.force_login(world.clerk.user)
    look_up(client)
    response = client.get(
        reverse("workbench:desk"), {"q": "食品", "partial": "results"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "食品经营许可" in page and world.department.name in page
    assert "<html" not in page  # the results fragment only
