"""A batch worker dies with the batch: the kernel kills it when its parent process dies.

On Linux a process can ask for a signal when its parent dies (``prctl(PR_SET_PDEATHSIG)``); the
request survives ``exec`` but has to be made by the worker itself. A spawned worker is a fresh
interpreter that first imports the caller's main module (the CLI: about half a CPU second, over
a second on a loaded machine) before the worker's own code runs, so a batch killed during that
import left the worker alive until it got there. The parent therefore names itself in
:data:`PARENT_ENV` while it starts a worker, and ``renjana/__init__.py`` calls
:func:`arm_from_environment` on the worker's first import of the package, before the CLI's
imports. The worker's main function arms again (:func:`die_with_parent`) for workers started
another way. Elsewhere (no prctl) a watchdog thread polls the parent instead.

After asking, the worker checks that its parent is still the one that started it: a parent
that died before the request took effect has left the worker to another parent already, and
no signal will come (the race the check closes).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

__all__ = ["PARENT_ENV", "arm_from_environment", "die_with_parent", "parent_death_signal"]

# Set by the parent, to its process id, in the environment a worker starts with; removed by the
# worker at once so processes the worker starts do not inherit it.
PARENT_ENV = "RENJANA_WORKER_PARENT"
PR_SET_PDEATHSIG = 1
PR_GET_PDEATHSIG = 2
# How often a worker without PR_SET_PDEATHSIG checks that its parent is alive, seconds.
WATCHDOG_S = 0.5
# Exit status of a worker whose parent was gone before it could ask to die with it.
EXIT_ORPHAN = 1

_watching = False


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _ask_kernel() -> bool:
    """Request SIGKILL on the parent's death; whether the kernel took the request."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def parent_death_signal() -> int:
    """The signal this process gets when its parent dies (0: none, or not Linux)."""
    if not sys.platform.startswith("linux"):
        return 0
    import ctypes

    value = ctypes.c_int(0)
    try:
        _libc().prctl(PR_GET_PDEATHSIG, ctypes.byref(value), 0, 0, 0)
    except (OSError, AttributeError):
        return 0
    return value.value


def die_with_parent(parent_pid: int) -> None:
    """End this process when ``parent_pid`` (its parent) dies: by the kernel where it can, else
    by a watchdog thread. Exits at once when the parent is already gone."""
    global _watching
    armed = _ask_kernel()
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(EXIT_ORPHAN)
    if not armed and not _watching:
        def watch() -> None:
            while os.getppid() == parent_pid:
                time.sleep(WATCHDOG_S)
            os._exit(EXIT_ORPHAN)

        _watching = True
        threading.Thread(target=watch, daemon=True, name="renjana-lifeline").start()


def arm_from_environment() -> None:
    """In a process started as a worker (:data:`PARENT_ENV` set): die with that parent."""
    value = os.environ.pop(PARENT_ENV, None)
    if value is None:
        return
    try:
        parent_pid = int(value)
    except ValueError:
        return
    die_with_parent(parent_pid)
