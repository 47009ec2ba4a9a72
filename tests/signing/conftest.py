"""Shared test material for the re-signer: one test PKI per module, and profiles for each fixture app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store.formats.ipa import read_ipa
from store.signing.entitlements import moved_claims
from store.signing.identity import Identity, load_identity
from tests.formats.oracle import REAL
from tests.signing.identities import PASSWORD, TEAM, SigningPKI, make_pki

APPS = REAL / "apps"
_DERIVED = {
    "application-identifier",
    "com.apple.developer.team-identifier",
    "get-task-allow",
    "keychain-access-groups",
}


@pytest.fixture(scope="module")
def pki() -> SigningPKI:
    """A test CA, intermediate, profile signer and distribution identity."""
    return make_pki()


@pytest.fixture(scope="module")
def identity(pki: SigningPKI) -> Identity:
    """The distribution identity as loaded from its .p12."""
    return load_identity(pki.p12(), PASSWORD)


def granted_for(claimed: dict[str, Any]) -> dict[str, Any]:
    """What a profile must grant for an app's current claims under the test team (push in production)."""
    grants = {k: v for k, v in moved_claims(claimed, TEAM).items() if k not in _DERIVED}
    if "aps-environment" in grants:
        grants["aps-environment"] = "production"
    return grants


def profiles_for(pki: SigningPKI, ipa: Path) -> dict[str | None, bytes]:
    """A profile for the app and one for each of its extensions, granting what each claims."""
    app = read_ipa(ipa).app
    profiles: dict[str | None, bytes] = {
        None: pki.profile(app.bundle_id, entitlements=granted_for(dict(app.entitlements)))
    }
    for nested in app.nested:
        if nested.bundle_id and nested.path.endswith(".appex"):
            profiles[nested.bundle_id] = pki.profile(nested.bundle_id)
    return profiles
