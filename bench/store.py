"""The store's figures from issue 4, each beside the naive TinyDB way measured in the same run.

On a generated store of 5,000 profiles, 2,000 apps and 500 groups (every profile and app
assigned to two groups):

- ``open_5000_profiles``: ``Store.open(path).fleet()`` in a fresh interpreter (imports done
  before the clock starts; every table decoded into model objects), best of three.
  Anchor: ``TinyDB(path)`` with the default ``JSONStorage`` holding the same documents in
  one file, reading every table and decoding it the same way.
- ``assignment_change``: one ``store.assign(...)`` (locked, atomic, audited), median of 30.
  Anchor: the same upsert plus an audit insert through default-storage TinyDB (which rewrites the file).
- ``import_1000_profiles_cli``: ``provdesk import`` of 1,000 real signed files in one
  command (a fresh interpreter, every signature checked) into the 5,000-profile store, best
  of two (each into a fresh copy).
  Anchor: the naive loop (read, check, one default-storage ``insert`` per profile) timed on
  ``NAIVE_IMPORTS`` files and scaled to 1,000, since the full naive run takes minutes.
- ``timeline_cli``: ``provdesk timeline`` on the big store (500 group rows), process start included,
  best of three. Anchor: the bare interpreter importing the command line (its floor).

The same four figures are then measured on PostgreSQL (``*_postgres``), on a throwaway
cluster started by the run (fsync on, a Unix socket), holding the same store copied
there with ``store copy``; each is printed beside the TinyDB figure of the same run.

The 5,000 profiles and 2,000 apps of the big store are model objects derived from one real
signed profile (fast to build); the 1,000 imported files are each really signed.
Run: ``.venv/bin/python -m bench.store``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = "store"
PROFILES, APPS, GROUPS, IMPORTS, NAIVE_IMPORTS, CHANGES = 5_000, 2_000, 500, 1_000, 20, 30
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def documents(template: Any) -> dict[str, list[dict[str, Any]]]:
    """The big store's documents: profiles, apps (each embedding its profile), groups, assignments."""
    from store.model import App, Assignment, Group, to_json

    profiles = [replace(template, uuid=str(uuidlib.uuid4()), name=f"Profile {i}", display_name=f"Profile {i}",
                        expires=NOW + timedelta(days=i % 365)) for i in range(PROFILES)]
    apps = [App(bundle_id=f"com.bench.app{i}", name=f"App {i}", version="1.0",
                signing_certificate=template.certificates[0], entitlements=template.entitlements,
                embedded_profile=profiles[i]) for i in range(APPS)]
    groups = [Group(f"Group {g}", "device" if g % 4 == 3 else "user") for g in range(GROUPS)]
    pair = [frozenset({f"Group {i % GROUPS}", f"Group {(i * 7) % GROUPS}"}) for i in range(PROFILES)]
    assignments = [Assignment("profile", p.uuid, pair[i]) for i, p in enumerate(profiles)]
    assignments += [Assignment("app", a.bundle_id, pair[i]) for i, a in enumerate(apps)]
    return {"profiles": to_json(profiles), "apps": to_json(apps), "groups": to_json(groups),
            "assignments": to_json(assignments)}


Docs = dict[str, list[dict[str, Any]]]


def build_ours(path: Path | str, anchor_pem: bytes, docs: Docs, blob: bytes) -> Any:
    """The big store through the store's own transaction (one commit)."""
    from store.clock import fixed_clock
    from store.db import Store

    store = Store.open(path, fixed_clock(NOW))
    store.add_anchor(anchor_pem, "bench root", demo=True)
    store.blobs.put(blob)
    with store.transaction() as tx:
        for name, items in docs.items():
            tx.insert_many(name, items)
    return store


def build_naive(path: Path, docs: Docs) -> None:
    """The same documents in one default-storage TinyDB file."""
    from tinydb import TinyDB

    with TinyDB(path) as db:
        for name, items in docs.items():
            db.table(name).insert_multiple(items)


