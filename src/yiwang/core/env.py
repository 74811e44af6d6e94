"""Typed readers for settings taken from environment variables."""

from __future__ import annotations

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    """A string setting; `NAME_FILE` (a path) wins so secrets can come from mounted files. Set but empty
    (`DATABASE_URL= yiwang …`) counts as unset, as in most shells' `${NAME:-default}`."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else int(raw)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def queue_settings(url: str, *, name: str) -> dict[str, object]:
    """huey's settings (huey.contrib.djhuey) for a queue URL: `sqlite:///path`, `postgres://…` or
    `redis://…`. Results are not kept: jobs record what they did in the database themselves."""
    scheme = url.split("://", 1)[0].lower()
    common: dict[str, object] = {
        "name": name,
        "immediate": False,  # djhuey would follow DEBUG
        "results": False,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread", "check_worker_health": True},
    }
    if scheme == "sqlite":
        return {
            **common,
            "huey_class": "huey.SqliteHuey",
            "filename": url.split("://", 1)[1].removeprefix("/"),
        }
    if scheme in ("postgres", "postgresql"):
        return {**common, "huey_class": "huey.PostgresHuey", "dsn": "postgresql://" + url.split("://", 1)[1]}
    if scheme in ("redis", "rediss"):
        return {**common, "huey_class": "huey.RedisHuey", "url": url}
    raise ValueError(f"YIWANG_QUEUE_URL: unsupported scheme {scheme!r} (sqlite, postgres or redis)")
