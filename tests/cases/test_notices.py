"""文书 PDFs through the API: the applicant downloads each notice, and it says what happened."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote

import pypdf
import pytest
import qrcode
import time_machine

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _submit(world) -> dict:
    response = world.apply()
    assert response.status_code == 201, response.content
    return response.json()


def _act(who: ApiUser, case: str, action: str, **body) -> dict:
    response = who.act(case, action, **body)
    assert response.status_code == 200, response.content
    return response.json()


def _notice(who: ApiUser, number: str, kind: str):
    return who.get(f"/applications/{number}/notices/{kind}.pdf")


def _text(response) -> str:
    """The PDF's text with all whitespace removed (pypdf spaces CJK text unpredictably)."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_supplement_notice_lists_every_material_with_its_reason(world):
    application = _submit(world)
    case = application["cases"][0]["number"]
    identity, premises = list(world.item.materials.order_by("order"))
    _act(
        world.officer,
        case,
        "request_supplement",
        items=[
            {"material": identity.id, "reason": "身份证复印件模糊不清，请提供清晰的正反面复印件"},
            {"material": premises.id, "reason": "租赁合同已过期，请提供有效期内的经营场所证明"},
        ],
        reason="请于十个工作日内补正",
    )

    text = _text(_notice(world.citizen, application["number"], "supplement"))

    assert "补正材料一次性告知书" in text
    for name, reason in [
        (identity.name, "身份证复印件模糊不清，请提供清晰的正反面复印件"),
        (premises.name, "租赁合同已过期，请提供有效期内的经营场所证明"),
    ]:
        assert name in text
        assert _squash(reason) in text
    assert "请于十个工作日内补正" in text
    assert "依据《中华人民共和国行政许可法》第三十二条，现一次性告知您需要补正的全部内容" in text
    assert "唯一的一次性补正告知" in text
    assert application["number"] in text


def test_refusal_notice_states_the_reason_and_the_applicants_remedies(world):
    application = _submit(world)
    case = application["cases"][0]["number"]
    _act(world.officer, case, "refuse", reason="申请人不具备食品经营主体资格，本事项不属于本机关职权范围")

    text = _text(_notice(world.citizen, application["number"], "refusal"))

    assert "不予受理通知书" in text
    assert "申请人不具备食品经营主体资格，本事项不属于本机关职权范围" in text
    assert "可依法申请行政复议或者提起行政诉讼" in text
    assert "六十日内" in text and "六个月内" in text


def test_acceptance_notice_gives_case_number_and_promised_due_date(world):
    application = _submit(world)
    case = application["cases"][0]["number"]
    accepted = _act(world.officer, case, "accept")
    due = accepted["deadlines"]["promised_due"]  # "YYYY-MM-DD"
    year, month, day = (int(part) for part in due.split("-"))

    text = _text(_notice(world.citizen, application["number"], "acceptance"))

    assert "受理通知书" in text
    assert case in text
    assert f"{year}年{month}月{day}日" in text
    assert "10个工作日" in text
    assert world.citizen.user.name in text
    assert world.citizen.user.id_number not in text  # masked, not printed in clear
    assert world.citizen.user.id_number[-4:] in text


def test_completion_notice_gives_result_name_and_number(world):
    application = _submit(world)
    case = application["cases"][0]["number"]
    for action, body in [
        ("accept", {}),
        ("start_review", {}),
        ("approve", {"reason": "符合条件"}),
        ("complete", {"result": {"name": "食品经营许可证", "number": "JY13301000000001"}}),
    ]:
        _act(world.officer, case, action, **body)

    text = _text(_notice(world.citizen, application["number"], "completion"))

    assert "办结通知书" in text
    assert "食品经营许可证" in text
    assert "JY13301000000001" in text
    assert "准予" in text
    assert "请凭本通知书领取" in text


def test_completion_notice_of_a_denial_gives_the_reason(world):
    application = _submit(world)
    case = application["cases"][0]["number"]
    for action, body in [
        ("accept", {}),
        ("start_review", {}),
        ("deny", {"reason": "现场核查经营场所与申报不符"}),
        ("complete", {}),
    ]:
        _act(world.officer, case, action, **body)

    text = _text(_notice(world.citizen, application["number"], "completion"))

    assert "不予" in text
    assert "现场核查经营场所与申报不符" in text
    assert "可依法申请行政复议或者提起行政诉讼" in text


