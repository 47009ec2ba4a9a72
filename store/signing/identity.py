"""The signing identity: a PKCS#12 file's private key, certificate and chain, held in memory only.

Re-signing needs the distribution key, the one secret provdesk ever touches. It is loaded
from the ``.p12`` bytes with the password the caller read (never from an argument), kept
in this object only, and never written, logged or copied into the store; ``repr`` shows
the certificate, not the key. The certificate is checked the way iOS will check it: a
code-signing certificate with Apple's iPhone Distribution (or Developer) marker, a team ID
in OU, and valid now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from store.errors import ProvdeskError

OID_IPHONE_DEVELOPER = ObjectIdentifier("1.2.840.113635.100.6.1.2")
OID_IPHONE_DISTRIBUTION = ObjectIdentifier("1.2.840.113635.100.6.1.4")
SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class SigningError(ProvdeskError):
    """A re-sign refused before anything was written: a stable code and one line."""


@dataclass(frozen=True)
class Identity:
    """A certificate with its private key and the chain above it (as the ``.p12`` carried it)."""

    certificate: x509.Certificate
    key: SigningKey = field(repr=False)
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def common_name(self) -> str:
        """The leaf's CN ("iPhone Distribution: Test Corp (TEAMID)"): the designated requirement names it."""
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else ""

    @property
    def team_id(self) -> str:
        """The team ID, from the subject's OU as Apple issues it."""
        units = self.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        return str(units[0].value) if units else ""

    @property
    def der(self) -> bytes:
        """The leaf certificate's DER (how a profile's DeveloperCertificates lists it)."""
        return self.certificate.public_bytes(Encoding.DER)


def load_identity(data: bytes, password: bytes) -> Identity:
    """The key and certificates of a PKCS#12 file; ``bad-identity`` for a wrong password or a damaged file."""
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise SigningError(
            "bad-identity",
            "the identity file cannot be opened: wrong password, or not a PKCS#12 file",
        ) from None
    if key is None or certificate is None:
        raise SigningError("bad-identity", "the identity file holds no private key with its certificate")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError("bad-identity", "the identity's key is neither RSA nor EC")
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():  # type: ignore[union-attr]
        raise SigningError("bad-identity", "the identity's key does not belong to its certificate")
    return Identity(certificate, key, tuple(extra))


def _has(certificate: x509.Certificate, oid: ObjectIdentifier) -> bool:
    """Whether the certificate carries the extension ``oid``."""
    return any(ext.oid == oid for ext in certificate.extensions)


def identity_problem(identity: Identity, now: datetime) -> SigningError | None:
    """Why iOS would not accept code signed by this identity today; ``None`` when it would."""
    cert = identity.certificate
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        code_signing = ExtendedKeyUsageOID.CODE_SIGNING in usages
    except x509.ExtensionNotFound:
        code_signing = False
    if not code_signing:
        return SigningError("not-code-signing", "the identity's certificate is not for code signing")
    if not (_has(cert, OID_IPHONE_DISTRIBUTION) or _has(cert, OID_IPHONE_DEVELOPER)):
        return SigningError(
            "not-iphone-certificate",
            "the identity's certificate is neither iPhone Distribution nor iPhone Developer",
        )
    if not identity.team_id:
        return SigningError("no-team-id", "the identity's certificate has no team ID (subject OU)")
    if now < cert.not_valid_before_utc:
        return SigningError(
            "certificate-not-yet-valid",
            f"the identity's certificate is valid only from {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
        )
    if now >= cert.not_valid_after_utc:
        return SigningError(
            "certificate-expired",
            f"the identity's certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}",
        )
    return None


__all__ = ["Identity", "SigningError", "SigningKey", "identity_problem", "load_identity"]
