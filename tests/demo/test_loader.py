"""Loading the demo into a real store on disk, and ``provdesk demo`` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.clock import fixed_clock
from store.db import Store
from store.demo.dataset import ANCHOR_LABEL, build_demo
from store.demo.loader import load_demo
from store.errors import StoreError
from store.formats.mobileprovision import read_mobileprovision
from store.model import ALL_USERS, BUILTIN_GROUPS

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh store on ``tmp_path`` with the clock frozen at ``NOW``."""
    return Store.open(tmp_path / "store", fixed_clock(NOW))


def test_load_fills_the_store(store: Store) -> None:
    """Every profile, app, group and assignment of the demo world arrives, with the admin's names."""
    world = build_demo(NOW, reproducible=True)
    summary = load_demo(store, NOW, reproducible=True)
    fleet = store.fleet()
    assert len(fleet.profiles) == summary.profiles == len(world.profiles)
    assert len(fleet.apps) == summary.apps == 12
    assert {g.name for g in fleet.groups} == set(BUILTIN_GROUPS) | {g.name for g in world.groups}
    assert len([a for a in fleet.assignments if a.include or a.exclude]) == len(world.assignments)
    by_uuid = {p.uuid: p for p in fleet.profiles}
    for demo in world.profiles:
        stored = by_uuid[demo.uuid]
        assert stored.type == "enterprise"
        assert stored.trust == "anchor" and stored.signature == "valid"
        assert stored.label == (demo.display_name or demo.name)
        assert stored.expires == demo.expires
        assert store.profile_bytes(demo.uuid) == demo.data
    expenses = fleet.assignment_for("profile", next(p.uuid for p in world.profiles if p.key == "bf-expenses"))
    assert expenses.include == {ALL_USERS} and expenses.exclude == {"Kiosk iPads"}
    assert not store.is_empty()


def test_anchor_is_labelled_demo_and_only_in_this_store(tmp_path: Path, store: Store) -> None:
    """The demo root is a demo anchor of this store; another store does not trust demo profiles."""
    summary = load_demo(store, NOW)
    demo = [a for a in store.fleet().anchors if a.demo]
    assert [(a.label, a.sha256.upper()) for a in demo] == [(ANCHOR_LABEL, summary.anchor_sha256)]
    assert not any(a.builtin for a in demo)
    data = store.profile_bytes(build_demo(NOW).profiles[0].uuid)
    assert read_mobileprovision(data, store.fleet().anchors).trust == "anchor"
    other = Store.open(tmp_path / "other", fixed_clock(NOW))
    assert read_mobileprovision(data, other.fleet().anchors).trust == "untrusted"
    assert not any(a.demo for a in other.fleet().anchors)


def test_refuses_a_store_with_data(store: Store) -> None:
    """A second load (or any store holding data) is refused, and nothing is added."""
    load_demo(store, NOW)
    before = store.fleet()
    with pytest.raises(StoreError) as caught:
        load_demo(store, NOW)
    assert caught.value.code == "store-not-empty"
    assert store.fleet() == before


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``provdesk`` as a user runs it, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, cwd=REPO, check=False,
    )


def test_cli_demo_loads_then_refuses(tmp_path: Path) -> None:
    """``provdesk demo`` prints a summary; a second run exits 2 with the store-not-empty code."""
    path = str(tmp_path / "store")
    first = run_cli("demo", "--store", path, "--now", "2026-11-29T09:30:00Z", "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["profiles"] == 30 and summary["apps"] == 12 and summary["expired"] >= 3
    assert summary["soonest_certificate_expires"] == "2026-12-22T09:30:00Z"
    again = run_cli("demo", "--store", path, "--now", "2026-11-29T09:30:00Z")
    assert again.returncode == 2
    assert again.stderr.startswith("provdesk: store-not-empty:")
    assert "Traceback" not in again.stderr


def test_cli_reproducible_files_repeat(tmp_path: Path) -> None:
    """``--reproducible`` stores byte-identical profile files in two separate stores."""
    for name in ("a", "b"):
        result = run_cli("demo", "--store", str(tmp_path / name), "--now", "2026-11-29T09:30:00Z",
                         "--reproducible")
        assert result.returncode == 0, result.stderr
        assert "Loaded the demo: 30 enterprise profiles" in result.stdout
    uuid = build_demo(NOW).profiles[0].uuid
    first = Store.open(tmp_path / "a", fixed_clock(NOW)).profile_bytes(uuid)
    assert first == Store.open(tmp_path / "b", fixed_clock(NOW)).profile_bytes(uuid)


def test_cli_demo_for_a_past_date_verifies(tmp_path: Path) -> None:
    """Under ``--now`` years back, every profile is signed inside its dated chain and imports."""
    result = run_cli("demo", "--store", str(tmp_path / "past"), "--now", "2021-03-01T00:00:00Z", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["profiles"] == 30
