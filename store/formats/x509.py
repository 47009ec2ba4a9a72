"""X.509 certificates read leniently: the facts an admin needs, and what chain checks need.

Real Apple and developer certificates break the rules (common names over 64 characters,
non-DER sets); cryptography warns or refuses on those, so certificates are read with
asn1crypto (``certfields.py``), which keeps the original bytes for signature checks and
says nothing. Parsed certificates are cached by their DER because the same few (Apple's intermediates, a
team's distribution certificate) appear in every profile of a fleet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from asn1crypto import x509 as asn1_x509

from store.errors import ParseError
from store.formats.certfields import certificate_fields
from store.model import Certificate, CertKind

OID_DEVELOPMENT = "1.2.840.113635.100.6.1.2"
OID_DISTRIBUTION = "1.2.840.113635.100.6.1.4"
OID_MAC_DISTRIBUTION = "1.2.840.113635.100.6.1.7"
OID_MAC_DEVELOPMENT = "1.2.840.113635.100.6.1.12"
_CACHE_LIMIT = 2048
_KEPT_LIMIT = 256


@dataclass(frozen=True)
class ParsedCert:
    """One certificate: its model facts plus the raw pieces signature checks need."""

    der: bytes
    sha256: str
    subject_der: bytes
    issuer_der: bytes
    serial: int
    tbs: bytes
    signature: bytes
    hash_name: str
    spki: bytes
    key_id: bytes | None
    facts: Certificate

    @cached_property
    def subject_name(self) -> asn1_x509.Name | None:
        """The subject as asn1crypto's ``Name`` (``None`` if unreadable), loaded once; each value
        is folded (and kept) only when a comparison reaches it."""
        return _load_name(self.subject_der)

    @cached_property
    def issuer_name(self) -> asn1_x509.Name | None:
        """The issuer, as :attr:`subject_name`."""
        return _load_name(self.issuer_der)

    @cached_property
    def subject(self) -> str:
        """The subject in X.509's comparison form (case and space folded)."""
        return _comparison_form(self.subject_name, self.subject_der)

    @cached_property
    def issuer(self) -> str:
        """The issuer, normalized like :attr:`subject`."""
        return _comparison_form(self.issuer_name, self.issuer_der)

    def names_issuer_of(self, child: ParsedCert) -> bool:
        """Whether this certificate's subject is ``child``'s issuer: the bytes first, then X.509's
        comparison, which stops at the first RDN count, type or value that differs (an Apple
        leaf's subject has five RDNs, its issuer four: telling them apart folds no value)."""
        if self.subject_der == child.issuer_der:
            return True
        key = (self.subject_der, child.issuer_der)
        known = _same_names.get(key)
        if known is None:
            known = same_name(self.subject_name, child.issuer_name)
            if len(_same_names) >= _CACHE_LIMIT:
                _same_names.clear()
            _same_names[key] = known
        return known

    @property
    def self_issued(self) -> bool:
        """Subject equals issuer: a root (or a self-signed stand-in pretending to be one)."""
        return self.names_issuer_of(self)

    def valid_at(self, moment: datetime) -> bool:
        """Whether ``moment`` lies inside the certificate's validity period."""
        return self.facts.not_before <= moment <= self.facts.not_after


_cache: dict[bytes, ParsedCert] = {}
_kept: dict[bytes, ParsedCert] = {}
# Whether two DER names are equal as X.509 compares them, by the pair of encodings: every
# code item and slice of an app, and every profile of a team, walks the same few names.
_same_names: dict[tuple[bytes, bytes], bool] = {}


def _load_name(name_der: bytes) -> asn1_x509.Name | None:
    """A DER name as asn1crypto's ``Name``, or ``None`` when even its outer structure is damaged."""
    try:
        return asn1_x509.Name.load(name_der)
    except Exception:
        return None


def _comparison_form(name: asn1_x509.Name | None, name_der: bytes) -> str:
    """A distinguished name in X.509's comparison form; an unreadable one only equals itself."""
    try:
        if name is not None:
            return str(name.hashable)
    except Exception:  # asn1crypto parses lazily: damage surfaces here as any error
        pass
    return "\x00unreadable:" + name_der.hex()


def normalized_name(name_der: bytes) -> str:
    """A distinguished name (DER) in X.509's comparison form; an unreadable one only equals itself."""
    return _comparison_form(_load_name(name_der), name_der)


def same_name(a: asn1_x509.Name | None, b: asn1_x509.Name | None) -> bool:
    """Whether two names are equal as RFC 5280 §7.1 compares them (asn1crypto's ``==``: the RDN
    count, then RDN by RDN, types before values); an unreadable name equals no other."""
    if a is None or b is None:
        return False
    try:
        return bool(a == b)
    except Exception:  # asn1crypto parses lazily: damage surfaces here as any error
        return False


def _kind(extension_oids: frozenset[str]) -> CertKind:
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


def _parse(der: bytes, sha256: str) -> ParsedCert:
    """Read every field now, so that a malformed certificate fails here and not later."""
    fields = certificate_fields(der)
    facts = Certificate(
        common_name=fields.common_name or "",
        team_id=fields.team_id,
        serial=fields.serial_hex,
        sha1=hashlib.sha1(der).hexdigest().upper(),
        sha256=sha256,
        not_before=fields.not_before,
        not_after=fields.not_after,
        kind=_kind(fields.extension_oids),
    )
    return ParsedCert(
        der=der,
        sha256=sha256,
        subject_der=fields.subject_der,
        issuer_der=fields.issuer_der,
        serial=fields.serial,
        tbs=fields.tbs,
        signature=fields.signature,
        hash_name=fields.hash_name,
        spki=fields.spki,
        key_id=fields.key_id,
        facts=facts,
    )


def parse_certificate(der: bytes) -> ParsedCert:
    """A certificate with the pieces chain checks need; raises ``ParseError('bad-certificate')``.

    The cache is keyed by the DER itself: looking up the bytes costs less than hashing them
    with SHA-256, and every profile of a fleet repeats the same CMS certificates. A trust
    anchor (:func:`keep_certificate`) is found as the very object the chain check holds, so
    Apple's root, which most signatures carry, is never parsed again.
    """
    key = bytes(der)
    cached = _cache.get(key) or _kept.get(key)
    if cached is not None:
        return cached
    sha256 = hashlib.sha256(key).hexdigest().upper()
    try:
        parsed = _parse(key, sha256)
    except Exception:
        raise ParseError("bad-certificate", "a certificate is damaged and cannot be read") from None
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[key] = parsed
    return parsed


def keep_certificate(der: bytes) -> ParsedCert:
    """Parse a trust anchor once per process and keep it (:func:`clear_cache` forgets what files
    carried, not the anchors the process trusts); beyond a few hundred, it is only parsed."""
    parsed = parse_certificate(der)
    if len(_kept) < _KEPT_LIMIT:
        _kept.setdefault(parsed.der, parsed)
    return _kept.get(parsed.der, parsed)


def clear_cache() -> None:
    """Forget parsed certificates (benchmarks measure cold parsing; memory stays bounded anyway)."""
    _cache.clear()


def read_certificate(der: bytes) -> Certificate:
    """The facts of one DER certificate: name, team, serial, fingerprints, dates, Apple kind."""
    return parse_certificate(der).facts