def test_every_notice_carries_the_verification_sentence(world):
    application = _submit(world)
    _act(world.officer, application["cases"][0]["number"], "accept")

    text = _text(_notice(world.citizen, application["number"], "acceptance"))

    assert "本通知书由一网通办平台生成，可扫描二维码核验办理进度" in text
    assert f"/track/{application['number']}/" in text


def test_acceptance_notice_says_deemed_accepted_when_no_supplement_notice_came_in_time(world):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        application = _submit(world)
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=SHANGHAI), tick=False):
        _act(world.officer, application["cases"][0]["number"], "accept")
        text = _text(_notice(world.citizen, application["number"], "acceptance"))

    assert "2026年3月2日视为受理（《行政许可法》第三十二条）" in text


def test_acceptance_notice_shows_an_extension_and_the_moved_due_date(world, settings):
    application = _submit(world)
    case = application["cases"][0]["number"]
    _act(world.officer, case, "accept")
    extended = _act(world.head, case, "extend", reason="需要组织现场核查，经负责人批准延长")
    year, month, day = (int(part) for part in extended["deadlines"]["promised_due"].split("-"))

    text = _text(_notice(world.citizen, application["number"], "acceptance"))

    assert f"依法延长{settings.YIWANG_EXTENSION_DAYS}个工作日" in text
    assert f"{year}年{month}月{day}日" in text


def test_notice_file_name_names_the_notice_and_the_application(world):
    application = _submit(world)
    _act(world.officer, application["cases"][0]["number"], "accept")

    response = _notice(world.citizen, application["number"], "acceptance")

    assert response.status_code == 200
    expected = quote(f"受理通知书-{application['number']}.pdf")
    assert response["Content-Disposition"] == f"inline; filename*=UTF-8''{expected}"


def test_notice_not_issued_yet_is_not_found(world):
    application = _submit(world)

    response = _notice(world.citizen, application["number"], "acceptance")

    assert response.status_code == 404
    assert response.json()["code"] == "notice_not_found"


def test_another_citizens_notice_is_not_found(world, client):
    application = _submit(world)
    _act(world.officer, application["cases"][0]["number"], "accept")
    stranger = ApiUser(client, make_citizen())

    response = _notice(stranger, application["number"], "acceptance")

    assert response.status_code == 404
    assert response.json()["code"] == "application_not_found"


def test_unknown_notice_kind_is_rejected(world):
    application = _submit(world)
    _act(world.officer, application["cases"][0]["number"], "accept")

    response = _notice(world.citizen, application["number"], "licence")

    assert response.status_code == 422


def _qr_modules(pdf: bytes) -> set[tuple[int, int]]:
    """The dark modules of the notice's QR code, read from the PDF: WeasyPrint draws the QR's SVG path
    as one unit square per module (`x y m`, `x+1 y l`, `x+1 y+1 l`, `x y+1 l`) in module coordinates."""
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    square = re.compile(r"^(\d+) (\d+) m\n(\d+) (\d+) l\n(\d+) (\d+) l\n(\d+) (\d+) l\nh$", re.MULTILINE)
    modules = set()
    for match in square.finditer(content):
        x, y, *corners = (int(v) for v in match.groups())
        if corners == [x + 1, y, x + 1, y + 1, x, y + 1]:
            modules.add((x, y))
    return modules


def _expected_modules(url: str) -> set[tuple[int, int]]:
    code = qrcode.QRCode(border=1)
    code.add_data(url)
    return {(x, y) for y, row in enumerate(code.get_matrix()) for x, dark in enumerate(row) if dark}


def test_notice_link_and_qr_code_lead_to_the_site_url(world, settings):
    settings.SITE_URL = "https://zwfw.example.gov.cn/"
    application = _submit(world)
    _act(world.officer, application["cases"][0]["number"], "accept")

    response = _notice(world.citizen, application["number"], "acceptance")

    url = f"https://zwfw.example.gov.cn/track/{application['number']}/"
    assert url in _text(response)
    assert "127.0.0.1" not in _text(response)
    assert _qr_modules(response.content) == _expected_modules(url)
