"""A writer killed with SIGKILL at random moments: the store always loads and keeps every ack.

The writer is forked from the test (no interpreter start-up per round, so the kills land
inside the write loop: reading, signing checks, blob writes, segment writes, the rename; or,
on PostgreSQL, statements of an open transaction, which the server then rolls back).
It acks on a pipe after each committed write; after each kill the test opens the store
afresh and checks that every acknowledged import and assignment is there.
"""

from __future__ import annotations

import os
import random
import select
import signal
import time
from pathlib import Path

from store.clock import system_clock
from store.db import Store, doctor, is_harmless
from tests.db.factory import ProfileFactory
from tests.db.writer import uuid_for, write_loop

ROUNDS = {"tinydb": 50, "postgres": 20}
PER_ROUND = 30


def _run_child(path: str | Path, profiles: list[tuple[str, bytes]], fd: int) -> None:
    try:
        write_loop(path, 0, profiles, lambda line: os.write(fd, (line + "\n").encode()) and None)
    finally:
        os._exit(0)


def _read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_sigkill_at_random_moments_never_loses_an_acknowledged_write(
    location: str | Path, factory: ProfileFactory
) -> None:
    path = location
    rounds = ROUNDS["postgres" if isinstance(path, str) else "tinydb"]
    setup = Store.open(path, system_clock)
    setup.add_anchor(factory.root_pem, "test root")
    setup.add_group("G0", "user")
    setup.add_group("Kiosks", "device")
    setup.close()
    profiles = [(uuid_for(0, i), factory.profile(i, uuid=uuid_for(0, i))) for i in range(rounds * PER_ROUND)]
    rng = random.Random(20261129)
    imported: set[str] = set()
    assigned: set[str] = set()
    killed_mid_loop = 0
    for round_no in range(rounds):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _run_child(path, profiles[round_no * PER_ROUND:(round_no + 1) * PER_ROUND], write_fd)
        os.close(write_fd)
        select.select([read_fd], [], [], 10.0)  # the first ack: the child is inside its loop
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed_mid_loop += os.WIFSIGNALED(status)
        for line in _read_all(read_fd).splitlines():
            _, what, uuid = line.split()
            (imported if what == "import" else assigned).add(uuid)
        os.close(read_fd)

        reopened = Store.open(path, system_clock, create=False)
        fleet = reopened.fleet()  # always loads
        reopened.close()
        uuids = {p.uuid for p in fleet.profiles}
        assert imported <= uuids, f"round {round_no}: lost {sorted(imported - uuids)[:3]}"
        for uuid in assigned:
            assert fleet.assignment_for("profile", uuid).include == {"G0"}, f"round {round_no}: {uuid}"
    assert killed_mid_loop >= rounds - 2  # the kills really interrupted writers
    assert len(imported) >= rounds
    assert [p for p in doctor(path) if not is_harmless(p)] == []
