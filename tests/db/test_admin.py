"""``init`` (private and team stores) and ``doctor`` (every problem it must name)."""

from __future__ import annotations

import grp
import json
import os
import stat
from pathlib import Path

import pytest

from store.clock import fixed_clock
from store.db import Store, doctor, init_store
from store.db.schema import MANIFEST, TABLES_DIR
from store.errors import StoreError
from tests.db.conftest import NOW
from tests.db.factory import ProfileFactory


def test_init_makes_a_private_store_and_refuses_to_redo_it(tmp_path: Path) -> None:
    root = Path(init_store(tmp_path / "s"))
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert doctor(root) == []
    assert Store.open(root, fixed_clock(NOW)).audit()[0].action == "store.init"
    with pytest.raises(StoreError) as err:
        init_store(root)
    assert err.value.code == "store-exists"


def test_init_shared_group_makes_a_team_store(tmp_path: Path) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    root = Path(init_store(tmp_path / "team", group))
    mode = root.stat().st_mode
    assert stat.S_IMODE(mode) == 0o2770 and mode & stat.S_ISGID
    assert root.stat().st_gid == os.getgid()
    store = Store.open(root, fixed_clock(NOW))
    store.add_group("Sales", "user")
    for path in root.rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o660, path
        else:
            assert stat.S_IMODE(path.stat().st_mode) & 0o070 == 0o070, path
    assert doctor(root) == []
    with pytest.raises(StoreError) as err:
        init_store(tmp_path / "other", "no-such-group-provdesk")
    assert err.value.code == "unknown-group"


@pytest.fixture
def filled(local_trusted: Store, factory: ProfileFactory) -> Store:
    local_trusted.import_profiles([("p.mobileprovision", factory.profile(1))])
    return local_trusted


def test_doctor_finds_nothing_wrong_with_a_healthy_store(trusted: Store, factory: ProfileFactory) -> None:
    trusted.import_profiles([("p.mobileprovision", factory.profile(1))])
    assert doctor(trusted.location) == []


def test_doctor_names_bad_json(filled: Store) -> None:
    (filled.root / MANIFEST).write_text("{oops")
    [problem] = doctor(filled.root)
    assert "not valid JSON" in problem


def test_doctor_names_a_newer_schema(filled: Store) -> None:
    manifest = json.loads((filled.root / MANIFEST).read_text())
    (filled.root / MANIFEST).write_text(json.dumps({**manifest, "schema": 7}))
    [problem] = doctor(filled.root)
    assert "schema 7" in problem


def test_doctor_names_a_missing_and_a_damaged_blob(filled: Store) -> None:
    digest = filled.fleet().profiles[0].file_sha256
    blob = filled.root / "blobs" / digest[:2] / digest
    blob.write_bytes(b"changed")
    assert any("does not match its SHA-256" in p for p in doctor(filled.root))
    blob.unlink()
    assert any("is missing" in p for p in doctor(filled.root))


def test_doctor_names_a_damaged_table(filled: Store) -> None:
    segment = next((filled.root / TABLES_DIR).iterdir())
    segment.write_text(segment.read_text() + " ")
    assert any("does not match its SHA-256" in p for p in doctor(filled.root))


def test_doctor_names_loose_permissions(filled: Store) -> None:
    os.chmod(filled.root, 0o755)
    digest = filled.fleet().profiles[0].file_sha256
    os.chmod(filled.root / "blobs" / digest[:2] / digest, 0o644)
    problems = doctor(filled.root)
    assert any("open to other users" in p and str(filled.root) in p for p in problems)
    assert any(digest in p for p in problems)


def test_doctor_on_nothing(tmp_path: Path) -> None:
    assert doctor(tmp_path / "none") == [f"no store directory at {tmp_path / 'none'}"]
