"""Child processes that die with their parent, even after a `kill -9` of it.

On Linux the kernel does it: PR_SET_PDEATHSIG delivers SIGKILL to the child when
the thread that created it exits. Elsewhere a daemon thread watches the parent's
pid. Either way, a parent already gone when this runs ends the child at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PARENT_PID_VARIABLE = "BLANCHE_PARENT_PID"
PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def _set_parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent_pid: int | None = None) -> None:
    """End this process when its parent ends. `parent_pid`: the pid the parent
    had when it started us (default: the current parent)."""
    expected = os.getppid() if parent_pid is None else parent_pid
    kernel = _set_parent_death_signal()
    if os.getppid() != expected:  # the parent died before the signal was armed
        os._exit(1)
    if kernel:
        return

    def watch() -> None:
        while os.getppid() == expected:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def die_with_parent_from_env() -> None:
    """For a child started with BLANCHE_PARENT_PID set (by `blanche serve`)."""
    value = os.environ.get(PARENT_PID_VARIABLE, "")
    if value.isdigit():
        die_with_parent(int(value))
