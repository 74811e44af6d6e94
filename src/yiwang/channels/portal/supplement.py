"""补正材料: answer an open 补正 notice with exactly what it lists — nothing else is asked.

Each case of the application that is waiting for materials gets `case_act(action="supplement")`
with the entries for its own materials (a paper several cases asked for is uploaded once and given
to each). For a bundle this is done case by case because `application_act(supplement)` hands the
same body to every case, whose material ids differ per item; the calls run in one transaction so a
bundle's answer is accepted whole or not at all (see the portal's notes for the engine).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yiwang.accounts.acting import signed_in_account
from yiwang.accounts.models import User
from yiwang.cases.actions.dispatch import case_act
from yiwang.cases.models import Case
from yiwang.cases.states import Action
from yiwang.catalog.models import Material
from yiwang.channels.guards import current_user
from yiwang.channels.portal import materials as mat
from yiwang.channels.portal.guards import applicant_required, channel_of, not_found
from yiwang.channels.portal.licence_offers import Holders, holders_for, licence_offers
from yiwang.channels.portal.mine import _cases, _load, _open_request
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.documents.errors import ALLOWED_TYPES_LABEL, human_size
from yiwang.documents.services import document_upload


class _Undo(Exception):
    """Raised inside the transaction to roll back every case's supplement when one of them failed."""


def supplement_rows(holders: Holders, open_: list[tuple[Case, Any]]) -> list[mat.MaterialRow]:
    """One row per distinct material the open notices list, with every reason given for it."""
    wanted = [
        item.get("material") for _case, request in open_ for item in request.items if isinstance(item, dict)
    ]
    found = {
        m.id: m
        for m in Material.objects.filter(pk__in=[i for i in wanted if isinstance(i, int)]).select_related(
            "version"
        )
    }
    many = len(open_) > 1
    rows: dict[str, mat.MaterialRow] = {}
    for case, request in open_:
        for item in request.items:
            material_id = item.get("material") if isinstance(item, dict) else None
            material = found.get(material_id) if isinstance(material_id, int) else None
            if material is None:
                continue
            row = rows.get(material.share_key)
            if row is None:
                row = rows[material.share_key] = mat.MaterialRow(
                    key=f"m{material.id}", materials=[], allow_online=False
                )
            if material not in row.materials:
                row.materials.append(material)
            reason = str(item.get("reason") or "")
            row.reasons.append(f"{case.item_version.name}：{reason}" if many else reason)
    offers = licence_offers(holders, (row.first for row in rows.values()))
    for row in rows.values():
        row.licence = offers.get(row.first.id)
        row.way = row.default_way
    return list(rows.values())


def supplement_cases(
    *, user: User, open_: list[tuple[Case, Any]], rows: list[mat.MaterialRow], channel: str
) -> tuple[bool, list[str]]:
    """Send each waiting case its materials; if any case refuses, undo them all.

    Returns (done, messages that belong to no row); the rows carry their own messages.
    """
    problems: list[str] = []
    many = len(open_) > 1
    try:
        with transaction.atomic():
            failed = False
            for case, _request in open_:
                entries, sent = mat.entries_for(rows, {case.item_version_id}, every=True)
                try:
                    case_act(
                        actor=user,
                        number=case.number,
                        action=Action.SUPPLEMENT,
                        body={"materials": entries},
                        channel=channel,
                    )
                except ValidationFailed as exc:
                    failed = True
                    for message in mat.attach_errors(rows, exc.fields, sent):
                        problems.append(f"{case.item_version.name}：{message}" if many else message)
                except DomainError as exc:
                    failed = True
                    problems.append(exc.message)
            if failed:
                raise _Undo
    except _Undo:
        return False, problems
    return True, []


@applicant_required
@require_http_methods(["GET", "POST"])
def supplement(request: HttpRequest, number: str) -> HttpResponse:
    """补正页: the notice's list with its reasons, and for each entry a file, a pledge or an e-licence."""
    found = _load(request, number)
    if found is None:
        return not_found(request, "未找到该申办，或它不属于当前登录的账号。")
    user = current_user(request)
    cases = _cases(found)
    open_ = [(case, req) for case in cases if (req := _open_request(case)) is not None]
    if not open_:
        messages.info(request, "当前没有需要补正的材料。")
        return redirect("portal:application", number=found.number)
    rows = supplement_rows(holders_for(user, signed_in_account(request)), open_)
    problems: list[str] = []
    failed = False
    if request.method == "POST":
        mat.read_rows(request.POST, rows)
        for row in rows:
            upload = request.FILES.get(f"{row.key}.file")
            if upload is None:
                continue
            try:
                document = document_upload(owner=user, upload=upload)
            except DomainError as exc:
                row.errors.append(exc.message)
            else:
                row.way, row.document_id, row.document_name = (
                    mat.UPLOAD,
                    str(document.id),
                    document.original_name,
                )
        if not problems and not any(row.errors for row in rows):
            done, problems = supplement_cases(user=user, open_=open_, rows=rows, channel=channel_of(request))
            if done:
                messages.success(request, "补正材料已提交，申请已回到预审，请留意办理进度。")
                return redirect("portal:application", number=found.number)
        failed = True
    notes = [req.note for _case, req in open_ if req.note]
    summary = [{"href": "", "text": p} for p in problems] + [
        {"href": f"#{row.key}", "text": message if row.name in message else f"{row.name}：{message}"}
        for row in rows
        for message in row.errors
    ]
    context = {
        "nav": "mine",
        "application": found,
        "open": open_,
        "rows": rows,
        "notes": notes,
        "summary": summary,
        "issued_at": max(req.issued_at for _case, req in open_),
        "departments": list(dict.fromkeys(case.department.name for case, _req in open_)),
        "allowed_types": ALLOWED_TYPES_LABEL,
        "max_upload": human_size(_limit()),
        "max_upload_bytes": _limit(),
        "target": None,
    }
    return render(request, "channels/portal/supplement.html", context, status=422 if failed else 200)


def _limit() -> int:
    from django.conf import settings

    return int(settings.YIWANG_UPLOAD_MAX_BYTES)
