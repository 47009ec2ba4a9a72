"""The storage mechanics: layout, permissions, atomic commits, change detection, corruption, migration."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from store.clock import fixed_clock
from store.db import Store
from store.db.local import LocalEngine
from store.db.schema import MANIFEST, SCHEMA, TABLES_DIR, migrate
from store.errors import StoreError
from tests.db.conftest import NOW
from tests.db.factory import ProfileFactory


def _manifest(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / MANIFEST).read_text())
    return data


def test_new_store_is_private_and_versioned(tmp_path: Path) -> None:
    """0700 directory, 0600 files, whatever the umask; the document carries its schema."""
    old = os.umask(0o022)
    try:
        store = Store.open(tmp_path / "s", fixed_clock(NOW))
        store.add_group("Sales", "user")
    finally:
        os.umask(old)
    root = tmp_path / "s"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    for path in root.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    manifest = _manifest(root)
    assert manifest["schema"] == SCHEMA == 1
    assert manifest["generation"] == 2  # creation, then the group


def test_open_without_create_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store.open(tmp_path / "none", fixed_clock(NOW), create=False)
    assert err.value.code == "store-missing"
    assert not (tmp_path / "none").exists()


def test_a_directory_of_other_files_is_not_taken_over(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError) as err:
        Store.open(tmp_path, fixed_clock(NOW))
    assert err.value.code == "not-a-store"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_one_change_rewrites_only_its_tables(trusted: Store, factory: ProfileFactory) -> None:
    """An assignment change leaves the profiles segment file untouched (small writes on big stores)."""
    trusted.import_profiles([("a.mobileprovision", factory.profile(1))])
    before = dict(trusted.storage.hashes)
    trusted.add_group("Sales", "user")
    uuid = trusted.fleet().profiles[0].uuid
    trusted.assign("profile", uuid, ["Sales"], [])
    after = trusted.storage.hashes
    assert {n: h for n, h in after.items() if n.startswith("profiles.")} == {
        n: h for n, h in before.items() if n.startswith("profiles.")
    }
    assert any(n.startswith("assignments.") and h != before.get(n) for n, h in after.items())
    if isinstance(trusted.engine, LocalEngine):
        segments = {p.name for p in (trusted.root / TABLES_DIR).iterdir()}
        assert segments == {f"{h}.json" for h in after.values()}  # old segments collected


def test_another_process_change_is_noticed(location: str | Path) -> None:
    """has_changed() turns true (within a second) when someone else commits; fleet() then shows it."""
    first = Store.open(location, fixed_clock(NOW))
    second = Store.open(location, fixed_clock(NOW))
    first.add_group("Sales", "user")  # our own commits are not news
    assert not first.has_changed()
    second.add_group("Kiosks", "device")
    deadline = time.monotonic() + 1.0
    while not first.has_changed() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert first.has_changed()
    assert "Kiosks" in {g.name for g in first.fleet().groups}
    assert not first.has_changed()


def test_a_failed_change_writes_nothing(store: Store) -> None:
    store.add_group("Sales", "user")
    generation = Store.open(store.location, fixed_clock(NOW)).storage.generation
    with pytest.raises(StoreError):
        store.add_group("sales", "user")  # duplicate, case-insensitively
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put("groups", {"name": "Ghost", "kind": "user", "description": "", "builtin": False})
        raise RuntimeError("interrupted")
    reopened = Store.open(store.location, fixed_clock(NOW))
    assert reopened.storage.generation == generation
    assert [g.name for g in store.fleet().groups if not g.builtin] == ["Sales"]
    assert [g.name for g in reopened.fleet().groups if not g.builtin] == ["Sales"]


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (lambda root: (root / MANIFEST).write_text("{not json"), "store-corrupt"),
        (lambda root: (root / MANIFEST).write_text('{"schema": 99, "tables": {}}'), "schema-too-new"),
        (lambda root: [p.unlink() for p in (root / TABLES_DIR).iterdir()], "store-corrupt"),
        (lambda root: [p.write_text("{}") for p in (root / TABLES_DIR).iterdir()], "store-corrupt"),
    ],
    ids=["bad-json", "schema-too-new", "missing-table", "table-hash-mismatch"],
)
def test_a_damaged_store_is_refused_and_left_alone(tmp_path: Path, damage: object, code: str) -> None:
    root = tmp_path / "s"
    Store.open(root, fixed_clock(NOW)).add_group("Sales", "user")
    damage(root)  # type: ignore[operator]
    snapshot = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    with pytest.raises(StoreError) as err:
        Store.open(root, fixed_clock(NOW))
    assert err.value.code == code
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == snapshot


def test_an_older_schema_is_migrated_on_open(tmp_path: Path) -> None:
    """The migration table runs in order; a store of an unknown older schema is refused."""
    calls: list[int] = []

    def step(tables: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
        calls.append(0)
        return {**tables, "settings": {"1": {"critical_days": 3, "warning_days": 9}}}

    assert migrate({}, 0, {0: step}) == {"settings": {"1": {"critical_days": 3, "warning_days": 9}}}
    assert calls == [0]
    root = tmp_path / "s"
    Store.open(root, fixed_clock(NOW))
    (root / MANIFEST).write_text(json.dumps({"schema": 0, "generation": 1, "tables": {}}))
    with pytest.raises(StoreError) as err:
        Store.open(root, fixed_clock(NOW))
    assert err.value.code == "store-corrupt"  # no MIGRATIONS[0]: schema 1 is the first


def test_a_commit_that_fails_leaves_memory_and_disk_as_they_were(
    local_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write error at commit (disk full) must not leave the edit visible in this process."""
    from store.db import storage as storage_module

    store = local_store

    store.add_group("Sales", "user")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_module, "atomic_write", disk_full)
    with pytest.raises(StoreError) as err:
        store.add_group("Kiosks", "device")
    assert err.value.code == "store-unwritable" and "No space left" in err.value.message
    monkeypatch.undo()
    assert [g.name for g in store.fleet().groups if not g.builtin] == ["Sales"]
    reopened = Store.open(store.root, fixed_clock(NOW))
    assert [g.name for g in reopened.fleet().groups if not g.builtin] == ["Sales"]
    store.add_group("Other", "device")  # the next commit must not carry the failed edit along
    assert [g.name for g in Store.open(store.root, fixed_clock(NOW)).fleet().groups][2:] == ["Sales", "Other"]