def fresh_open(kind: str, path: Path | str, repeat: int = 3) -> float:
    """Best of ``repeat`` fresh interpreters timing only the open (imports done before the clock)."""
    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from store.clock import system_clock\n"
        "from store.db import Store\n"
        "import store.db.postgres.engine\n"  # the PostgreSQL engine's imports (psycopg), as TinyDB's above
        "from store.model import App, Assignment, Group, Profile, from_json\n"
        "from tinydb import TinyDB\n"
        "began = time.perf_counter()\n"
        + ("Store.open(sys.argv[1], system_clock).fleet()\n" if kind == "ours" else
           "kinds = {'profiles': Profile, 'apps': App, 'groups': Group, 'assignments': Assignment}\n"
           "with TinyDB(sys.argv[1]) as db:\n"
           "    [[from_json(k, d) for d in db.table(n).all()] for n, k in kinds.items()]\n")
        + "print(time.perf_counter() - began)\n"
    )
    runs = [float(subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout) for _ in range(repeat)]
    return min(runs)


def naive_assign(path: Path, target: str, group: str) -> None:
    """Default TinyDB: upsert one assignment and insert its audit event (two full-file rewrites)."""
    from tinydb import Query, TinyDB

    with TinyDB(path) as db:
        q = Query()
        db.table("assignments").upsert({"target_kind": "profile", "target": target, "include": [group],
                                        "exclude": []}, (q.target_kind == "profile") & (q.target == target))
        db.table("audit").insert({"action": "assignment.set", "subject": f"profile:{target}"})


def naive_import(path: Path, files: list[bytes], anchors: Any) -> None:
    """Default TinyDB: read and check each file, then one insert per profile."""
    from tinydb import TinyDB

    from store.formats.mobileprovision import read_mobileprovision, require_trusted
    from store.model import to_json

    with TinyDB(path) as db:
        for data in files:
            profile = read_mobileprovision(data, anchors)
            require_trusted(profile)
            db.table("profiles").insert(to_json(profile))


