"""Triage's ``r`` on a certificate break, with an identity file configured: re-sign now, in the console.

The app in the store is signed with a certificate that expires in ten days (made by
re-signing the real fixture with a short-lived test identity); the settings name a .p12
with a longer-lived one, and the store holds a profile for it. ``r`` asks for the password
(never echoed), re-signs, verifies and stores; a wrong password is one error line and
changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from store.clock import fixed_clock
from store.db import Store
from store.demo.pki import make_leaf
from store.signing.identity import load_identity
from store.signing.resign import ResignRequest, resign
from store.signing.verify import verify_archive
from tests.signing.conftest import APPS
from tests.signing.identities import CN, NOW, PASSWORD, TEAM, SigningPKI, make_pki
from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.screens.resign_now import ResignNowScreen
from tui.widgets.record_table import RecordTable

BUNDLE = "com.icyleaf.test.Demo"


@pytest.fixture(scope="module")
def pki() -> SigningPKI:
    """The test PKI (its leaf lasts three years)."""
    return make_pki()


@pytest.fixture
def store(pki: SigningPKI, tmp_path: Path) -> Store:
    """A store whose Demo app's certificate expires in ten days, with the long-lived identity configured."""
    short = make_leaf(pki.intermediate, CN, TEAM, organization="Test Corp", key_size=1024,
                      not_before=NOW - timedelta(days=300), not_after=NOW + timedelta(days=10))  # fmt: skip
    expiring = tmp_path / "expiring.ipa"
    profile = pki.profile("com.icyleaf.test.*", certificates=[short.cert, pki.leaf.cert])
    short_identity = load_identity(pki.p12(leaf=short), PASSWORD)
    source = APPS / "app_info__embedded.ipa"
    request = ResignRequest(source, expiring, short_identity, {None: profile}, [pki.anchor], NOW)
    resign(request, verify_archive)
    store = Store.open(tmp_path / "store", fixed_clock(NOW))
    store.add_anchor(pki.root_pem, "Test CA")
    store.import_profiles([("wildcard.mobileprovision", profile)])
    store.add_app_from_ipa("Demo.ipa", expiring)
    store.add_group("Field staff", "user")
    store.assign("app", BUNDLE, ["Field staff"], [])
    identity = tmp_path / "identity.p12"
    identity.write_bytes(pki.p12())
    store.set_identity_path(identity)
    return store


async def _open_resign(app: ProvdeskApp, pilot: Any) -> None:
    """Open the console's triage, check the Demo app is selected, press r."""
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    table = app.screen.query_one("#triage", RecordTable)
    assert table.current_key() == BUNDLE
    await pilot.press("r")
    await settle(pilot)


async def test_resign_now_from_triage(store: Store, pki: SigningPKI) -> None:
    """r, the password, Enter: the store's app is signed with the configured identity, mark cleared."""
    before = store.resolve_app(BUNDLE)
    assert before.signing_certificate is not None
    app = ProvdeskApp(store, fixed_clock(NOW), mouse=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_resign(app, pilot)
        assert isinstance(app.screen, ResignNowScreen)
        await pilot.press(*PASSWORD.decode())
        screen = app.export_screenshot()
        assert "Re-sign" in screen and "horse" not in screen  # typed, but never shown
        await pilot.press("enter")
        await settle(pilot)
    after = store.resolve_app(BUNDLE)
    assert after.signing_certificate is not None
    assert after.signing_certificate.not_after == pki.leaf.cert.not_valid_after_utc
    assert after.file_sha256 != before.file_sha256 and not after.needs_resign
    assert [e.action for e in store.audit(BUNDLE)][:2] == ["app.resign", "app.replace"]


async def test_wrong_password_changes_nothing(store: Store) -> None:
    """A wrong password is refused before anything is written: the stored app is untouched."""
    before = store.resolve_app(BUNDLE)
    app = ProvdeskApp(store, fixed_clock(NOW), mouse=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_resign(app, pilot)
        await pilot.press("x", "enter")
        await settle(pilot)
        notes = [n.message for n in app._notifications]
    assert any("wrong password" in n for n in notes)
    assert store.resolve_app(BUNDLE) == before
