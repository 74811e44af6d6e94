"""评价选项与指标: the option codes per level (百位 = stars) and the indicators rated online and on site,
from `data/rating_options.json` (the national terminal configuration)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    level: int


@cache
def _document() -> dict[str, object]:
    return json.loads(files("yiwang.feedback").joinpath("data/rating_options.json").read_text("utf-8"))


@cache
def options() -> dict[str, Option]:
    """Every option by code, e.g. "110" → 无理由超过法定办理时间 (非常不满意)."""
    levels: dict[str, list[dict[str, str]]] = _document()["levels"]  # type: ignore[assignment]
    return {
        o["code"]: Option(o["code"], o["label"], int(level)) for level, opts in levels.items() for o in opts
    }


def options_of(level: int) -> list[Option]:
    return [o for o in options().values() if o.level == level]


def indicators(onsite: bool) -> list[tuple[str, str]]:
    """(key, label) of the indicators rated: online service or on-site service."""
    table: dict[str, list[list[str]]] = _document()["indicators"]  # type: ignore[assignment]
    return [(key, label) for key, label in table["onsite" if onsite else "online"]]


def option_labels(codes: list[str]) -> list[str]:
    known = options()
    return [known[c].label for c in codes if c in known]
