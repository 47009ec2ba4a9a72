"""X.509 certificates read leniently: the facts an admin needs, and what chain checks need.

Real Apple and developer certificates break the rules (common names over 64 characters,
non-DER sets); cryptography warns or refuses on those, so certificates are read with
asn1crypto, which keeps the original bytes for signature checks and says nothing. Parsed
certificates are cached by their SHA-256 because the same few (Apple's intermediates, a
team's distribution certificate) appear in every profile of a fleet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import core
from asn1crypto import x509 as asn1_x509

from store.errors import ParseError
from store.model import Certificate, CertKind

OID_DEVELOPMENT = "1.2.840.113635.100.6.1.2"
OID_DISTRIBUTION = "1.2.840.113635.100.6.1.4"
OID_MAC_DISTRIBUTION = "1.2.840.113635.100.6.1.7"
OID_MAC_DEVELOPMENT = "1.2.840.113635.100.6.1.12"
_CACHE_LIMIT = 2048


@dataclass(frozen=True)
class ParsedCert:
    """One certificate: its model facts plus the raw pieces signature checks need."""

    der: bytes
    sha256: str
    subject: str
    issuer: str
    serial: int
    tbs: bytes
    signature: bytes
    hash_name: str
    spki: bytes
    key_id: bytes | None
    facts: Certificate

    @property
    def self_issued(self) -> bool:
        """Subject equals issuer: a root (or a self-signed stand-in pretending to be one)."""
        return self.subject == self.issuer

    def valid_at(self, moment: datetime) -> bool:
        """Whether ``moment`` lies inside the certificate's validity period."""
        return self.facts.not_before <= moment <= self.facts.not_after


_cache: dict[str, ParsedCert] = {}


def _first(name: asn1_x509.Name, attribute: str) -> str | None:
    """The first value of ``attribute`` (e.g. ``common_name``) in a distinguished name."""
    for rdn in name.chosen:
        for pair in rdn:
            if pair["type"].native == attribute:
                value = pair["value"].native
                return value if isinstance(value, str) else str(value)
    return None


def _kind(extension_oids: set[str]) -> CertKind:
    """Apple marks a certificate's use with private extensions.

    ``.6.1.4`` (iPhone distribution) and ``.6.1.7`` (Mac App Store) mean distribution;
    ``.6.1.2`` (iPhone development) and ``.6.1.12`` (Mac development, which every "Apple
    Development" certificate carries beside ``.6.1.2``) mean development.
    """
    if OID_DISTRIBUTION in extension_oids or OID_MAC_DISTRIBUTION in extension_oids:
        return "distribution"
    if OID_DEVELOPMENT in extension_oids or OID_MAC_DEVELOPMENT in extension_oids:
        return "development"
    return "unknown"


def _utc(moment: datetime) -> datetime:
    """asn1crypto times are aware; make sure they are UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parse(der: bytes, sha256: str) -> ParsedCert:
    """Read every field now, so that a malformed certificate fails here and not later."""
    cert = asn1_x509.Certificate.load(der)
    tbs = cert["tbs_certificate"]
    subject = tbs["subject"]
    validity = tbs["validity"]
    extensions = tbs["extensions"]
    oids = set() if isinstance(extensions, core.Void) else {ext["extn_id"].dotted for ext in extensions}
    hash_name = cert["signature_algorithm"].hash_algo
    facts = Certificate(
        common_name=_first(subject, "common_name") or "",
        team_id=_first(subject, "organizational_unit_name"),
        serial=tbs["serial_number"].contents.hex().upper(),
        sha1=hashlib.sha1(der).hexdigest().upper(),
        sha256=sha256,
        not_before=_utc(validity["not_before"].native),
        not_after=_utc(validity["not_after"].native),
        kind=_kind(oids),
    )
    return ParsedCert(
        der=der,
        sha256=sha256,
        subject=subject.hashable,
        issuer=tbs["issuer"].hashable,
        serial=int(tbs["serial_number"].native),
        tbs=tbs.dump(),
        signature=bytes(cert["signature_value"].native),
        hash_name=hash_name,
        spki=tbs["subject_public_key_info"].dump(),
        key_id=cert.key_identifier,
        facts=facts,
    )


def parse_certificate(der: bytes) -> ParsedCert:
    """A certificate with the pieces chain checks need; raises ``ParseError('bad-certificate')``."""
    sha256 = hashlib.sha256(der).hexdigest().upper()
    cached = _cache.get(sha256)
    if cached is not None:
        return cached
    try:
        parsed = _parse(bytes(der), sha256)
    except Exception as exc:
        reason = type(exc).__name__
        raise ParseError("bad-certificate", f"a certificate could not be read ({reason})") from None
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[sha256] = parsed
    return parsed


def read_certificate(der: bytes) -> Certificate:
    """The facts of one DER certificate: name, team, serial, fingerprints, dates, Apple kind."""
    return parse_certificate(der).facts
