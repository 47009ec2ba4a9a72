"""The identity setting is a path: stored as one, kept by threshold changes, audited, never the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.clock import fixed_clock
from store.db import Store
from store.errors import StoreError
from tests.signing.identities import NOW, SigningPKI


def test_identity_path_is_a_path_kept_across_settings(pki: SigningPKI, tmp_path: Path) -> None:
    """Set, survive a threshold change, clear; the store files hold the path and never the key."""
    identity = tmp_path / "identity.p12"
    identity.write_bytes(pki.p12())
    store = Store.open(tmp_path / "store", fixed_clock(NOW))
    assert store.identity_path() is None
    assert store.set_identity_path(identity) == identity
    store.set_thresholds(5, 20)
    assert store.identity_path() == identity and store.thresholds().warning_days == 20
    stored = b"".join(p.read_bytes() for p in (tmp_path / "store").rglob("*") if p.is_file())
    assert str(identity).encode() in stored and pki.p12() not in stored
    store.set_identity_path(None)
    assert store.identity_path() is None
    assert [e.action for e in store.audit("settings")][:3] == ["settings.set"] * 3


def test_identity_path_must_name_a_file(tmp_path: Path) -> None:
    """A path to nothing is refused in one line."""
    store = Store.open(tmp_path / "store", fixed_clock(NOW))
    with pytest.raises(StoreError) as caught:
        store.set_identity_path(tmp_path / "missing.p12")
    assert caught.value.code == "bad-identity-path"