def cli_seconds(argv: list[str], repeat: int = 1) -> float:
    """Best wall-clock seconds of a ``provdesk`` command in a fresh interpreter (it must succeed)."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        argv_full = [sys.executable, "-m", "tui.cli", *argv]
        proc = subprocess.run(argv_full, cwd=ROOT, capture_output=True, text=True)
        best = min(best, time.perf_counter() - began)
        if proc.returncode != 0:
            raise SystemExit(f"{argv[2:4]} failed: {proc.stderr or proc.stdout[-500:]}")
    return best


def measure(
    location: Path | str, targets: list[str], copies: list[Path | str], files: Path
) -> dict[str, float]:
    """The four figures on one store: open, one assignment change, a 1,000-file import, timeline."""
    from store.clock import fixed_clock
    from store.db import Store

    figures = {"open": fresh_open("ours", location)}
    store = Store.open(location, fixed_clock(NOW))
    changes = []
    for i, target in enumerate(targets):
        began = time.perf_counter()
        store.assign("profile", target, [f"Group {(i * 13) % GROUPS}"], [])
        changes.append(time.perf_counter() - began)
    store.close()
    figures["change"] = statistics.median(changes)
    names = sorted(str(p) for p in files.iterdir())
    figures["import"] = min(cli_seconds(["--store", str(copy), "import", *names]) for copy in copies)
    figures["timeline"] = cli_seconds(["--store", str(location), "timeline"], repeat=3)
    return figures


def postgres_figures(ours: Path, targets: list[str], files: Path) -> dict[str, float]:
    """The same store copied into a throwaway PostgreSQL, measured the same way."""
    from store.clock import system_clock
    from store.db.copy import copy_store
    from tests.pgserver import PgCluster

    cluster = PgCluster(durable=True)
    try:
        cluster.sql("CREATE DATABASE bench")
        copy_store(ours, cluster.url("bench"), system_clock)
        for attempt in range(2):
            cluster.sql(f"CREATE DATABASE import{attempt} TEMPLATE bench")
        return measure(cluster.url("bench"), targets, [cluster.url(f"import{a}") for a in range(2)], files)
    finally:
        cluster.close()


def main() -> None:
    """Build both stores, then measure each figure beside its anchor, then on PostgreSQL beside TinyDB."""
    from bench.benchlib import demo_profiles, figure, timed
    from store.formats.mobileprovision import read_mobileprovision

    anchor_pem, make = demo_profiles("store", NOW, APPS)
    tmp = Path(tempfile.mkdtemp(prefix="provdesk-bench-store-"))
    first = make(0)
    store = build_ours(tmp / "ours", anchor_pem, {}, first)
    template = read_mobileprovision(first, store.fleet().anchors)
    anchors = store.fleet().anchors
    docs = documents(template)
    build_ours(tmp / "ours2", anchor_pem, docs, first)
    naive = tmp / "naive.json"
    build_naive(naive, docs)
    ours = tmp / "ours2"
    files = tmp / "import"
    files.mkdir()
    blobs = [make(PROFILES + i) for i in range(IMPORTS)]
    for i, data in enumerate(blobs):
        (files / f"p{i:04d}.mobileprovision").write_bytes(data)
    targets = [p["uuid"] for p in docs["profiles"][:CHANGES]]
    copies: list[Path | str] = []
    for attempt in range(2):  # best of two imports, each into its own copy of the 5,000-profile store
        copies.append(tmp / f"import-into-{attempt}")
        shutil.copytree(ours, copies[-1])
    pg = postgres_figures(ours, targets, files)  # before ours is changed by the TinyDB figures
    tiny = measure(ours, targets, copies, files)

    figure(BENCH, "open_5000_profiles", tiny["open"], "s", "<= 0.5 s", tiny["open"] <= 0.5,
           "default TinyDB JSONStorage open + decode", fresh_open("naive", naive, repeat=1))
    naive_changes = []
    for i, target in enumerate(targets[:3]):
        began = time.perf_counter()
        naive_assign(naive, target, f"Group {i}")
        naive_changes.append(time.perf_counter() - began)
    figure(BENCH, "assignment_change", tiny["change"], "s", "<= 30 ms", tiny["change"] <= 0.030,
           "default TinyDB upsert + audit insert (median of 3)", statistics.median(naive_changes))
    naive_time = timed(lambda: naive_import(naive, blobs[:NAIVE_IMPORTS], anchors)) * IMPORTS / NAIVE_IMPORTS
    figure(BENCH, "import_1000_profiles_cli", tiny["import"], "s", "<= 3 s", tiny["import"] <= 3.0,
           f"default TinyDB, one insert per profile ({NAIVE_IMPORTS} timed, scaled to {IMPORTS})", naive_time)
    bare = [sys.executable, "-c", "import tui.cli"]
    floor = timed(lambda: subprocess.run(bare, cwd=ROOT, check=True), repeat=3)
    figure(BENCH, "timeline_cli", tiny["timeline"], "s", "<= 0.5 s", tiny["timeline"] <= 0.5,
           "python -c 'import tui.cli' (process start floor)", floor)
    limits = {
        "open": ("open_5000_profiles", 0.5, "<= 0.5 s"), "change": ("assignment_change", 0.030, "<= 30 ms"),
        "import": ("import_1000_profiles_cli", 3.0, "<= 3 s"), "timeline": ("timeline_cli", 0.5, "<= 0.5 s"),
    }
    for key, (metric, limit, target) in limits.items():
        figure(BENCH, f"{metric}_postgres", pg[key], "s", target, pg[key] <= limit,
               f"TinyDB {metric}, same run", tiny[key])
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    from bench.benchlib import main_guard

    main_guard(main)
