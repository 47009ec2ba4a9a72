"""The demo PKI and CMS signer, checked by an independent verifier: OpenSSL's ``cms -verify``."""

from __future__ import annotations

import plistlib
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from store.demo.pki import (
    DER_NULL,
    OID_DEVELOPMENT,
    OID_DISTRIBUTION,
    Issued,
    KeyType,
    LeafKind,
    make_intermediate,
    make_leaf,
    make_root,
)
from store.demo.signing import Digest, make_profile, profile_plist, sign_cms

START = datetime(2024, 1, 1, tzinfo=UTC)
END = datetime(2034, 1, 1, tzinfo=UTC)
CONTENT = b"<plist>not really, but any bytes will do</plist>\n"


class Chain:
    """Root, intermediate and a profile-signing leaf of one key type."""

    def __init__(self, key_type: KeyType) -> None:
        self.root = make_root("Test Root (not Apple)", key_type=key_type, key_size=1024)
        self.intermediate = make_intermediate(
            self.root, "Test Intermediate", key_type=key_type, key_size=1024,
        )
        self.signer = make_leaf(
            self.intermediate, "Test Profile Signing", kind="profile-signing",
            not_before=START, not_after=END, key_type=key_type, key_size=1024,
        )


@pytest.fixture(scope="module", params=["rsa", "ec"])
def chain(request: pytest.FixtureRequest) -> Chain:
    """One chain per key type, shared by the tests of this module."""
    return Chain(request.param)


def pem(cert: x509.Certificate) -> bytes:
    """PEM of a certificate, for OpenSSL's -CAfile."""
    return cert.public_bytes(serialization.Encoding.PEM)


def openssl_verify(
    tmp_path: Path, signed: bytes, root: Issued, detached_content: bytes | None = None,
) -> bool:
    """True when ``openssl cms -verify`` accepts the signature and the chain up to ``root``."""
    (tmp_path / "signed.der").write_bytes(signed)
    (tmp_path / "root.pem").write_bytes(pem(root.cert))
    command = [
        "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "signed.der"),
        "-CAfile", str(tmp_path / "root.pem"), "-purpose", "any", "-out", str(tmp_path / "out"),
    ]
    if detached_content is not None:
        (tmp_path / "content").write_bytes(detached_content)
        command += ["-content", str(tmp_path / "content")]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        return False
    return (tmp_path / "out").read_bytes() == (detached_content if detached_content is not None else CONTENT)


@pytest.mark.parametrize("digest", ["sha256", "sha1"])
@pytest.mark.parametrize("detached", [False, True])
def test_openssl_verifies(tmp_path: Path, chain: Chain, digest: Digest, detached: bool) -> None:
    """Every combination of key type, digest and attachment is a signature OpenSSL accepts."""
    signed = sign_cms(CONTENT, chain.signer, [chain.intermediate.cert], digest=digest, detached=detached)
    assert openssl_verify(tmp_path, signed, chain.root, CONTENT if detached else None)


@pytest.mark.parametrize("digest", ["sha256", "sha1"])
def test_openssl_rejects_tampered_content_and_wrong_root(
    tmp_path: Path, chain: Chain, digest: Digest,
) -> None:
    """The check above can fail: changed content or a root that did not issue the chain is refused."""
    signed = sign_cms(CONTENT, chain.signer, [chain.intermediate.cert], digest=digest)
    tampered = signed.replace(b"any bytes", b"ANY bytes")
    assert tampered != signed
    assert not openssl_verify(tmp_path, tampered, chain.root)
    other_root = make_root("Another Root", key_type="ec")
    assert not openssl_verify(tmp_path, signed, other_root)


@pytest.mark.parametrize("digest", ["sha256", "sha1"])
@pytest.mark.parametrize("detached", [False, True])
def test_structure(chain: Chain, digest: Digest, detached: bool) -> None:
    """Signed attributes are contentType, signingTime, messageDigest; detached carries no content."""
    signed = sign_cms(CONTENT, chain.signer, [chain.intermediate.cert], digest=digest, detached=detached)
    data = cms.ContentInfo.load(signed)["content"]
    encap = data["encap_content_info"]
    if detached:
        assert encap["content"].native is None
        assert CONTENT not in signed
    else:
        assert encap["content"].native == CONTENT
    info = data["signer_infos"][0]
    assert info["digest_algorithm"]["algorithm"].native == digest
    names = sorted(a["type"].native for a in info["signed_attrs"])
    assert names == ["content_type", "message_digest", "signing_time"]
    certificates = [c.chosen.dump() for c in data["certificates"]]
    assert certificates[0] == chain.signer.cert.public_bytes(serialization.Encoding.DER)
    assert chain.intermediate.cert.public_bytes(serialization.Encoding.DER) in certificates


