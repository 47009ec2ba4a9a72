"""A small tenant on a real loopback HTTP server, a store that trusts the test PKI, and helpers.

The tenant: four groups (a dynamic user group, a dynamic device group, a static user group,
a static device group), three good configurations and one whose payload was tampered with,
all signed as real CMS under the demo PKI; one iOS LOB app whose bundle ID a pulled profile
covers. Two configurations per page, so every list crosses pages.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.loopback_tenant import ODATA, Tenant, exclude, include, serve
from store.clock import fixed_clock
from store.db import Store
from tests.db.factory import ProfileFactory

NOW = datetime(2026, 6, 1, tzinfo=UTC)
TOKEN = "tok-" + "7f3a9c" * 6
FIELD_UUID = "6F1E2D3C-0000-4000-8000-00000000F1E1"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class World:
    """The tenant and the IDs tests refer to."""

    tenant: Tenant
    url: str
    sales: str
    kiosks: str
    field_staff: str
    warehouse: str
    field: str
    fleet: str
    spare: str
    tampered: str
    field_bytes: bytes


@pytest.fixture(scope="session")
def factory() -> ProfileFactory:
    """Signed test profiles under the demo PKI (the store trusts its root)."""
    return ProfileFactory("intune test")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture
def world(factory: ProfileFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The tenant served on 127.0.0.1, with the environment pointing the client at it."""
    tenant = Tenant(token=TOKEN, page_size=2)
    sales = tenant.add_group("Sales", rule='(user.department -eq "Sales")')
    kiosks = tenant.add_group("Kiosk iPads", rule='(device.deviceModel -startsWith "iPad")')
    field_staff = tenant.add_group("Field staff", members=("user", "user"))
    warehouse = tenant.add_group("Warehouse devices", members=("device", "device", "device"))
    field_bytes = factory.profile(1, uuid=FIELD_UUID, name="Field", app_id="com.example.field")
    field = tenant.add_config("Field 2027", b64(field_bytes), "Field.mobileprovision",
                              (include(sales), include(kiosks), exclude(field_staff)), "2027-01-01T00:00:00Z")
    fleet = tenant.add_config("Fleet", b64(factory.profile(2, name="Fleet", app_id="com.example.fleet")),
                              targets=({"@odata.type": f"{ODATA}allLicensedUsersAssignmentTarget"},
                                       exclude(warehouse)))
    spare = tenant.add_config("Spare", b64(factory.profile(3, name="Spare")))
    good = factory.profile(4, name="Tampered profile")
    tampered = tenant.add_config("Tampered", b64(good.replace(b"Tampered profile", b"Tampered profilX")),
                                 targets=(include(sales),))
    tenant.apps.append({
        "@odata.type": f"{ODATA}iosLobApp", "id": "app-field", "displayName": "Field", "bundleId":
        "com.example.field", "versionNumber": "3.1", "buildNumber": "310",
        "expirationDateTime": "2026-12-24T00:00:00Z",
        "assignments": [{"id": "a1", "intent": "required", "target": include(sales)},
                        {"id": "a2", "intent": "uninstall", "target": include(warehouse)}],
    })
    with serve(tenant) as url:
        monkeypatch.setenv("PROVDESK_GRAPH_URL", url)
        monkeypatch.setenv("PROVDESK_GRAPH_TOKEN", TOKEN)
        yield World(tenant, url, sales, kiosks, field_staff, warehouse, field, fleet, spare, tampered,
                    field_bytes)


@pytest.fixture
def store(tmp_path: Path, factory: ProfileFactory) -> Store:
    """A store at a frozen time that trusts the demo PKI root of the test profiles."""
    store = Store.open(tmp_path / "store", fixed_clock(NOW))
    store.add_anchor(factory.root_pem, "intune test root", demo=True)
    return store


def run_cli(*args: str, store: Path, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real ``provdesk`` in a child process (no TTY), with this process's environment plus ``env``."""
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--store", str(store), "--now", "2026-06-01T00:00:00Z", *args],
        cwd=ROOT, env=full, capture_output=True, text=True, input=stdin, timeout=60,
    )
