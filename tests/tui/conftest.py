"""Console test fixtures: a real store on tmp_path, a frozen clock, the demo data or real files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from store.clock import fixed_clock
from store.db import Store
from store.demo.loader import load_demo
from store.model import parse_iso
from tui.app import ProvdeskApp

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
PROFILES = FIXTURES / "real" / "profiles"
ENTERPRISE = PROFILES / "app_info__embedded.ipa__Demo.app_embedded.mobileprovision"
TAMPERED = PROFILES / "fastlane__match__test.provisionprofile.mobileprovision"
DEMO_NOW = parse_iso("2026-11-29T12:00:00Z")
REAL_NOW = parse_iso("2021-06-01T09:00:00Z")  # the enterprise fixture is valid then

AppFactory = Callable[..., ProvdeskApp]


def moment(value: datetime | None) -> datetime:
    """The parsed constants are never None; this says so to mypy."""
    assert value is not None
    return value


@pytest.fixture(autouse=True)
def fixed_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit trail names the actor: make it the same on every machine."""
    monkeypatch.setenv("SUDO_USER", "admin")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[[datetime], Store]:
    """A fresh store in tmp_path, its clock frozen at the moment given."""

    def make(now: datetime) -> Store:
        return Store.open(tmp_path / "store", fixed_clock(now))

    return make


@pytest.fixture
def demo_store(make_store: Callable[[datetime], Store]) -> Store:
    """The reproducible demo data set at DEMO_NOW."""
    store = make_store(moment(DEMO_NOW))
    load_demo(store, moment(DEMO_NOW), reproducible=True)
    return store


@pytest.fixture
def demo_app(demo_store: Store) -> ProvdeskApp:
    """The console on the demo store, frozen at DEMO_NOW."""
    return ProvdeskApp(demo_store, fixed_clock(moment(DEMO_NOW)), mouse=False)


@pytest.fixture
def real_app(make_store: Callable[[datetime], Store]) -> ProvdeskApp:
    """The console on an empty store, frozen when the real enterprise fixture was valid."""
    return ProvdeskApp(make_store(moment(REAL_NOW)), fixed_clock(moment(REAL_NOW)), mouse=False)


@pytest.fixture
def empty_app(make_store: Callable[[datetime], Store]) -> ProvdeskApp:
    """The console on an empty store at DEMO_NOW (the demo data is dated from its now)."""
    return ProvdeskApp(make_store(moment(DEMO_NOW)), fixed_clock(moment(DEMO_NOW)), mouse=False)
