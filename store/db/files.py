"""Crash-safe file primitives: a write lands whole or not at all, with the store's permissions.

Every file the store writes goes through :func:`atomic_write`: a temporary file in the
same directory, ``fsync``, ``os.replace`` over the target, then ``fsync`` of the directory
so the rename itself survives a power cut. A reader therefore sees the old bytes or the
new ones, never a torn file. Modes come from :class:`Modes` (private 0700/0600, or a
team store 2770/0660 made by ``provdesk init --shared-group``).
"""

from __future__ import annotations

import os
import shutil
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

TMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class Modes:
    """The permission bits of a store's directories and files."""

    dir_mode: int = 0o700
    file_mode: int = 0o600

    @property
    def shared(self) -> bool:
        """A team store: group may read and write."""
        return bool(self.file_mode & stat.S_IWGRP)


PRIVATE = Modes()
SHARED = Modes(dir_mode=0o2770, file_mode=0o660)


def modes_of(root: Path) -> Modes:
    """The modes a store directory asks for: shared when it is setgid and group-writable."""
    try:
        mode = root.stat().st_mode
    except FileNotFoundError:
        return PRIVATE
    if mode & stat.S_ISGID and mode & stat.S_IWGRP:
        return SHARED
    return PRIVATE


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new entry in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dir(directory: Path, modes: Modes, *, sync_parent: bool = True) -> bool:
    """Create ``directory`` with the store's directory mode, whatever the umask, atomically.

    The directory is made under a temporary name, given its mode, then renamed into place,
    so a writer killed midway never leaves a directory with the umask's looser mode.
    Returns whether it was missing; ``sync_parent=False`` lets a caller making many
    directories in one parent fsync that parent once.
    """
    if directory.is_dir():
        return False
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = directory.with_name(f"{TMP_PREFIX}{directory.name}.{uuid.uuid4().hex}")
    tmp.mkdir(mode=0o700)
    try:
        os.chmod(tmp, modes.dir_mode)
        os.rename(tmp, directory)
    except OSError:
        if not directory.is_dir():
            raise
    finally:
        if tmp.exists():
            tmp.rmdir()  # another process made it first
    if sync_parent:
        fsync_dir(directory.parent)
    return True


def atomic_write(target: Path, data: bytes, modes: Modes, *, sync_dir: bool = True) -> None:
    """Replace ``target`` with ``data`` atomically and durably (temp, fsync, rename, dir fsync).

    ``sync_dir=False`` lets a caller writing many files in one directory fsync it once.
    """
    tmp = target.with_name(f"{TMP_PREFIX}{target.name}.{uuid.uuid4().hex}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, modes.file_mode)
    try:
        os.fchmod(fd, modes.file_mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(target.parent)


def remove_stale_temps(directory: Path) -> int:
    """Delete temp files and directories a killed writer left behind (only under the write lock)."""
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return 0
    for entry in entries:
        if entry.name.startswith(TMP_PREFIX):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                Path(entry.path).unlink(missing_ok=True)
            removed += 1
    return removed
