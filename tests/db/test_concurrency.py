"""Several processes writing one store at once lose nothing (the flock around read-modify-write)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store.clock import system_clock
from store.db import Store, doctor
from tests.db.writer import uuid_for

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
EACH = 250


def test_four_processes_of_250_imports_and_assignments_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store.open(path, system_clock)
    for worker in range(WORKERS):
        store.add_group(f"G{worker}", "user")
    store.add_group("Kiosks", "device")
    procs = [
        subprocess.Popen([sys.executable, "-m", "tests.db.writer", str(path), str(w), str(EACH)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in range(WORKERS)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    acks = [line for out, _ in outputs for line in out.splitlines() if line.startswith("ack ")]
    assert len(acks) == WORKERS * EACH * 2

    fleet = store.fleet()
    assert {p.uuid for p in fleet.profiles} == {uuid_for(w, i) for w in range(WORKERS) for i in range(EACH)}
    assert len(fleet.anchors) == 1 + WORKERS
    for w in range(WORKERS):
        for i in range(EACH):
            assignment = fleet.assignment_for("profile", uuid_for(w, i))
            assert assignment.include == {f"G{w}"}
            assert assignment.exclude == ({"Kiosks"} if w % 2 else frozenset())
    actions = [e.action for e in store.audit()]
    assert actions.count("profile.import") == WORKERS * EACH
    assert actions.count("assignment.set") == WORKERS * EACH
    assert actions.count("trust.add") == WORKERS
    assert doctor(path) == []
