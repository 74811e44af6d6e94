"""The demo catalog of the fictional 示范市, as a `catalog_import` document.

    from yiwang.catalog.transfer import catalog_import
    from yiwang.demo.catalog_data import demo_catalog
    catalog_import(demo_catalog())

Region codes are borrowed from GB/T 2260 (city 330100) so identifiers validate; every name, USCC and
phone number is made up, except 12345, the real citizen hotline used as the complaint phone.
"""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog import (
    bundles,
    business,
    housing,
    infrastructure,
    livelihood,
    public_security,
    social_security,
    traffic,
)
from yiwang.demo.catalog.departments import DEPARTMENTS, SERVICE_POINTS, department_rows
from yiwang.demo.catalog.licences import LICENCE_TYPES

__all__ = ["DEPARTMENTS", "LICENCE_TYPES", "demo_catalog", "demo_items"]


def demo_items() -> list[dict[str, Any]]:
    """Every service item, grouped by department as the modules define them."""
    return [
        *public_security.items(),
        *traffic.items(),
        *business.items(),
        *social_security.items(),
        *housing.items(),
        *livelihood.items(),
        *infrastructure.items(),
    ]


def demo_catalog() -> dict[str, Any]:
    """The whole demo catalog: departments, service points, published items and bundles (一件事)."""
    items = demo_items()
    codes_by_name = {row["versions"][0]["name"]: row["code"] for row in items}
    if len(codes_by_name) != len(items):
        raise ValueError("demo item names must be unique")
    return {
        "format": "yiwang.catalog",
        "format_version": 1,
        "departments": department_rows(),
        "service_points": [dict(point) for point in SERVICE_POINTS],
        "items": items,
        "bundles": bundles.bundles(codes_by_name),
    }
