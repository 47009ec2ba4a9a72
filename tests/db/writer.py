"""A store writer for the concurrency and crash tests, run as its own process.

``python -m tests.db.writer STORE INDEX COUNT`` imports COUNT profiles signed under its
own root (added as an anchor first), changes each one's assignment and adds a group per
profile, printing ``ack import UUID`` / ``ack assign UUID`` / ``ack group NAME`` after each
committed write. STORE is a directory or a ``postgresql://`` URL.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from store.clock import system_clock
from store.db import Store
from tests.db.factory import ProfileFactory


def uuid_for(worker: int, index: int) -> str:
    """A distinct, recognisable UUID per (worker, index)."""
    return f"{worker:08x}-0000-4000-8000-{index:012x}"


def write_loop(
    store_path: str | Path, worker: int, profiles: list[tuple[str, bytes]], ack: Callable[[str], None],
    *, groups: bool = False,
) -> None:
    """Import each profile, assign it to the worker's group (and add a group); ack after each commit."""
    store = Store.open(store_path, system_clock)
    for uuid, data in profiles:
        [outcome] = store.import_profiles([(f"{uuid}.mobileprovision", data)])
        if outcome.status == "failed":
            raise SystemExit(f"import failed: {outcome.error}")
        ack(f"ack import {uuid}")
        store.assign("profile", uuid, [f"G{worker}"], ["Kiosks"] if worker % 2 else [])
        ack(f"ack assign {uuid}")
        if groups:
            name = f"W{worker}-{uuid[-4:]}"
            store.add_group(name, "device")
            ack(f"ack group {name}")


def main() -> None:
    """Entry point of one concurrent writer process."""
    store_path, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    factory = ProfileFactory(f"worker {worker}")
    profiles = [(uuid_for(worker, i), factory.profile(i, uuid=uuid_for(worker, i))) for i in range(count)]
    Store.open(store_path, system_clock).add_anchor(factory.root_pem, f"worker {worker}", demo=True)

    def ack(line: str) -> None:
        print(line, flush=True)

    write_loop(store_path, worker, profiles, ack, groups=True)


if __name__ == "__main__":
    main()
