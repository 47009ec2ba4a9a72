"""Two hosts with two admins each, writing one store at once, lose nothing and audit everything once.

Each writer process is one admin on one host (``SUDO_USER`` and ``SSH_CONNECTION`` say
who and from where, as on a jump host) and makes 51 changes: 17 imports, 17 assignment
changes and 17 group adds. The flock (TinyDB) or the row lock (PostgreSQL) around every
read-modify-write must apply them one after the other.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from store.clock import system_clock
from store.db import Store, doctor
from tests.db.writer import uuid_for

ROOT = Path(__file__).resolve().parents[2]
HOSTS, ADMINS = 2, 2
WORKERS = HOSTS * ADMINS
EACH = 17  # profiles per writer: 3 changes each


def test_two_hosts_of_two_admins_making_51_changes_each_lose_nothing(location: str | Path) -> None:
    store = Store.open(location, system_clock)
    for worker in range(WORKERS):
        store.add_group(f"G{worker}", "user")
    store.add_group("Kiosks", "device")
    procs = []
    for w in range(WORKERS):
        env = {**os.environ, "SUDO_USER": f"admin{w % ADMINS}",
               "SSH_CONNECTION": f"10.0.{w // ADMINS}.1 50000 10.9.9.9 22"}
        argv = [sys.executable, "-m", "tests.db.writer", str(location), str(w), str(EACH)]
        procs.append(subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, env=env))
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    acks = [line for out, _ in outputs for line in out.splitlines() if line.startswith("ack ")]
    assert len(acks) == WORKERS * EACH * 3

    fleet = store.fleet()
    assert {p.uuid for p in fleet.profiles} == {uuid_for(w, i) for w in range(WORKERS) for i in range(EACH)}
    assert len(fleet.anchors) == 1 + WORKERS
    added = {line.split()[2] for line in acks if line.startswith("ack group ")}
    assert len(added) == WORKERS * EACH and added <= {g.name for g in fleet.groups}
    for w in range(WORKERS):
        for i in range(EACH):
            assignment = fleet.assignment_for("profile", uuid_for(w, i))
            assert assignment.include == {f"G{w}"}
            assert assignment.exclude == ({"Kiosks"} if w % 2 else frozenset())
    events = store.audit()
    once = Counter((e.action, e.subject) for e in events)
    assert all(n == 1 for n in once.values()), [k for k, n in once.items() if n > 1][:3]
    actions = Counter(e.action for e in events)
    assert actions["profile.import"] == actions["assignment.set"] == WORKERS * EACH
    assert actions["group.add"] == WORKERS * EACH + WORKERS + 1
    assert actions["trust.add"] == WORKERS
    assert {(e.actor, e.client) for e in events if e.action == "profile.import"} == {
        (f"admin{w % ADMINS}", f"10.0.{w // ADMINS}.1") for w in range(WORKERS)}
    assert doctor(location) == []
