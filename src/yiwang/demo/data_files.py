"""The demo city's data files (`src/yiwang/demo/data/*.json`), read from the installed package."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any


def demo_data(name: str) -> Any:
    """One data file, parsed; read afresh on every call, so no caller can change another's copy."""
    return json.loads((files("yiwang.demo") / "data" / name).read_text(encoding="utf-8"))
