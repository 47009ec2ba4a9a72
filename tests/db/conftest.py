"""Fixtures for the store tests: a real store on tmp_path, real fixture files, signed test profiles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from store.clock import fixed_clock
from store.db import Store
from tests.db.factory import ProfileFactory

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
REAL_PROFILES = FIXTURES / "real" / "profiles"
REAL_APPS = FIXTURES / "real" / "apps"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def expected() -> dict[str, Any]:
    """The oracle's verdict on every real profile."""
    data: dict[str, Any] = json.loads((FIXTURES / "real" / "expected.json").read_text())
    return data["profiles"]


def importable(name: str) -> bool:
    """A real profile iOS accepts: a valid signature chaining to Apple Root CA."""
    facts = expected()[name]
    return bool(facts["signature"] == "valid" and facts["apple_chain"])


@pytest.fixture(scope="session")
def factory() -> ProfileFactory:
    """One test PKI per session (its root must be added as an anchor before importing)."""
    return ProfileFactory()


@pytest.fixture(params=["tinydb", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a fresh, empty store lives: a directory (TinyDB), or a database (PostgreSQL)."""
    if request.param == "tinydb":
        return tmp_path / "store"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(location: str | Path) -> Iterator[Store]:
    """A fresh store at a frozen time, on each backend in turn."""
    opened = Store.open(location, fixed_clock(NOW))
    yield opened
    opened.close()


@pytest.fixture
def trusted(store: Store, factory: ProfileFactory) -> Store:
    """A fresh store that trusts the test root."""
    store.add_anchor(factory.root_pem, "test root", demo=True)
    return store


@pytest.fixture
def local_store(tmp_path: Path) -> Store:
    """A store directory, for the tests that look at its files (TinyDB only)."""
    return Store.open(tmp_path / "store", fixed_clock(NOW))


@pytest.fixture
def local_trusted(local_store: Store, factory: ProfileFactory) -> Store:
    """A store directory that trusts the test root."""
    local_store.add_anchor(factory.root_pem, "test root", demo=True)
    return local_store
