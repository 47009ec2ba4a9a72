"""The cross-process lock: ``flock`` on ``<store>/.lock`` around every read-modify-write.

Writers take it exclusive, readers shared, so a reader never loads tables while a writer
is cleaning up old ones, and two admins' changes are applied one after the other instead
of the second silently overwriting the first. ``flock`` locks vanish with the process, so
a writer killed by SIGKILL never leaves the store locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from store.db.files import Modes
from store.errors import StoreError

LOCK_NAME = ".lock"
DEFAULT_TIMEOUT = 30.0


def _open_lock(path: Path, modes: Modes) -> int:
    """Open (creating) the lock file; read-only when we may not write (a reader still locks)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, modes.file_mode)
        if os.fstat(fd).st_mode & 0o7777 != modes.file_mode:
            with suppress(OSError):  # the umask narrowed it; only its owner may fix it
                os.fchmod(fd, modes.file_mode)
    except PermissionError:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise StoreError("store-unreadable", f"cannot open the lock file {path}: {exc.strerror}") from exc
    except FileNotFoundError as exc:
        raise StoreError("store-missing", f"no store directory at {path.parent}") from exc
    return fd


@contextmanager
def locked(root: Path, modes: Modes, *, exclusive: bool, timeout: float | None = None) -> Iterator[None]:
    """Hold the store lock (exclusive for writers, shared for readers) for the ``with`` body.

    Gives up with ``StoreError('store-locked')`` after ``timeout`` seconds rather than hang
    a console forever behind a stuck process.
    """
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    fd = _open_lock(root / LOCK_NAME, modes)
    operation = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    deadline = time.monotonic() + timeout
    pause = 0.001
    try:
        while True:
            try:
                fcntl.flock(fd, operation | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        "store-locked", f"another provdesk process has held {root} for over {timeout:g} s"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
        yield
    finally:
        os.close(fd)
