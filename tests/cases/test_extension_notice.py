"""§42 延长办理期限: the department head's extension is told to the applicant in writing (延长审批期限告知书,
with the reason and the dues before and after), and every page that shows a limit beside a due date
says the limit was extended — not "10 个工作日" beside a date that is twenty working days away."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pypdf
import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
REASON = "需要组织现场核查经营场所，经部门负责人批准延长"


def on(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SHANGHAI), tick=False)


def chinese(day: str) -> str:
    """2025-09-15 as a notice writes it: 2025年9月15日."""
    year, month, date = (int(part) for part in day.split("-"))
    return f"{year}年{month}月{date}日"


def pdf_text(response) -> str:
    """The PDF's text without whitespace (pypdf spaces CJK text unpredictably)."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def act(who, case: str, action: str, **body) -> dict:
    response = who.act(case, action, **body)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def extended(world) -> dict:
    """An online application accepted on 2025-09-01 and extended by the head on 2025-09-03
    (the world's item: 10 working days promised, 20 statutory)."""
    with on("2025-09-01"):
        application = world.apply().json()
        case = application["cases"][0]["number"]
        before = act(world.officer, case, "accept")["deadlines"]
    with on("2025-09-03"):
        after = act(world.head, case, "extend", reason=REASON)["deadlines"]
    return {"number": application["number"], "case": case, "before": before, "after": after}


def test_an_extension_issues_the_extension_notice_with_reason_dues_and_legal_basis(world, extended, settings):
    with on("2025-09-04"):
        listed = world.citizen.get(f"/applications/{extended['number']}").json()["notices"]
        text = pdf_text(world.citizen.get(f"/applications/{extended['number']}/notices/extension.pdf"))

    assert {"kind": "extension", "title": "延长审批期限告知书"} in [
        {"kind": n["kind"], "title": n["title"]} for n in listed
    ]
    assert "延长审批期限告知书" in text
    assert REASON in text
    assert "《中华人民共和国行政许可法》第四十二条" in text
    days = settings.YIWANG_EXTENSION_DAYS
    assert f"10个工作日（已延长{days}个工作日）" in text
    assert f"20个工作日（已延长{days}个工作日）" in text
    for name in ("promised_due", "statutory_due"):
        assert f"原为{chinese(extended['before'][name])}，延长后为{chinese(extended['after'][name])}" in text
    assert chinese("2025-09-03") in text  # the day of the head's approval, the notice's date
    assert f"/track/{extended['number']}/" in text  # the QR code's address, as on every notice
    assert world.citizen.user.id_number not in text


def test_the_extension_notice_keeps_the_dues_of_its_day_after_a_later_suspension(world, extended):
    with on("2025-09-04"):
        act(world.officer, extended["case"], "start_review")
        act(world.officer, extended["case"], "suspend", kind="expert_review", reason="组织专家评审")
    with on("2025-09-10"):
        resumed = act(world.officer, extended["case"], "resume", reason="评审通过")["deadlines"]
        text = pdf_text(world.citizen.get(f"/applications/{extended['number']}/notices/extension.pdf"))

    assert resumed["promised_due"] != extended["after"]["promised_due"]
    assert f"延长后为{chinese(extended['after']['promised_due'])}" in text


def test_no_extension_no_extension_notice(world):
    application = world.apply().json()
    act(world.officer, application["cases"][0]["number"], "accept")

    response = world.citizen.get(f"/applications/{application['number']}/notices/extension.pdf")

    assert response.status_code == 404
    assert response.json()["code"] == "notice_not_found"
    notices = world.citizen.get(f"/applications/{application['number']}").json()["notices"]
    assert "extension" not in [n["kind"] for n in notices]


def test_the_api_case_detail_gives_the_limits_with_the_extension(world, extended, settings):
    with on("2025-09-04"):
        deadlines = world.citizen.get(f"/cases/{extended['case']}").json()["deadlines"]

    days = settings.YIWANG_EXTENSION_DAYS
    assert deadlines["promised_limit"] == f"10 个工作日（已延长 {days} 个工作日）"
    assert deadlines["statutory_limit"] == f"20 个工作日（已延长 {days} 个工作日）"
    assert deadlines["promised_due"] == extended["after"]["promised_due"]


def test_the_applicants_page_shows_the_extended_limit_and_lists_the_notice(client, world, extended, settings):
    client.force_login(world.citizen.user)
    with on("2025-09-04"):
        page = client.get(reverse("portal:application", args=[extended["number"]])).content.decode()
        download = client.get(reverse("portal:notice", args=[extended["number"], "extension"]))

    days = settings.YIWANG_EXTENSION_DAYS
    assert f"<dd>10 个工作日（已延长 {days} 个工作日）</dd>" in page
    assert extended["after"]["promised_due"] in page
    assert "<dd>10 个工作日</dd>" not in page
    assert reverse("portal:notice", args=[extended["number"], "extension"]) in page
    assert "延长审批期限告知书" in page
    assert "延长审批期限告知书" in pdf_text(download)


def test_the_track_page_shows_the_limit_with_the_extension_beside_the_due_date(
    client, world, extended, settings
):
    with on("2025-09-04"):
        response = client.post(
            f"/track/{extended['number']}/", {"id_suffix": world.citizen.user.id_number[-4:]}
        )

    page = response.content.decode()
    assert response.status_code == 200
    days = settings.YIWANG_EXTENSION_DAYS
    assert (
        f'{extended["after"]["promised_due"]}<span class="muted"> · 承诺时限 10 个工作日（已延长 {days} 个工作日）'
        in page
    )


def test_the_workbench_case_page_shows_the_limits_with_the_extension_and_the_notice(
    client, world, extended, settings
):
    client.force_login(world.head.user)
    with on("2025-09-04"):
        page = client.get(reverse("workbench:case", args=[extended["case"]])).content.decode()
        download = client.get(reverse("workbench:notice", args=[extended["number"], "extension"]))

    days = settings.YIWANG_EXTENSION_DAYS
    assert f"10 个工作日（已延长 {days} 个工作日） / 20 个工作日（已延长 {days} 个工作日）" in page
    assert "打印延长审批期限告知书" in page
    assert REASON in pdf_text(download)