def test_fixed_signing_time_is_reproducible_with_seeded_ec() -> None:
    """A seeded EC hierarchy and a fixed signing time give the same bytes twice (for snapshots)."""
    def build() -> bytes:
        root = make_root("Seeded Root", key_type="ec", seed="root")
        leaf = make_leaf(root, "Seeded Signer", kind="profile-signing", not_before=START, not_after=END,
                         key_type="ec", seed="leaf")
        return sign_cms(CONTENT, leaf, [root.cert], signing_time=datetime(2025, 5, 5, tzinfo=UTC))

    first, second = build(), build()
    assert first == second
    attributes = cms.ContentInfo.load(first)["content"]["signer_infos"][0]["signed_attrs"]
    times = [a["values"][0].native for a in attributes if a["type"].native == "signing_time"]
    assert times == [datetime(2025, 5, 5, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("kind", "oid"), [("distribution", OID_DISTRIBUTION), ("development", OID_DEVELOPMENT)],
)
def test_leaf_kind_extension_and_team(chain: Chain, kind: LeafKind, oid: x509.ObjectIdentifier) -> None:
    """Developer certificates carry Apple's kind marker (DER NULL, non-critical) and the team in OU."""
    leaf = make_leaf(chain.intermediate, "iPhone Distribution: Acme Corp", "ABCDE12345", kind=kind,
                     not_before=START, not_after=END, key_type="ec", organization="Acme Corp")
    extension = leaf.cert.extensions.get_extension_for_oid(oid)
    assert not extension.critical
    assert isinstance(extension.value, x509.UnrecognizedExtension)
    assert extension.value.value == DER_NULL
    subject = leaf.cert.subject
    assert subject.get_attributes_for_oid(x509.NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == "ABCDE12345"
    common_name = subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert common_name == "iPhone Distribution: Acme Corp"
    assert leaf.cert.issuer == chain.intermediate.cert.subject


def test_profile_plist_has_apples_keys(chain: Chain) -> None:
    """The plist is what Apple writes: prefixed app ID, DER developer certificates, device scope."""
    developer = make_leaf(chain.intermediate, "iPhone Distribution: Acme Corp", "ABCDE12345",
                          not_before=START, not_after=END, key_type="ec")
    fields: dict[str, Any] = {
        "name": "Acme Field", "uuid": "0F0F0F0F-1111-2222-3333-444444444444", "team_id": "ABCDE12345",
        "team_name": "Acme Corp", "app_id": "com.acme.field", "app_id_name": "Field",
        "created": datetime(2025, 1, 1, tzinfo=UTC), "expires": datetime(2026, 1, 1, tzinfo=UTC),
        "certificates": [developer.cert],
    }
    document = plistlib.loads(profile_plist(**fields))
    assert document["ProvisionsAllDevices"] is True and "ProvisionedDevices" not in document
    assert document["Entitlements"]["application-identifier"] == "ABCDE12345.com.acme.field"
    assert document["Entitlements"]["get-task-allow"] is False
    assert document["DeveloperCertificates"] == [developer.cert.public_bytes(serialization.Encoding.DER)]
    assert document["ExpirationDate"] == datetime(2026, 1, 1)
    assert document["TimeToLive"] == 365 and document["Version"] == 1 and document["Platform"] == ["iOS"]
    ad_hoc = plistlib.loads(profile_plist(**fields, provisions_all_devices=False, devices=["00008030-A"]))
    assert ad_hoc["ProvisionedDevices"] == ["00008030-A"] and "ProvisionsAllDevices" not in ad_hoc
    signed = make_profile(chain.signer, [chain.intermediate.cert], digest="sha1", **fields)
    encapsulated = cms.ContentInfo.load(signed)["content"]["encap_content_info"]["content"].native
    assert encapsulated == profile_plist(**fields)
