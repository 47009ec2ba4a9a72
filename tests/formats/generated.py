"""Generated PKIs and profiles for the readers' tests, made with ``store.demo`` (real X.509 and CMS).

A test CA stands in for Apple: root -> intermediate -> profile-signing leaf, plus a team's
distribution certificate, so every chain verdict (anchor, untrusted, incomplete) and every
signer (RSA/ECDSA, SHA-1/SHA-256) can be produced on demand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from store.demo import pki, signing
from store.demo.pki import Issued, KeyType
from store.demo.signing import Digest

CREATED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
EXPIRES = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
TEAM = "TESTTEAM01"


@dataclass(frozen=True)
class Pki:
    """A root, an intermediate, a profile signer under it, and a team distribution certificate."""

    root: Issued
    intermediate: Issued
    signer: Issued
    distribution: Issued

    def root_pem(self) -> bytes:
        """The root as an admin would hand it to ``--trust``."""
        return self.root.cert.public_bytes(Encoding.PEM)


@cache
def make_pki(key_type: KeyType = "rsa", root_name: str = "Test Root CA") -> Pki:
    """One PKI per key type and root name (keys are slow to make: cached for the session)."""
    root = pki.make_root(root_name, key_type=key_type)
    intermediate = pki.make_intermediate(root, "Test iPhone Certification Authority", key_type=key_type)
    signer = pki.make_leaf(
        intermediate, "Test Provisioning Profile Signing", kind="profile-signing",
        not_before=datetime(2020, 1, 1, tzinfo=UTC), not_after=datetime(2030, 1, 1, tzinfo=UTC),
        key_type=key_type,
    )
    distribution = pki.make_leaf(
        intermediate, f"iPhone Distribution: Test Co ({TEAM})", TEAM, kind="distribution",
        not_before=datetime(2023, 1, 1, tzinfo=UTC), not_after=datetime(2026, 1, 1, tzinfo=UTC),
        key_type=key_type,
    )
    return Pki(root, intermediate, signer, distribution)


def plist(name: str = "Test Enterprise", app_id: str = "com.test.app") -> bytes:
    """An enterprise profile plist naming the PKI's distribution certificate."""
    return signing.profile_plist(
        name=name, uuid="11111111-2222-3333-4444-555555555555", team_id=TEAM, team_name="Test Co",
        app_id=app_id, app_id_name="Test App", created=CREATED, expires=EXPIRES,
        certificates=[make_pki().distribution.cert],
    )


def signed_profile(
    ca: Pki, *, digest: Digest = "sha256", chain: tuple[x509.Certificate, ...] | None = None,
    content: bytes | None = None, detached: bool = False, signing_time: datetime | None = CREATED,
) -> bytes:
    """A profile signed by ``ca.signer``; the file carries ``chain`` (default: intermediate and root)."""
    carried = (ca.intermediate.cert, ca.root.cert) if chain is None else chain
    return signing.sign_cms(
        plist() if content is None else content, ca.signer, carried,
        digest=digest, detached=detached, signing_time=signing_time,
    )
