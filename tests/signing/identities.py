"""Test identities made with real cryptography: a test CA, a distribution identity, its .p12, profiles.

The CA stands in for Apple Root CA (it is added to the trust anchors, never Apple's); the
leaf is "iPhone Distribution: Test Corp (TEAMID)" with Apple's extension OIDs (store.demo.pki),
and each profile is a real CMS-signed enterprise profile (store.demo.signing).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12

from store.demo.pki import Issued, make_intermediate, make_leaf, make_root
from store.demo.signing import make_profile
from store.formats.trust import anchor_from_pem
from store.model import TrustAnchor
from store.signing.identity import Identity

TEAM = "TESTTEAM01"
CN = f"iPhone Distribution: Test Corp ({TEAM})"
PASSWORD = b"correct horse battery staple"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@dataclass
class SigningPKI:
    """A root, a WWDR-like intermediate, a profile signer and a distribution identity."""

    root: Issued
    intermediate: Issued
    profile_signer: Issued
    leaf: Issued
    profiles: dict[str, bytes] = field(default_factory=dict)

    @property
    def chain(self) -> list[x509.Certificate]:
        """Above the leaf: the intermediate and the root (what a code signature carries)."""
        return [self.intermediate.cert, self.root.cert]

    @property
    def anchor(self) -> TrustAnchor:
        """The test CA as a trust anchor (how an admin adds a corporate root)."""
        return anchor_from_pem(self.root.cert.public_bytes(Encoding.PEM), "Test CA")

    @property
    def root_pem(self) -> bytes:
        """The root in PEM (for openssl -CAfile)."""
        return self.root.cert.public_bytes(Encoding.PEM)

    def p12(self, password: bytes = PASSWORD, leaf: Issued | None = None) -> bytes:
        """The identity as a PKCS#12 file: key, certificate, and the chain above it."""
        who = leaf or self.leaf
        return pkcs12.serialize_key_and_certificates(
            b"Test Corp",
            who.key,
            who.cert,
            self.chain,
            BestAvailableEncryption(password),
        )

    def identity_for(self, team: str) -> Identity:
        """A distribution identity of another ``team`` under the same test CA (as its .p12 would load)."""
        leaf = _distribution_leaf(self.intermediate, team)
        return Identity(leaf.cert, leaf.key, tuple(self.chain))

    def profile(
        self,
        app_id: str,
        *,
        entitlements: Mapping[str, Any] | None = None,
        expires: datetime | None = None,
        created: datetime | None = None,
        certificates: list[x509.Certificate] | None = None,
        signer: Issued | None = None,
        team: str = TEAM,
    ) -> bytes:
        """An enterprise profile for ``app_id`` (without the team prefix), CMS-signed under the test CA."""
        return make_profile(
            signer or self.profile_signer,
            [self.intermediate.cert, self.root.cert],
            name=f"Test Inhouse {app_id}",
            uuid=str(uuid.uuid4()).upper(),
            team_id=team,
            team_name="Test Corp",
            app_id=app_id,
            app_id_name=app_id,
            created=created or NOW - timedelta(days=1),
            expires=expires or NOW + timedelta(days=365),
            certificates=certificates or [self.leaf.cert],
            entitlements=entitlements,
            signing_time=NOW - timedelta(days=1),
        )


def _distribution_leaf(intermediate: Issued, team: str, until: datetime | None = None) -> Issued:
    """ "iPhone Distribution: Test Corp (TEAM)", valid from ten days before ``NOW``."""
    return make_leaf(
        intermediate,
        f"iPhone Distribution: Test Corp ({team})",
        team,
        kind="distribution",
        organization="Test Corp",
        not_before=NOW - timedelta(days=10),
        not_after=until or NOW + timedelta(days=3 * 365),
        key_size=2048,
    )


def make_pki(leaf_until: datetime | None = None) -> SigningPKI:
    """A fresh test PKI (1024-bit RSA keeps it quick; the chain and extensions are Apple's shape)."""
    root = make_root("Test CA (not Apple)", key_size=1024)
    intermediate = make_intermediate(root, "Test WWDR Intermediate", key_size=1024)
    profile_signer = make_leaf(
        intermediate,
        "Test Profile Signing",
        kind="profile-signing",
        not_before=NOW - timedelta(days=400),
        not_after=NOW + timedelta(days=3000),
        key_size=1024,
    )
    leaf = _distribution_leaf(intermediate, TEAM, leaf_until)
    return SigningPKI(root, intermediate, profile_signer, leaf)


__all__ = ["CN", "NOW", "PASSWORD", "TEAM", "SigningPKI", "make_pki"]
