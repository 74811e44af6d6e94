"""Files and folders under var/ are private (0700/0600), created so and tightened at start."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from yiwang.core.file_modes import private_tree


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def yiwang(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "YIWANG_MEDIA_ROOT", "YIWANG_SECRET_KEY", "YIWANG_FIELD_KEY"}
    }
    env["YIWANG_VAR_DIR"] = str(var)
    # The usual umask, under which files are created 0644 and folders 0755 unless told otherwise.
    return subprocess.run(
        [sys.executable, "-m", "yiwang.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        umask=0o022,
    )


def test_a_new_var_folder_its_database_and_keys_are_private(tmp_path):
    var = tmp_path / "var"

    migrated = yiwang(var, "migrate", "--noinput")

    assert migrated.returncode == 0, migrated.stderr
    assert mode(var) == 0o700
    assert (var / "yiwang.sqlite3").stat().st_size > 0
    files = [var / "yiwang.sqlite3", var / "secret_key", var / "field_key"]
    files += [p for p in var.glob("yiwang.sqlite3-*")]  # WAL and shared memory, while they exist
    assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}


def test_an_existing_var_folder_and_database_are_tightened_at_start(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    database = var / "yiwang.sqlite3"
    database.touch()
    database.chmod(0o644)

    checked = yiwang(var, "check")

    assert checked.returncode == 0, checked.stderr
    assert (mode(var), mode(database)) == (0o700, 0o600)


def test_private_tree_tightens_every_folder_and_file_and_counts_them(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f").write_bytes(b"x")
    for path, loose in [(tmp_path, 0o755), (tmp_path / "a", 0o775), (tmp_path / "a" / "b", 0o755)]:
        path.chmod(loose)
    (tmp_path / "a" / "b" / "f").chmod(0o664)

    assert private_tree(tmp_path) == 4
    assert private_tree(tmp_path) == 0
    assert mode(tmp_path / "a" / "b" / "f") == 0o600 and mode(tmp_path / "a") == 0o700
