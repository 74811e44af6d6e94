"""The materials step of the apply and supplement pages: one row per distinct paper, and how it is given.

Each row offers the ways the catalog allows — upload a file; 告知承诺 (a written pledge instead of a
proof) where the material allows it; 使用电子证照（免提交） when the applicant holds a matching valid
e-licence; and, for the application form itself, the form filled in on the page. Rows are grouped
as the engine groups them (`cases.submission.materials.needed_materials`: a paper several bundle members need
is asked once), and what the applicant chose is passed to the engine as `materials` entries. The
engine decides whether that is enough; its messages (`materials.<id>`, `materials[i].…`) are put
back on the rows here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from yiwang.cases.submission.materials import needed_materials
from yiwang.catalog import codes
from yiwang.catalog.models import ItemVersion, Material
from yiwang.channels.portal.licence_offers import Holders, LicenceOffer, licence_offers

UPLOAD, PLEDGE, LICENCE, ONLINE = "upload", "pledge", "licence", "online"
WAY_LABELS = {
    UPLOAD: "上传文件",
    ONLINE: "在线填写，自动生成",
    PLEDGE: "告知承诺",
    LICENCE: "使用电子证照（免提交）",
}
PLEDGE_UNTICKED = "选择告知承诺的，请阅读承诺内容后勾选“本人已阅读并承诺”"
NO_FILE = "请选择并上传文件"
ROW_KEY = re.compile(r"^m\d{1,12}$")
NAME_MAX = 200


@dataclass
class MaterialRow:
    key: str  # "m<id of the group's first material>": stable for a page, a draft and an upload
    materials: list[Material]
    licence: LicenceOffer | None = None
    reasons: list[str] = field(default_factory=list)  # 补正: why the department asks for it
    # what the applicant chose
    way: str = UPLOAD
    document_id: str = ""
    document_name: str = ""
    pledged: bool = False
    errors: list[str] = field(default_factory=list)
    only_for: list[str] = field(
        default_factory=list
    )  # bundle: needed only when these optional members are ticked
    allow_online: bool = True  # a 补正 asks for a corrected paper: the on-line form cannot be re-sent
    # 企业开办: issued by this application's own 设立登记 (营业执照), so asked of nobody.
    produced_by: str = ""

    @property
    def first(self) -> Material:
        return self.materials[0]

    @property
    def name(self) -> str:
        return self.first.name

    @property
    def required(self) -> bool:
        return any(m.required for m in self.materials)

    @property
    def required_note(self) -> str:
        return next((m.required_note for m in self.materials if m.required_note), "")

    @property
    def application_form(self) -> bool:
        return any(m.is_application_form for m in self.materials)

    @property
    def pledge_text(self) -> str:
        """The exact text the applicant pledges to, from the catalog; "" where no pledge is allowed."""
        return next((m.pledge_text for m in self.materials if m.pledge_allowed and m.pledge_text), "")

    @property
    def pledge_allowed(self) -> bool:
        return bool(self.pledge_text)

    @property
    def needed_by(self) -> list[str]:
        return list(dict.fromkeys(m.version.name for m in self.materials))

    @property
    def version_ids(self) -> list[int]:
        return sorted({m.version_id for m in self.materials})

    @property
    def form_label(self) -> str:
        return str(dict(codes.MaterialForm.choices).get(self.first.form, ""))

    @property
    def source_note(self) -> str:
        return self.first.source_note

    @property
    def ways(self) -> list[tuple[str, str]]:
        ways = []
        if self.application_form and self.allow_online:
            ways.append(ONLINE)
        if self.licence is not None:
            ways.append(LICENCE)
        ways.append(UPLOAD)
        if self.pledge_allowed:
            ways.append(PLEDGE)
        return [(way, WAY_LABELS[way]) for way in ways]

    @property
    def default_way(self) -> str:
        return self.ways[0][0]

    def material_for(self, version_ids: set[int]) -> Material | None:
        """The material of this paper that one of the chosen items asks for (None: none of them does)."""
        return next((m for m in self.materials if m.version_id in version_ids), None)

    def state(self) -> dict[str, Any]:
        """What a draft keeps of this row."""
        return {
            "way": self.way,
            "document": self.document_id,
            "document_name": self.document_name,
            "pledge": self.pledged,
        }

    def restore(self, saved: Mapping[str, Any]) -> None:
        way = str(saved.get("way") or "")
        self.way = way if way in dict(self.ways) else self.default_way
        document = str(saved.get("document") or "")
        self.document_id = document if is_uuid(document) else ""
        self.document_name = str(saved.get("document_name") or "")[:NAME_MAX] if self.document_id else ""
        self.pledged = saved.get("pledge") is True


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def material_rows(versions: list[ItemVersion], holders: Holders) -> list[MaterialRow]:
    """One row per distinct material of `versions`, in catalog order, with the licences `holders` may
    offer; a licence an establishing member issues (企业开办's 营业执照) is marked as produced."""
    groups = needed_materials(versions)
    offers = licence_offers(holders, (group[0] for group in groups.values()))
    producers = {
        v.result_licence_type: v.name for v in versions if v.establishes_entity and v.result_licence_type
    }
    order = {v.pk: i for i, v in enumerate(versions)}
    rows = []
    for group in groups.values():
        ordered = sorted(group, key=lambda m: (order.get(m.version_id, 0), m.order, m.id))
        row = MaterialRow(key=f"m{ordered[0].id}", materials=ordered)
        row.licence = offers.get(group[0].id)
        row.produced_by = producers.get(ordered[0].licence_type_code, "")
        row.way = row.default_way
        rows.append(row)
    rows.sort(
        key=lambda r: (not r.application_form, order.get(r.first.version_id, 0), r.first.order, r.first.id)
    )
    return rows


def read_rows(post: Any, rows: Iterable[MaterialRow]) -> None:
    """Set each row's choice from the posted form (hidden document ids, the chosen way, the pledge tick)."""
    for row in rows:
        row.restore(
            {
                "way": post.get(f"{row.key}.way", ""),
                "document": post.get(f"{row.key}.document", ""),
                "document_name": post.get(f"{row.key}.document_name", ""),
                "pledge": post.get(f"{row.key}.pledge") == "yes",
            }
        )


def entries_for(
    rows: Iterable[MaterialRow], version_ids: set[int], *, generated: str = "", every: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """The `materials` entries to submit, and the row key of each entry (to place `materials[i]` errors).

    A pledge chosen but not confirmed is sent with no way at all, so the engine refuses it next to
    its row instead of quietly leaving an optional material out. `generated` is the document made
    from the on-line form, for the application-form rows. With `every` (a 补正, where everything
    listed is required), a row given no way at all is sent empty too, so its message lands on it.
    """
    entries: list[dict[str, Any]] = []
    keys: list[str] = []
    for row in rows:
        material = row.material_for(version_ids)
        if material is None or row.produced_by:
            continue
        entry: dict[str, Any] | None = None
        if row.way == UPLOAD and row.document_id:
            entry = {"material": material.id, "document": row.document_id}
        elif row.way == PLEDGE:
            entry = {"material": material.id, "pledge": True} if row.pledged else {"material": material.id}
        elif row.way == LICENCE and row.licence is not None:
            entry = {"material": material.id, "licence": row.licence.identifier}
        elif row.way == ONLINE and generated:
            entry = {"material": material.id, "document": generated}
        if entry is None and every:
            entry = {"material": material.id}
        if entry is not None:
            entries.append(entry)
            keys.append(row.key)
    return entries, keys


_ENTRY_KEY = re.compile(r"^materials\[(\d+)\]")


def attach_errors(
    rows: list[MaterialRow],
    errors: Mapping[str, list[str]],
    sent: list[str],
    *,
    quiet: Iterable[str] = (),
) -> list[str]:
    """Put `materials.<id>` and `materials[i].…` messages on their rows; return the ones for no row.

    `quiet` rows get no "missing" message (their way is filled in by the page itself, later).
    """
    by_key = {row.key: row for row in rows}
    by_material = {m.id: row for row in rows for m in row.materials}
    quiet = set(quiet)
    unplaced: list[str] = []
    for key, messages in errors.items():
        row: MaterialRow | None = None
        if key.startswith("materials."):
            tail = key.removeprefix("materials.")
            row = by_material.get(int(tail)) if tail.isdigit() else None
            if row is not None and row.key in quiet:
                continue
        elif match := _ENTRY_KEY.match(key):
            index = int(match.group(1))
            row = by_key.get(sent[index]) if index < len(sent) else None
        elif key != "materials":
            continue
        if row is None:
            unplaced.extend(messages)
            continue
        if row.way == PLEDGE and not row.pledged:
            messages = [PLEDGE_UNTICKED]
        elif row.way == UPLOAD and not row.document_id and _ENTRY_KEY.match(key):
            messages = [NO_FILE]
        row.errors.extend(m for m in messages if m not in row.errors)
    return unplaced
