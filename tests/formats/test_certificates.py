"""Certificates: the fast field walk agrees with asn1crypto's typed parse on every real certificate.

``certfields.py`` reads certificates with a lean walk for speed; asn1crypto's full typed
parse is the independent reference here, on every certificate the fixtures carry (CMS
certificate sets and DeveloperCertificates), including ones that break X.509 rules.
"""

from __future__ import annotations

import hashlib
import plistlib
import warnings
from datetime import UTC

import pytest
from asn1crypto import x509 as asn1_x509

from store.errors import ParseError
from store.formats.cms import parse_signed_data
from store.formats.trust import APPLE_ROOT_SHA256, anchor_from_pem, apple_root_anchor
from store.formats.x509 import parse_certificate, read_certificate
from tests.formats.oracle import APPLE_ROOT_FILE, REAL


def _all_certificates() -> list[bytes]:
    """Every distinct certificate in the real profiles."""
    found: dict[str, bytes] = {}
    for path in sorted((REAL / "profiles").iterdir()):
        data = path.read_bytes()
        if not data.startswith(b"\x30"):
            continue
        signed = parse_signed_data(data)
        blobs = list(signed.certificates)
        try:
            assert signed.content is not None
            blobs += plistlib.loads(signed.content).get("DeveloperCertificates", [])
        except Exception:
            pass
        for blob in blobs:
            found[hashlib.sha256(blob).hexdigest()] = blob
    return list(found.values())


CERTS = _all_certificates()


def test_there_are_certificates_to_compare() -> None:
    """The fixtures hold a good spread of certificates (Apple CAs, signers, developers)."""
    assert len(CERTS) >= 20


@pytest.mark.parametrize("der", CERTS, ids=[hashlib.sha256(c).hexdigest()[:12] for c in CERTS])
def test_fields_agree_with_asn1crypto(der: bytes) -> None:
    """Name, team, serial, dates, key id, raw pieces: identical to asn1crypto's typed parse."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = parse_certificate(der)
    reference = asn1_x509.Certificate.load(der)
    tbs = reference["tbs_certificate"]
    subject = tbs["subject"].native
    assert ours.facts.common_name == (subject.get("common_name") or "")
    assert ours.facts.team_id == subject.get("organizational_unit_name")
    assert ours.facts.serial == tbs["serial_number"].contents.hex().upper()
    assert ours.serial == tbs["serial_number"].native
    assert ours.facts.not_before == tbs["validity"]["not_before"].native.astimezone(UTC)
    assert ours.facts.not_after == tbs["validity"]["not_after"].native.astimezone(UTC)
    assert ours.key_id == reference.key_identifier
    assert ours.subject_der == tbs["subject"].dump() and ours.issuer_der == tbs["issuer"].dump()
    assert ours.subject == tbs["subject"].hashable and ours.issuer == tbs["issuer"].hashable
    assert ours.tbs == tbs.dump() and ours.spki == tbs["subject_public_key_info"].dump()
    assert ours.signature == reference["signature_value"].native
    assert ours.hash_name == reference["signature_algorithm"].hash_algo
    assert ours.facts.sha1 == hashlib.sha1(der).hexdigest().upper()


def test_kinds_follow_apples_extensions() -> None:
    """Developer certificates are development, distribution ones distribution, Apple CAs unknown."""
    kinds = {read_certificate(c).common_name: read_certificate(c).kind for c in CERTS}
    for name, kind in kinds.items():
        if name.startswith(("iPhone Developer", "Apple Development")):
            assert kind == "development", name
        elif name.startswith(("iPhone Distribution", "Apple Distribution")):
            assert kind == "distribution", name
        elif name.startswith("Apple Root CA"):
            assert kind == "unknown"


def test_garbage_is_a_bad_certificate() -> None:
    """Bytes that are not a certificate raise one code."""
    with pytest.raises(ParseError) as caught:
        read_certificate(b"\x30\x03\x02\x01\x01")
    assert caught.value.code == "bad-certificate"


def test_apple_root_anchor_is_pinned() -> None:
    """The shipped root is Apple Root CA by fingerprint; PEM and DER give the same anchor."""
    anchor = apple_root_anchor()
    assert anchor.sha256 == APPLE_ROOT_SHA256 and anchor.builtin
    der = APPLE_ROOT_FILE.read_bytes()
    from_der = anchor_from_pem(der, "root")
    from_pem = anchor_from_pem(anchor.pem.encode(), "root")
    assert from_der.sha256 == from_pem.sha256 == APPLE_ROOT_SHA256
    assert from_der.pem == anchor.pem


BROKEN_PEM = b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize("data", [b"", b"hello", BROKEN_PEM, b"\x30\x03\x02\x01\x01"])
def test_anchor_from_non_certificates(data: bytes) -> None:
    """A trust file that holds no certificate is refused with ``not-a-certificate``."""
    with pytest.raises(ParseError) as caught:
        anchor_from_pem(data, "x")
    assert caught.value.code == "not-a-certificate"
