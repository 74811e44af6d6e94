"""申办提交: validate an application completely, then store it and fan it out into cases at once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from yiwang.accounts.models import User
from yiwang.accounts.selectors import require_real_name
from yiwang.audit import services as audit
from yiwang.audit.models import AuditAction
from yiwang.cases.access import is_applicant
from yiwang.cases.applicant_fields import bind_to_applicant
from yiwang.cases.applicants import Problems, entity_to_be, produced_licence_types
from yiwang.cases.formcheck import form_errors
from yiwang.cases.models import (
    Application,
    Channel,
    IdempotencyRecord,
)
from yiwang.cases.submission.applicant import applicant_for, check_audience
from yiwang.cases.submission.materials import collect_materials
from yiwang.cases.submission.store import StoredApplication, application_store, licence_uses_log
from yiwang.cases.targets import application_target
from yiwang.core.errors import Conflict, DomainError, ValidationFailed


@dataclass(frozen=True)
class Submission:
    """What a submission did: the application, whether this call created it (False: a retry answered
    with the first), and, when it did, the application as written, for the answer."""

    application: Application
    created: bool
    stored: StoredApplication | None = None


def request_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def application_submit(
    *,
    actor: User,
    item: str | None = None,
    bundle: str | None = None,
    members: list[str] | None = None,
    applicant: dict[str, Any] | None = None,
    form: dict[str, Any],
    materials: list[dict[str, Any]],
    channel: str,
    idempotency_key: str | None = None,
    sharing_consent: bool = False,
    agent: User | None = None,
) -> Submission:
    """Submit an application; a retry with the same key is answered with the first.

    `sharing_consent`: the applicant authorises the departments handling this application to look up
    their e-licences and data for it (logged in the use log, visible to them).
    `agent`: the natural person acting for `actor`, a legal person (accounts.acting).
    """
    digest = request_digest(
        {
            "item": item,
            "bundle": bundle,
            "members": members,
            "applicant": applicant,
            "form": form,
            "materials": materials,
            "channel": channel,
            "sharing_consent": sharing_consent,
        }
    )
    # No look-up of the key first: nearly every key is new, and a retry is found by the unique
    # (owner, key) constraint when its record is written, which rolls the retry's work back.
    try:
        with transaction.atomic():
            stored = _submit(
                actor=actor,
                item=item,
                bundle=bundle,
                members=members,
                applicant=applicant,
                form=form,
                materials=materials,
                channel=channel,
                sharing_consent=sharing_consent,
                agent=agent,
            )
            if idempotency_key:
                IdempotencyRecord.objects.create(
                    owner=actor, key=idempotency_key, request_digest=digest, application=stored.application
                )
            # Last: the audit chain's head stays locked from the append until the commit, so other
            # submissions on the chain wait on it only for the append itself.
            _audit_submission(stored, actor, item, bundle)
    except (IntegrityError, DomainError):
        # A retry of a submission that committed (its key's record could not be written), or raced
        # it and lost, answers with the first result; so does one that would no longer pass (the
        # document deleted since, the item withdrawn), as its key is looked up only now.
        replay = _replay(actor, idempotency_key, digest) if idempotency_key else None
        if replay is None:
            raise
        return Submission(replay, created=False)
    return Submission(stored.application, created=True, stored=stored)


def _replay(actor: User, key: str, digest: str) -> Application | None:
    record = IdempotencyRecord.objects.filter(owner=actor, key=key).first()
    if record is None:
        return None
    if record.request_digest != digest:
        raise Conflict("idempotency_key_reused", "该 Idempotency-Key 已用于另一份不同的申请")
    return Application.objects.get(pk=record.application_id)


def _submit(
    *,
    actor: User,
    item: str | None,
    bundle: str | None,
    members: list[str] | None,
    applicant: dict[str, Any] | None,
    form: dict[str, Any],
    materials: list[dict[str, Any]],
    channel: str,
    sharing_consent: bool = False,
    agent: User | None = None,
) -> StoredApplication:
    """Validate the application completely, then store it."""
    problems = Problems()
    if channel not in Channel.values:
        problems.add("channel", "渠道须为 web、mobile、window、kiosk 或 api")
    target = application_target(item, bundle, members, problems)
    if target is None:
        raise ValidationFailed(problems.fields)
    founding = any(v.establishes_entity for _m, v in target.versions)
    who = applicant_for(actor, applicant, channel, problems, agent=agent)
    if who is None:
        raise ValidationFailed(problems.fields)
    if is_applicant(actor) and any(v.real_name_required for _m, v in target.versions):
        require_real_name(actor, "申请该事项")
    if founding:
        who = entity_to_be(target.schema, form, founder=who)
    elif isinstance(form, dict):
        form, mismatches = bind_to_applicant(target.schema, form, who.identity())
        for key, messages in mismatches.items():
            for message in messages:
                problems.add(key, message)
    check_audience(target, who, problems)
    for key, messages in form_errors(target.schema, form).items():
        for message in messages:
            problems.add(key, message)
    provided = collect_materials(
        actor,
        who,
        [v for _m, v in target.versions],
        materials,
        problems,
        produced=produced_licence_types(v for _m, v in target.versions) if founding else frozenset(),
    )
    if problems.fields:
        raise ValidationFailed(problems.fields)
    # Every licence the application uses goes into its holder's use log: taken from the library by the
    # engine (免提交) or named by the applicant on the page.
    used = [p for p in provided if p.licence_identifier]
    stored = application_store(
        actor=actor,
        target=target,
        who=who,
        form=form,
        provided=provided,
        channel=channel,
        # Consent given, or implied by letting the engine take licences from the library.
        sharing_consent=sharing_consent or any(p.shared for p in used),
    )
    if used:
        licence_uses_log(stored.application, actor=actor, used=used)
    return stored


def _audit_submission(stored: StoredApplication, actor: User, item: str | None, bundle: str | None) -> None:
    application = stored.application
    audit.record(
        action=AuditAction.APPLICATION_SUBMIT,
        obj=application,
        actor=actor,
        detail={
            "item": item,
            "bundle": bundle,
            "channel": application.channel,
            "on_behalf": not is_applicant(actor),
            "cases": [{"number": case.number, "to": case.status} for case in stored.cases],
        },
    )
