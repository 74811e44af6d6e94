"""API schemas of the catalog (public guide data)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema


class CodeLabel(Schema):
    code: str
    label: str


class DepartmentOut(Schema):
    code: str
    name: str
    short_name: str
    uscc: str
    region_code: str
    address: str
    enquiry_phone: str
    complaint_phone: str


class DepartmentRef(Schema):
    code: str
    name: str


class ItemSummaryOut(Schema):
    code: str
    name: str
    version: int
    department: DepartmentRef
    item_type: CodeLabel
    case_type: CodeLabel
    recipients: list[CodeLabel]
    statutory_limit_days: int
    promised_limit_days: int
    visits: int
    online_depth: CodeLabel
    url: str


class ItemsPage(Schema):
    items: list[ItemSummaryOut]
    count: int
    next: str | None


class MaterialOut(Schema):
    id: int
    code: str
    name: str
    form: CodeLabel
    required: bool
    required_note: str
    source: CodeLabel
    source_note: str
    issuer: str
    licence_type_code: str
    licence_holder: CodeLabel
    pledge_allowed: bool
    pledge_text: str
    originals: int
    copies: int
    blank_form_url: str | None
    sample_url: str | None
    acceptance_standard: str
    legal_basis: str


class StepOut(Schema):
    order: int
    name: str
    role: CodeLabel
    department: DepartmentRef
    limit_days: int
    description: str


class FeeOut(Schema):
    name: str
    amount: Decimal
    unit: str
    basis: str
    waivable: bool


class ItemGuideOut(ItemSummaryOut):
    real_name_required: bool
    establishes_entity: bool
    base_code: str
    handling_code: str
    exercise_level: CodeLabel
    legal_basis: str
    summary: str
    acceptance_conditions: str
    co_agencies: str
    intermediary_services: str
    quantity_limit: str
    result_name: str
    statutory_limit_note: str
    promised_limit_note: str
    visit_reason: str
    online_url: str
    channels: list[CodeLabel]
    cross_region_scope: CodeLabel
    supports_booking: bool
    bookings_per_day: int | None
    booking_rules: str
    supports_online_payment: bool
    supports_courier: bool
    supports_kiosk: bool
    charges_fee: bool
    fee_basis: str
    fees: list[FeeOut]
    place: str
    hours: str
    enquiry_phone: str
    complaint_phone: str
    published_at: str | None
    materials: list[MaterialOut]
    steps: list[StepOut]
    form_schema: dict[str, Any]


class BundleSummaryOut(Schema):
    code: str
    name: str
    summary: str
    recipients: list[CodeLabel]
    lead_department: DepartmentRef
    promised_limit_days: int
    member_count: int
    url: str


class BundleDependencyOut(Schema):
    item: str
    handover_fields: list[str]
    note: str


class BundleMemberOut(Schema):
    item: ItemSummaryOut
    optional: bool
    requires: list[BundleDependencyOut]


class BundleMaterialOut(Schema):
    material: MaterialOut
    item: str
    needed_by: list[str]


class BundleOut(BundleSummaryOut):
    members: list[BundleMemberOut]
    form_schema: dict[str, Any]
    materials: list[BundleMaterialOut]
    critical_path_days: int
