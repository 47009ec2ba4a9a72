"""A small real PKI: roots, intermediates and Apple-style leaf certificates made with cryptography.

The demo data set and the readers' generated tests need certificates that look like
Apple's (the kind extensions, the team ID in OU, "iPhone Distribution: <Company>")
but chain to a root that is plainly not Apple's. Everything here is real X.509 that
OpenSSL accepts, so nothing downstream is tested against a toy.

Keys: RSA (2048 for realism, 1024 allowed to speed tests up) or EC P-256. An EC key
made with a ``seed`` is derived from it, and EC issuers sign deterministically, so a
seeded EC hierarchy is byte-for-byte reproducible (screenshots, snapshot tests).
RSA key generation cannot be seeded; RSA PKCS#1 v1.5 signatures are deterministic anyway.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
KeyType = Literal["rsa", "ec"]
LeafKind = Literal["distribution", "development", "profile-signing"]

# Apple's marker extensions (value DER NULL, non-critical), as Apple puts them in its certificates.
OID_DEVELOPMENT = ObjectIdentifier("1.2.840.113635.100.6.1.2")
OID_DISTRIBUTION = ObjectIdentifier("1.2.840.113635.100.6.1.4")
OID_PROFILE_SIGNING = ObjectIdentifier("1.2.840.113635.100.6.2.2.1")
DER_NULL = b"\x05\x00"

_KIND_OID = {
    "distribution": OID_DISTRIBUTION,
    "development": OID_DEVELOPMENT,
    "profile-signing": OID_PROFILE_SIGNING,
}
# Used when a caller gives no validity: wide enough that no test trips over it.
TIMELESS_FROM = datetime(2000, 1, 1, tzinfo=UTC)
TIMELESS_UNTIL = datetime(2099, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class Issued:
    """A certificate together with its private key: what an issuer needs to issue or sign."""

    cert: x509.Certificate
    key: PrivateKey


def make_key(key_type: KeyType = "rsa", *, key_size: int = 2048, seed: str | None = None) -> PrivateKey:
    """A fresh private key; EC keys with a ``seed`` are derived from it so they repeat exactly."""
    if key_type == "ec":
        if seed is None:
            return ec.generate_private_key(ec.SECP256R1())
        order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
        scalar = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big") % (order - 1) + 1
        return ec.derive_private_key(scalar, ec.SECP256R1())
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    raise ValueError(f"unknown key type: {key_type!r}")


def _serial(serial: int | None, seed: str | None) -> int:
    """An explicit serial, else one derived from the seed, else a random positive 63-bit one."""
    if serial is not None:
        return serial
    if seed is not None:
        return int.from_bytes(hashlib.sha256(b"serial:" + seed.encode()).digest()[:8], "big") >> 1 | 1
    return secrets.randbits(63) | 1


def _sign(builder: x509.CertificateBuilder, issuer_key: PrivateKey) -> x509.Certificate:
    """Sign with SHA-256; EC issuers sign deterministically (RFC 6979) so seeded PKIs repeat."""
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        return builder.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _builder(
    subject: x509.Name, issuer: x509.Name, key: PrivateKey, issuer_key: PrivateKey,
    not_before: datetime, not_after: datetime, serial: int, *, ca: bool, path_length: int | None = None,
) -> x509.CertificateBuilder:
    """What every demo certificate has: names, dates, basic constraints, key usage, key identifiers.

    A CA may only sign certificates; a leaf may only sign (profiles or code).
    """
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False,
        )
    )


def _ca_name(name: str, organization: str) -> x509.Name:
    """A CA subject in Apple's layout (C, O, OU, CN), with the demo's own organisation."""
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Certification Authority"),
        x509.NameAttribute(NameOID.COMMON_NAME, name),
    ])


def make_root(
    name: str, *, key_type: KeyType = "rsa", key_size: int = 2048,
    not_before: datetime | None = None, not_after: datetime | None = None,
    seed: str | None = None, serial: int | None = None, organization: str = "provdesk demo",
) -> Issued:
    """A self-signed root CA: the anchor a demo or test chain ends in (never Apple's)."""
    key = make_key(key_type, key_size=key_size, seed=seed)
    subject = _ca_name(name, organization)
    builder = _builder(
        subject, subject, key, key, not_before or TIMELESS_FROM, not_after or TIMELESS_UNTIL,
        _serial(serial, seed), ca=True,
    )
    return Issued(_sign(builder, key), key)


def make_intermediate(
    parent: Issued, name: str, *, key_type: KeyType = "rsa", key_size: int = 2048,
    not_before: datetime | None = None, not_after: datetime | None = None,
    seed: str | None = None, serial: int | None = None, organization: str = "provdesk demo",
) -> Issued:
    """An intermediate CA under ``parent`` (like Apple's iPhone Certification Authority / WWDR)."""
    key = make_key(key_type, key_size=key_size, seed=seed)
    builder = _builder(
        _ca_name(name, organization), parent.cert.subject, key, parent.key,
        not_before or parent.cert.not_valid_before_utc, not_after or parent.cert.not_valid_after_utc,
        _serial(serial, seed), ca=True, path_length=0,
    )
    return Issued(_sign(builder, parent.key), key)


def _leaf_name(common_name: str, team_id: str | None, organization: str | None) -> x509.Name:
    """Apple's developer-certificate subject: UID, CN, OU = team ID, O, C."""
    attributes = []
    if team_id:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, team_id))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if team_id:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, team_id))
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "US"))
    return x509.Name(attributes)


def make_leaf(
    parent: Issued, common_name: str, team_id: str | None = None, *,
    kind: LeafKind = "distribution", not_before: datetime, not_after: datetime,
    key_type: KeyType = "rsa", key_size: int = 2048, organization: str | None = None,
    seed: str | None = None, serial: int | None = None, key: PrivateKey | None = None,
) -> Issued:
    """An end-entity certificate marked as Apple marks it: distribution, development or profile signing.

    ``key`` reuses an existing key (a company renewing its certificate keeps one key), which
    also saves the key generation when a data set issues many certificates.
    """
    leaf_key = key if key is not None else make_key(key_type, key_size=key_size, seed=seed)
    builder = _builder(
        _leaf_name(common_name, team_id, organization), parent.cert.subject, leaf_key, parent.key,
        not_before, not_after, _serial(serial, seed), ca=False,
    ).add_extension(x509.UnrecognizedExtension(_KIND_OID[kind], DER_NULL), critical=False)
    if kind != "profile-signing":
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=True,
        )
    return Issued(_sign(builder, parent.key), leaf_key)


__all__ = [
    "DER_NULL",
    "OID_DEVELOPMENT",
    "OID_DISTRIBUTION",
    "OID_PROFILE_SIGNING",
    "Issued",
    "KeyType",
    "LeafKind",
    "PrivateKey",
    "make_intermediate",
    "make_key",
    "make_leaf",
    "make_root",
]
