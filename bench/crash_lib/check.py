"""The database side of bench/crash: is every application complete, and is every answered one there?

    python bench/crash_lib/check.py --records FILE

DATABASE_URL, YIWANG_VAR_DIR and YIWANG_MEDIA_ROOT must be the ones the server used. FILE holds what
the clients saw (bench/crash writes it). Prints one JSON document on stdout; the figures only, never
an ID or phone number (applications are named by their number).

"Complete" is what application_submit (src/yiwang/cases/submission/store.py) writes in its one
transaction; see the definition at the top of bench/crash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH_PREFIX = "bench_"  # the users bench/submit_lib/django_side.py prepare creates
SAMPLES = 8  # problems shown per kind


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


class Blobs:
    """SHA-256 and size of each stored file, read once (blank forms are shared by many documents)."""

    def __init__(self) -> None:
        from django.core.files.storage import default_storage

        self.storage = default_storage
        self.seen: dict[str, tuple[str, int] | None] = {}

    def digest(self, key: str) -> tuple[str, int] | None:
        if key not in self.seen:
            try:
                from yiwang.core.protection import ProtectionError
                from yiwang.documents.storage import blob_open

                sha, size = hashlib.sha256(), 0
                # Stored sealed: the row's digest and size are the clear content's.
                with blob_open(key) as stored:
                    for chunk in iter(lambda: stored.read(64 * 1024), b""):
                        sha.update(chunk)
                        size += len(chunk)
                self.seen[key] = (sha.hexdigest(), size)
            except (FileNotFoundError, OSError, ProtectionError):
                self.seen[key] = None
        return self.seen[key]

    def problem(self, document: dict[str, Any]) -> str:
        """Why this document row is not backed by its bytes, or "" when it is."""
        found = self.digest(document["blob"])
        if found is None:
            return "file missing"
        if found[1] != document["size"]:
            return f"file has {found[1]} bytes, row says {document['size']}"
        if found[0] != document["sha256"]:
            return "file SHA-256 differs from the row"
        return ""


def check(records: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from yiwang.cases.applicants import produced_licence_types
    from yiwang.cases.models import (
        ONLINE_CHANNELS,
        Application,
        ApplicationMaterial,
        Case,
        CaseEvent,
        IdempotencyRecord,
    )
    from yiwang.cases.numbers import APPLICATION_SEQUENCE, postgres_sequence_name
    from yiwang.cases.states import Action, CaseStatus
    from yiwang.cases.status import derive_application_status
    from yiwang.cases.submission.materials import needed_materials
    from yiwang.catalog.models import BundleMember, ItemVersion
    from yiwang.documents.models import Document

    # -- everything, in a handful of queries ------------------------------------------------------
    apps = list(
        Application.objects.order_by("id").values(
            "id",
            "number",
            "item_version_id",
            "bundle_id",
            "status",
            "channel",
            "submitted_by_id",
            "submitted_by__username",
            "created_at",
        )
    )
    cases_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for case in Case.objects.order_by("number").values(
        "id", "number", "application_id", "status", "item_version_id", "bundle_member_id"
    ):
        cases_of[case["application_id"]].append(case)
    events_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in CaseEvent.objects.order_by("at", "id").values(
        "case_id", "action", "from_status", "to_status"
    ):
        events_of[event["case_id"]].append(event)
    materials_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for material in ApplicationMaterial.objects.values(
        "application_id", "share_key", "document_id", "licence_identifier", "pledged", "from_form"
    ):
        materials_of[material["application_id"]].append(material)
    documents = {
        d["id"]: d
        for d in Document.objects.values("id", "owner_id", "blob", "size", "sha256", "original_name")
    }
    keys_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    app_of_key: dict[tuple[int, str], int] = {}
    for record in IdempotencyRecord.objects.values("owner_id", "key", "application_id"):
        keys_of[record["application_id"]].append((record["owner_id"], record["key"]))
        app_of_key[(record["owner_id"], record["key"])] = record["application_id"]
    members_of_bundle: dict[int, set[int]] = defaultdict(set)
    required_members: dict[int, set[int]] = defaultdict(set)
    for member in BundleMember.objects.values("id", "bundle_id", "optional"):
        members_of_bundle[member["bundle_id"]].add(member["id"])
        if not member["optional"]:
            required_members[member["bundle_id"]].add(member["id"])
    versions = {v.pk: v for v in ItemVersion.objects.filter(cases__isnull=False).distinct()}
    user_ids = dict(get_user_model().objects.values_list("username", "id"))
    blobs = Blobs()

    # -- one application: everything `_store` writes, present and consistent -----------------------
    def problems_of(app: dict[str, Any]) -> list[str]:
        found: list[str] = []
        cases = cases_of.get(app["id"], [])
        if not cases:
            return ["no cases"]
        expected_numbers = [f"{app['number']}-{i:02d}" for i in range(1, len(cases) + 1)]
        if [c["number"] for c in cases] != expected_numbers:
            found.append("case numbers not consecutive from -01")
        if app["bundle_id"] is None:
            if len(cases) != 1 or cases[0]["item_version_id"] != app["item_version_id"]:
                found.append(f"single-item application with {len(cases)} cases (or another item's)")
        else:
            members = {c["bundle_member_id"] for c in cases}
            if members - members_of_bundle[app["bundle_id"]]:
                found.append("a case of another bundle's member")
            missing = required_members[app["bundle_id"]] - members
            if missing:
                found.append(f"bundle lacks {len(missing)} of its required members' cases")
            if len(members) != len(cases):
                found.append("two cases for one bundle member")
        online = app["channel"] in ONLINE_CHANNELS
        for case in cases:
            events = events_of.get(case["id"], [])
            if not events:
                found.append(f"case {case['number']} has no events")
                continue
            first = events[0]
            if (first["action"], first["from_status"], first["to_status"]) != (
                Action.SUBMIT,
                "",
                CaseStatus.SUBMITTED,
            ):
                found.append(f"case {case['number']}: first event is not the submission")
            if online and (len(events) < 2 or events[1]["action"] != Action.PRE_REVIEW):
                found.append(f"case {case['number']}: online submission without its 预审 event")
            for before, after in zip(events, events[1:], strict=False):
                if after["from_status"] != before["to_status"]:
                    found.append(f"case {case['number']}: events do not chain")
                    break
            if events[-1]["to_status"] != case["status"]:
                found.append(f"case {case['number']}: status differs from its last event")
        if app["status"] != derive_application_status([c["status"] for c in cases]):
            found.append("application status not the one its cases give")
        materials = materials_of.get(app["id"], [])
        provided = {m["share_key"] for m in materials}
        try:
            app_versions = [versions[c["item_version_id"]] for c in cases]
        except KeyError:
            app_versions = []
            found.append("case of an unknown item version")
        needed = needed_materials(app_versions) if app_versions else {}
        # 企业开办: the licence its establishing member issues is asked of nobody (collect_materials).
        produced = produced_licence_types(app_versions)
        for key, group in needed.items():
            if group[0].licence_type_code in produced:
                continue
            if key not in provided and any(m.required for m in group):
                found.append(f"required material {group[0].pk} missing")
        named: set[Any] = set()
        for material in materials:
            document_id = material["document_id"]
            if document_id is None:
                if not (material["licence_identifier"] or material["pledged"] or material["from_form"]):
                    found.append("material provided by nothing")
                continue
            if document_id in named:
                continue  # one file may serve several materials: check it once
            named.add(document_id)
            document = documents.get(document_id)
            if document is None:
                found.append("material names a document row that does not exist")
                continue
            if document["owner_id"] != app["submitted_by_id"]:
                found.append("material names another user's document")
            why = blobs.problem(document)
            if why:
                found.append(f"document {document_id}: {why}")
        if app["submitted_by__username"].startswith(BENCH_PREFIX) and not keys_of.get(app["id"]):
            # Every bench submission carries a key, and the key is written in the same transaction.
            found.append("no Idempotency-Key record")
        return found

    problems: dict[int, list[str]] = {}
    for app in apps:
        found = problems_of(app)
        if found:
            problems[app["id"]] = found
    by_number = {a["number"]: a for a in apps}
    by_id = {a["id"]: a for a in apps}

    # -- what the clients saw ----------------------------------------------------------------------
    lost: list[str] = []
    answered_ids: set[int] = set()
    committed_before_kill = 0  # answered by replaying a commit whose own answer the kill cut off
    duplicates: list[str] = []
    doc_apps: dict[str, set[int]] = defaultdict(set)
    for material in ApplicationMaterial.objects.exclude(document_id=None).values(
        "application_id", "document_id"
    ):
        doc_apps[str(material["document_id"])].add(material["application_id"])
    for sub in records["submissions"]:
        if sub["status"] != 201:
            continue
        app = by_number.get(sub["number"])
        label = f"{sub['number']} ({sub['kind']} {sub['target']})"
        if app is None:
            lost.append(f"{label}: answered 201, not in the database")
            continue
        answered_ids.add(app["id"])
        why = list(problems.get(app["id"], []))
        if [c["number"] for c in cases_of.get(app["id"], [])] != sub["cases"]:
            why.append("cases differ from the 201 answer")
        stored_docs = {str(m["document_id"]) for m in materials_of.get(app["id"], []) if m["document_id"]}
        if stored_docs != set(sub["documents"]) | set(sub["shared_documents"]):
            why.append("documents differ from the ones sent")
        owner = user_ids.get(sub["username"])
        if app_of_key.get((owner, sub["key"])) != app["id"]:
            why.append("its Idempotency-Key does not lead to it")
        if why:
            lost.append(f"{label}: {'; '.join(why)}")
        if sub["post_attempts"] > 1 and app["created_at"].timestamp() < sub["last_post_at"]:
            committed_before_kill += 1
    for sub in records["submissions"]:
        # Each submission's own documents are referenced by it alone: two applications naming one of
        # them are the same submission stored twice.
        for document_id in sub["documents"]:
            if len(doc_apps.get(document_id, ())) > 1:
                numbers = sorted(by_id[i]["number"] for i in doc_apps[document_id])
                duplicates.append(f"key of {sub['number'] or 'unanswered'}: {', '.join(numbers)}")
                break
    known_keys = {(user_ids.get(s["username"]), s["key"]) for s in records["submissions"]}
    unattributed = [
        by_id[app_id]["number"]
        for app_id in by_id
        if by_id[app_id]["submitted_by__username"].startswith(BENCH_PREFIX)
        and not any(k in known_keys for k in keys_of.get(app_id, []))
    ]

    # -- documents and blobs -----------------------------------------------------------------------
    broken_documents = []
    for document in documents.values():
        why = blobs.problem(document)
        if why:
            broken_documents.append(f"document {document['id']}: {why}")
    media = Path(blobs.storage.location) if hasattr(blobs.storage, "location") else None
    stored_keys = {d["blob"] for d in documents.values()}
    orphans = 0
    if media is not None and (media / "documents").is_dir():
        for path in (media / "documents").rglob("*"):
            if path.is_file() and str(path.relative_to(media)) not in stored_keys:
                orphans += 1

    # -- numbers drawn by transactions that never committed (PostgreSQL sequences are not rolled back)
    uncommitted_numbers = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT last_value, is_called FROM {postgres_sequence_name(APPLICATION_SEQUENCE)}"
            )
            last_value, is_called = cursor.fetchone()
        uncommitted_numbers = (last_value if is_called else 0) - len(apps)

    partial = [f"{by_id[i]['number']}: {'; '.join(p)}" for i, p in problems.items()]
    return {
        "vendor": connection.vendor,
        "applications": len(apps),
        "bundle_applications": sum(1 for a in apps if a["bundle_id"] is not None),
        "cases": sum(len(v) for v in cases_of.values()),
        "events": sum(len(v) for v in events_of.values()),
        "documents": len(documents),
        "lost": len(lost),
        "lost_samples": lost[:SAMPLES],
        "partial": len(partial),
        "partial_answered": sum(1 for i in problems if i in answered_ids),
        "partial_samples": partial[:SAMPLES],
        "duplicates": len(duplicates),
        "duplicate_samples": duplicates[:SAMPLES],
        "unattributed": len(unattributed),
        "unattributed_samples": unattributed[:SAMPLES],
        "unanswered_stored": sum(
            1 for a in apps if a["id"] not in answered_ids and a["number"] not in set(unattributed)
        ),
        "committed_before_kill": committed_before_kill,
        "broken_documents": len(broken_documents),
        "broken_document_samples": broken_documents[:SAMPLES],
        "orphan_blobs": orphans,
        "uncommitted_numbers": uncommitted_numbers,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", required=True)
    args = parser.parse_args()
    _setup()
    records = json.loads(Path(args.records).read_text(encoding="utf-8"))
    json.dump(check(records), sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main()
