"""The demo catalog of the fictional 示范市: `data/catalog.json`, exactly as `yiwang catalog_export` writes
it, so `yiwang catalog_import` reads it as it is.

To change the demo catalog, edit it in the admin of a database loaded with `yiwang load_demo` (or edit the
file), then write it back with `yiwang catalog_export -o src/yiwang/demo/data/catalog.json`;
tests/demo/city/test_load_demo.py checks that the file is what an export of the loaded demo writes.

Region codes are borrowed from GB/T 2260 (city 330100) so identifiers validate; every name, USCC and
phone number is made up, except 12345, the real citizen hotline used as the complaint phone.
"""

from __future__ import annotations

from typing import Any

from yiwang.demo.data_files import demo_data

CATALOG_FILE = "catalog.json"


def demo_catalog() -> dict[str, Any]:
    """The whole demo catalog: departments, service points, published items and bundles (一件事)."""
    document: dict[str, Any] = demo_data(CATALOG_FILE)
    return document


def demo_items() -> list[dict[str, Any]]:
    """Every service item of the demo catalog, in the export's order (by code)."""
    items: list[dict[str, Any]] = demo_catalog()["items"]
    return items
