"""Worker processes that die with the process that started them.

On Linux the kernel kills a worker when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
elsewhere a watchdog thread notices that its parent has changed. So a command killed
with SIGKILL leaves no worker behind, and multiprocessing's resource tracker, whose
last writers are then gone, exits too. Outside the stages: any front-end may use it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` dies (or watch for it)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # it died before the call: nobody would tell us
                os._exit(1)
            return
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)