def test_opening_an_older_store_migrates_and_rewrites_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open runs the migration table under the write lock and commits the store at SCHEMA."""
    from store.db import schema

    root = tmp_path / "s"
    Store.open(root, fixed_clock(NOW)).add_group("Sales", "user")
    manifest = _manifest(root)
    (root / MANIFEST).write_text(json.dumps({**manifest, "schema": 0}))

    def step(tables: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
        return {**tables, "settings": {"1": {"critical_days": 2, "warning_days": 9}}}

    monkeypatch.setitem(schema.MIGRATIONS, 0, step)
    store = Store.open(root, fixed_clock(NOW))
    assert (store.fleet().thresholds.critical_days, store.fleet().thresholds.warning_days) == (2, 9)
    assert "Sales" in {g.name for g in store.fleet().groups}
    assert _manifest(root)["schema"] == SCHEMA
    monkeypatch.delitem(schema.MIGRATIONS, 0)
    assert Store.open(root, fixed_clock(NOW)).fleet().thresholds.warning_days == 9  # written, not redone


def test_a_dropped_store_is_freed_without_the_cycle_collector(location: str | Path) -> None:
    """A store in a reference cycle waits for a full collection: headless verbs skip those, so
    a big store's tables were scanned and freed only at exit (50 ms of a `timeline`)."""
    import gc
    import weakref

    store = Store.open(location, fixed_clock(NOW))
    store.add_group("Sales", "user")
    assert store.blobs.put(b"x") and store.fleet().groups
    engine, tables = weakref.ref(store.engine), weakref.ref(store.storage)
    was = gc.isenabled()
    gc.disable()
    try:
        store.close()
        del store
        assert engine() is None and tables() is None
    finally:
        if was:
            gc.enable()


def test_documents_orjson_refuses_are_read_back_as_json_wrote_them() -> None:
    """json.dumps writes NaN, Infinity and integers past 64 bits (a plist's entitlements may hold
    them); the fast reader hands those to json, so such a store still opens, unchanged."""
    import math

    from store.db import jsonio

    odd = {"nan": math.nan, "big": 2**70, "inf": math.inf, "text": "é\u2028", "list": [1, 2.5, None, True]}
    back = jsonio.loads(json.dumps(odd).encode())
    assert math.isnan(back.pop("nan")) and back == {k: v for k, v in odd.items() if k != "nan"}
    plain = {"uuid": "u", "devices": ["a", "b"], "n": -3, "x": 1e-7, "nested": {"k": [{}]}}
    assert jsonio.loads(json.dumps(plain)) == plain == json.loads(json.dumps(plain))
    with pytest.raises(ValueError):
        jsonio.loads(b"{not json")
