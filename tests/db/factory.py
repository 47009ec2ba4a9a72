"""Real signed test profiles under a test root: distinct, valid, and fast to make in bulk.

The root, intermediate and signing certificates are made once per process (EC keys, so
each profile costs one quick signature); a store trusts them after ``add_anchor(root_pem)``.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives import serialization

from store.demo.pki import Issued, make_intermediate, make_leaf, make_root
from store.demo.signing import make_profile

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
TEAM = "TESTTEAM01"


class ProfileFactory:
    """Makes ``.mobileprovision`` bytes signed under its own root (trust it first)."""

    def __init__(self, name: str = "provdesk test") -> None:
        self.root = make_root(f"{name} root", key_type="ec")
        self.ca = make_intermediate(self.root, f"{name} profile CA", key_type="ec")
        self.signer = make_leaf(
            self.ca, f"{name} profile signing", kind="profile-signing",
            not_before=CREATED - timedelta(days=365), not_after=CREATED + timedelta(days=3650), key_type="ec",
        )
        self.certs: list[Issued] = [
            make_leaf(self.ca, f"iPhone Distribution: {name} {i}", TEAM, kind="distribution",
                      not_before=CREATED, not_after=CREATED + timedelta(days=1095), key_type="ec")
            for i in range(2)
        ]

    @property
    def root_pem(self) -> bytes:
        """The root certificate to add as a trust anchor."""
        return self.root.cert.public_bytes(serialization.Encoding.PEM)

    def profile(
        self, index: int = 0, *, uuid: str | None = None, name: str | None = None, days: int = 365,
        app_id: str = "com.example.*", two_certs: bool = False, provisions_all: bool = True,
    ) -> bytes:
        """One signed enterprise (or, with ``provisions_all=False``, ad hoc) profile."""
        return make_profile(
            self.signer, [self.ca.cert], name=name or f"Test profile {index}",
            uuid=uuid or str(uuidlib.uuid4()), team_id=TEAM, team_name="Test Co", app_id=app_id,
            app_id_name=f"test {index}", created=CREATED, expires=CREATED + timedelta(days=days),
            certificates=[c.cert for c in self.certs[: 2 if two_certs else 1]],
            provisions_all_devices=provisions_all, devices=() if provisions_all else ("0000-TEST",),
        )
