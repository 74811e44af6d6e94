"""Private files under var/ (and the media root): directories 0700, files 0600, whatever the umask.

The data directory holds the SQLite database, uploaded documents and the local keys: nobody but the
account the platform runs as has any business reading them. Used by settings (at start-up, before
anything is written) and by the documents migration (for files stored before this was so).

Paths owned by another account are left as they are: a deployment may hand the service a directory
it cannot chmod, and refusing to start over it would help nobody.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid():
        return
    if stat.S_IMODE(info.st_mode) & ~mode:
        path.chmod(stat.S_IMODE(info.st_mode) & mode)


def private_directory(path: Path) -> None:
    """Create `path` (and missing parents) as 0700, or take group and other access off it."""
    if not path.exists():
        # mkdir's mode applies to the last component only, and only under the umask: chmod after.
        path.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIRECTORY)


def private_file(path: Path, *, create: bool = False) -> None:
    """Take group and other access off `path`; with `create`, make it empty as 0600 if it is missing
    (an empty file is a valid SQLite database, so the first connection finds it private already)."""
    if create:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        except FileExistsError:
            pass
        except FileNotFoundError:
            return  # no such folder: whoever opens the file will say so, as before
    _tighten(path, PRIVATE_FILE)


def private_database(path: Path) -> None:
    """The SQLite file, created private if missing, and its WAL and shared-memory files (SQLite gives
    those the database file's mode when it creates them; existing ones are tightened here)."""
    private_file(path, create=True)
    for suffix in ("-wal", "-shm", "-journal"):
        private_file(path.with_name(path.name + suffix))


def private_tree(root: Path) -> int:
    """Tighten every directory and file under `root` (itself included); returns how many changed."""
    changed = 0
    if not root.is_dir():
        return changed
    for directory, _subdirectories, files in os.walk(root):
        changed += _tightened(Path(directory), PRIVATE_DIRECTORY)
        changed += sum(_tightened(Path(directory, name), PRIVATE_FILE) for name in files)
    return changed


def _tightened(path: Path, mode: int) -> bool:
    before = _mode(path)
    _tighten(path, mode)
    return before != _mode(path)


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.lstat().st_mode)
    except FileNotFoundError:
        return None
