"""Readers see the old store or the new one, never a mix; a held lock gives a clear error, not a hang."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest

from store.clock import system_clock
from store.db import Store
from store.db import lock as lock_module
from store.errors import StoreError

COMMITS = 150


def _writer(path: str | Path) -> None:
    """Each transaction adds group G<i> and includes it in the one assignment: two tables at once."""
    try:
        store = Store.open(path, system_clock)
        for i in range(COMMITS):
            with store.transaction() as tx:
                tx.put("groups", {"name": f"G{i}", "kind": "user", "description": "", "builtin": False})
                tx.put("assignments", {"target_kind": "app", "target": "com.example.app",
                                       "include": [f"G{j}" for j in range(i + 1)], "exclude": []})
            time.sleep(0.002)  # let the reader in between commits too, not only during them
    finally:
        os._exit(0)


def test_a_reader_never_sees_half_a_commit(location: str | Path) -> None:
    path = location
    Store.open(path, system_clock).close()
    pid = os.fork()
    if pid == 0:
        _writer(path)
    seen = 0
    midway = 0
    done = False
    try:
        while not done:
            done = os.waitpid(pid, os.WNOHANG)[0] == pid
            reader = Store.open(path, system_clock, create=False)
            fleet = reader.fleet()
            reader.close()
            groups = {g.name for g in fleet.groups if not g.builtin}
            include = fleet.assignment_for("app", "com.example.app").include
            assert include == groups, f"mixed snapshot: {len(groups)} groups, {len(include)} included"
            seen = max(seen, len(groups))
            midway += 0 < len(groups) < COMMITS
    finally:
        if not done:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    assert seen == COMMITS
    assert midway > 5  # the reader really ran while the writer committed


def test_a_held_lock_is_reported_not_waited_on_forever(
    local_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = local_store
    monkeypatch.setattr(lock_module, "DEFAULT_TIMEOUT", 0.2)
    fd = os.open(store.root / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(StoreError) as err:
            store.add_group("Sales", "user")
        assert err.value.code == "store-locked"
    finally:
        os.close(fd)
    store.add_group("Sales", "user")


def test_threads_of_one_console_never_read_a_half_applied_transaction(location: str | Path) -> None:
    """Worker threads share one Store: reads wait for another thread's transaction to finish."""
    import threading

    store = Store.open(location, system_clock)
    errors: list[str] = []

    def write() -> None:
        for i in range(60):
            with store.transaction() as tx:
                tx.put("groups", {"name": f"G{i}", "kind": "user", "description": "", "builtin": False})
                time.sleep(0.001)  # a reader thread gets scheduled mid-transaction
                tx.put("assignments", {"target_kind": "app", "target": "com.example.app",
                                       "include": [f"G{j}" for j in range(i + 1)], "exclude": []})

    writer = threading.Thread(target=write)
    writer.start()
    while writer.is_alive():
        fleet = store.fleet()
        groups = {g.name for g in fleet.groups if not g.builtin}
        if fleet.assignment_for("app", "com.example.app").include != groups:
            errors.append(f"{len(groups)} groups")
    writer.join()
    assert errors == []
