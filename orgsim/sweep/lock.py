"""One writer per store: an exclusive lock on ``DIR/.lock``, held while a sweep writes.

``flock`` is released by the kernel when its holder ends, however it ends (SIGKILL
included), so a killed sweep never leaves a stale lock behind; the holder's pid and
start time are written into the file for the message a second writer gets.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from orgsim.scenario.errors import ScenarioError

LOCK = ".lock"


class StoreLock:
    """The exclusive right to write one store, taken without waiting."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or refuse at once if another process holds it.

        Raises:
            ScenarioError: another process writes this store, or the lock file
                cannot be made.
        """
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise ScenarioError(f"{self.path}: cannot lock the store ({error.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise ScenarioError(
                f"{self.path.parent}: another sweep is writing this store ({holder}); "
                "wait for it to end, or choose another folder"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode())
        self._fd = fd

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False if another process holds it."""
        try:
            self.acquire()
        except ScenarioError:
            return False
        return True

    def release(self) -> None:
        """Give the lock up (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
