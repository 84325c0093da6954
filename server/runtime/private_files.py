"""Files under var/ (the SQLite database and its -wal/-shm, keys, stored PDFs,
anchors) are readable by their owner only: 0600 files, 0700 directories.

A service process sets its umask to 077 before it creates anything, so every file
it (or SQLite) creates is private; what an earlier version left readable is
tightened once at start.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def make_var_private(var_dir: Path) -> None:
    os.umask(PRIVATE_UMASK)
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    tighten(var_dir)


def tighten(root: Path) -> None:
    """chmod go-rwx everything under `root` (symbolic links are not followed)."""
    for directory, subdirectories, files in os.walk(root):
        _restrict(Path(directory))
        for name in files:
            _restrict(Path(directory) / name)
        subdirectories[:] = [d for d in subdirectories if not os.path.islink(Path(directory) / d)]


def _restrict(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode) or not mode & 0o077:
        return
    with contextlib.suppress(PermissionError):  # not ours: leave it
        path.chmod(stat.S_IMODE(mode) & 0o700)
