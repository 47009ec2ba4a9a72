"""CMS SignedData read with asn1crypto and verified with cryptography's primitives.

A provisioning profile is a plist wrapped in CMS SignedData; a code signature is a CMS
signature detached from the CodeDirectory it signs. Cutting the bytes between ``<?xml``
and ``</plist>`` would accept a decoy plist hidden in an unsigned field and authenticate
nothing, so a profile's content comes only from the encapsulated content, and the
signature is checked the way RFC 5652 says: contentType and messageDigest signed
attributes against the content, CMSAlgorithmProtection (RFC 6211) when present, and the
signature over the signed attributes re-encoded as a DER SET. BER (indefinite lengths,
chunked content) is accepted because Apple's tools emit it.

asn1crypto parses lazily, so a damaged file can fail deep inside ``.native`` or
``dump()`` with any exception type. Every field is therefore read into plain bytes,
strings and integers inside :func:`parse_signed_data`, where any failure becomes one
``ParseError``, and the one step that goes back to asn1crypto later (re-encoding the
attributes as strict DER) turns any failure into "does not verify".

The structure is loaded with a lean spec of RFC 5652's layout in asn1crypto's own types:
only the fields read are typed. asn1crypto's ``cms`` classes also type every signed
attribute's values by OID (S/MIME capabilities, key preferences) on the way to the three a
signature check needs, which cost a third of reading a profile. Here the signed attributes
stay encoded, split by :mod:`store.formats.asn1parts`, and only contentType,
messageDigest, signingTime and CMSAlgorithmProtection are loaded as their types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, ClassVar

from asn1crypto import algos, cms, core

from store.errors import ParseError
from store.formats import crypto
from store.formats.asn1parts import SEQUENCE, SET, children, elements, object_identifier
from store.formats.certfields import dotted, oid
from store.formats.x509 import ParsedCert, normalized_name

SIGNED_DATA_OID = "1.2.840.113549.1.7.2"
CONTENT_TYPE = "1.2.840.113549.1.9.3"
MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
SIGNING_TIME = "1.2.840.113549.1.9.5"
ALGORITHM_PROTECTION = "1.2.840.113549.1.9.52"
MAX_CERTIFICATES = 32  # real profiles and code signatures carry 2 to 4; each one costs a parse
MAX_ATTRIBUTES = 64  # real signers write 3 to 6 signed attributes
MAX_VALUES = 64  # per attribute; real ones hold one
_SCHEMES = frozenset({"rsassa_pkcs1v15", "ecdsa"})
_DIGEST_OIDS = {
    "sha1": "1.3.14.3.2.26",
    "sha224": "2.16.840.1.101.3.4.2.4",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}


@dataclass(frozen=True)
class SignedData:
    """What a signature check needs from one SignedData, read once into plain values.

    ``attributes`` maps each signed attribute's OID to the DER of each of its values, so
    a caller can read the attributes this module does not know (Apple's ``cdhashes``).
    """

    content: bytes | None
    content_type: str
    certificates: tuple[bytes, ...]
    signer_issuer: bytes | None
    signer_serial: int | None
    signer_key_id: bytes | None
    digest_name: str
    signature_oid: str
    scheme: str
    signature: bytes
    signed_attrs: bytes | None
    attr_elements: tuple[bytes, ...]
    attributes: Mapping[str, tuple[bytes, ...]]
    attr_content_type: str | None
    message_digest: bytes | None
    signing_time: datetime | None
    protection: tuple[str, str] | None


class _AlgorithmIdentifier(core.Sequence):  # type: ignore[misc]
    """An algorithm OID, its parameters left unread."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", core.ObjectIdentifier), ("parameters", core.Any, {"optional": True}),
    ]


class _EncodedSet(core.SetOf):  # type: ignore[misc]
    """A SET OF read only as its contents (split by ``asn1parts``, never typed): signed
    attributes, certificate choices."""

    _child_spec = core.Any


class _EncodedSequence(core.Sequence):  # type: ignore[misc]
    """A SEQUENCE kept as its encoding (a name: compared as bytes, or by ``x509``'s rules)."""

    _fields: ClassVar[list[tuple[Any, ...]]] = []


class _IssuerAndSerial(core.Sequence):  # type: ignore[misc]
    """A signer named by its issuer (kept encoded) and serial number."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [("issuer", _EncodedSequence), ("serial_number", core.Integer)]


class _Protection(core.Sequence):  # type: ignore[misc]
    """CMSAlgorithmProtection (RFC 6211) with both algorithms' parameters left unread."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("digest_algorithm", _AlgorithmIdentifier),
        ("signature_algorithm", _AlgorithmIdentifier, {"implicit": 1, "optional": True}),
        ("mac_algorithm", _AlgorithmIdentifier, {"implicit": 2, "optional": True}),
    ]


class _SignerId(core.Choice):  # type: ignore[misc]
    """SignerIdentifier: issuer and serial, or a subject key identifier."""

    _alternatives: ClassVar[list[tuple[Any, ...]]] = [
        ("issuer_and_serial_number", _IssuerAndSerial),
        ("subject_key_identifier", core.OctetString, {"implicit": 0}),
    ]


class _SignerInfo(core.Sequence):  # type: ignore[misc]
    """SignerInfo (RFC 5652 section 5.3)."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("version", core.Integer),
        ("sid", _SignerId),
        ("digest_algorithm", _AlgorithmIdentifier),
        ("signed_attrs", _EncodedSet, {"implicit": 0, "optional": True}),
        ("signature_algorithm", _AlgorithmIdentifier),
        ("signature", core.OctetString),
        ("unsigned_attrs", _EncodedSet, {"implicit": 1, "optional": True}),
    ]


class _SignerInfos(core.SetOf):  # type: ignore[misc]
    """The SignerInfos of a SignedData."""

    _child_spec = _SignerInfo


class _SignedData(core.Sequence):  # type: ignore[misc]
    """SignedData (RFC 5652 section 5.1); content and certificates keep asn1crypto's types."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("version", core.Integer),
        ("digest_algorithms", core.Any),
        ("encap_content_info", cms.EncapsulatedContentInfo),
        ("certificates", _EncodedSet, {"implicit": 0, "optional": True}),
        ("crls", cms.RevocationInfoChoices, {"implicit": 1, "optional": True}),
        ("signer_infos", _SignerInfos),
    ]


class _ContentInfo(core.Sequence):  # type: ignore[misc]
    """ContentInfo holding SignedData (its type is checked before the content is read)."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("content_type", core.ObjectIdentifier), ("content", _SignedData, {"explicit": 0}),
    ]


@lru_cache(maxsize=64)
def _scheme(signature_oid: str) -> str:
    """RSA PKCS#1 v1.5 or ECDSA, whichever way the algorithm identifier spells it."""
    name = str(algos.SignedDigestAlgorithmId.map(signature_oid))
    if name == "rsassa_pkcs1v15" or name.endswith("_rsa"):
        return "rsassa_pkcs1v15"
    if name == "ecdsa" or name.endswith("_ecdsa"):
        return "ecdsa"
    return name


@lru_cache(maxsize=64)
def _digest_name(digest_oid: str) -> str:
    """A digest algorithm's name as asn1crypto spells it (``sha1``), or the OID when unknown."""
    return str(algos.DigestAlgorithmId.map(digest_oid))


def _absent(value: Any) -> bool:
    """Whether an optional field is missing (asn1crypto gives a ``Void`` in its place)."""
    return isinstance(value, core.Void)


def _time(value: Any) -> datetime:
    """A signing time as aware UTC (asn1crypto gives aware datetimes for both time types)."""
    moment: datetime = value.native
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _protection(value: Any) -> tuple[str, str]:
    """CMSAlgorithmProtection: (digest OID, signature OID or "" when the optional field is absent)."""
    signature = value["signature_algorithm"]
    signature_oid = "" if _absent(signature) else oid(signature["algorithm"])
    return oid(value["digest_algorithm"]["algorithm"]), signature_oid


def _attributes(signed_attrs: Any) -> tuple[tuple[bytes, ...], dict[str, tuple[bytes, ...]]]:
    """Each attribute's encoding, and each value's encoding by OID (the first attribute of a type wins)."""
    whole = tuple(elements(signed_attrs.contents, MAX_ATTRIBUTES))
    raw: dict[str, tuple[bytes, ...]] = {}
    for attribute in whole:
        kind, values = children(attribute, SEQUENCE, 2)
        name = dotted(object_identifier(kind))
        if name not in raw:
            raw[name] = tuple(children(values, SET, MAX_VALUES))
    return whole, raw


def _first(raw: Mapping[str, tuple[bytes, ...]], name: str, spec: Any) -> Any:
    """The first value of attribute ``name`` read as ``spec``; ``None`` when absent or empty."""
    values = raw.get(name)
    return spec.load(values[0], strict=True) if values else None


def _signer_id(info: Any) -> tuple[bytes | None, int | None, bytes | None]:
    """(issuer DER, serial) or the subject key identifier the SignerInfo names its signer by."""
    sid = info["sid"]
    if sid.name == "issuer_and_serial_number":
        return sid.chosen["issuer"].dump(), int(sid.chosen["serial_number"].native), None
    return None, None, bytes(sid.chosen.native)


def _certificates(signed: Any) -> tuple[bytes, ...]:
    """The DER of each X.509 certificate the SignedData carries (other choices are skipped).

    An X.509 certificate is the one CertificateChoices alternative that is a plain
    SEQUENCE; the others (extended, attribute and other certificates) are context-tagged.
    """
    choices = signed["certificates"]
    if _absent(choices):
        return ()
    encoded = elements(choices.contents, MAX_CERTIFICATES)
    return tuple(der for der in encoded if der[:1] == b"\x30")


def _signed_data(data: bytes) -> Any:
    """ContentInfo -> SignedData, still lazy."""
    info = _ContentInfo.load(data, strict=True)  # strict: trailing bytes could hide a decoy
    if oid(info["content_type"]) != SIGNED_DATA_OID:
        raise ParseError("malformed-cms", "the CMS structure is not SignedData")
    return info["content"]


def _read(data: bytes) -> SignedData:
    """ContentInfo -> SignedData -> the first SignerInfo, every field forced now."""
    signed = _signed_data(data)
    encap = signed["encap_content_info"]
    content = encap["content"]
    signer = signed["signer_infos"][0]
    issuer, serial, key_id = _signer_id(signer)
    attrs = signer["signed_attrs"]
    has_attrs = not _absent(attrs)
    whole, raw = _attributes(attrs) if has_attrs else ((), {})
    content_type = _first(raw, CONTENT_TYPE, core.ObjectIdentifier)
    message_digest = _first(raw, MESSAGE_DIGEST, core.OctetString)
    signing_time = _first(raw, SIGNING_TIME, cms.Time)
    protection = _first(raw, ALGORITHM_PROTECTION, _Protection)
    signature_oid = oid(signer["signature_algorithm"]["algorithm"])
    return SignedData(
        content=None if _absent(content) else bytes(content.native),
        content_type=oid(encap["content_type"]),
        certificates=_certificates(signed),
        signer_issuer=issuer,
        signer_serial=serial,
        signer_key_id=key_id,
        digest_name=_digest_name(oid(signer["digest_algorithm"]["algorithm"])),
        signature_oid=signature_oid,
        scheme=_scheme(signature_oid),
        signature=bytes(signer["signature"].native),
        signed_attrs=b"\x31" + attrs.dump()[1:] if has_attrs else None,
        attr_elements=whole,
        attributes=raw,
        attr_content_type=None if content_type is None else oid(content_type),
        message_digest=None if message_digest is None else bytes(message_digest.native),
        signing_time=None if signing_time is None else _time(signing_time),
        protection=None if protection is None else _protection(protection),
    )


_DAMAGED = "the signed (CMS) structure is damaged or truncated"


def parse_signed_data(data: bytes) -> SignedData:
    """Parse DER or BER CMS SignedData; any structural problem is ``ParseError('malformed-cms')``."""
    try:
        return _read(data)
    except ParseError:
        raise
    except Exception:  # asn1crypto's lazy parse fails with any type (ValueError, TypeError, ...)
        raise ParseError("malformed-cms", _DAMAGED) from None


def signed_content(data: bytes) -> bytes | None:
    """Only the content a SignedData carries (``None`` when detached), nothing else read.

    For a caller that needs what a file says, not who signed it: the integrity check reads
    an embedded profile's grants, whose signature is the profile reader's to judge.
    Damage on the way to the content is ``ParseError('malformed-cms')``.
    """
    try:
        content = _signed_data(data)["encap_content_info"]["content"]
        return None if _absent(content) else bytes(content.native)
    except ParseError:
        raise
    except Exception:  # asn1crypto's lazy parse fails with any type (ValueError, TypeError, ...)
        raise ParseError("malformed-cms", _DAMAGED) from None


@lru_cache(maxsize=256)
def _normalized(name_der: bytes) -> str:
    """A distinguished name compared as X.509 says (case and space folding), for odd encodings."""
    return normalized_name(name_der)


def find_signer(signed: SignedData, pool: Sequence[ParsedCert]) -> ParsedCert | None:
    """The certificate the SignerInfo names (issuer and serial, or key id), never "the first one"."""
    for cert in pool:
        if signed.signer_key_id is not None:
            if cert.key_id == signed.signer_key_id:
                return cert
        elif cert.serial == signed.signer_serial and signed.signer_issuer is not None and (
            cert.issuer_der == signed.signer_issuer or cert.issuer == _normalized(signed.signer_issuer)
        ):
            return cert
    return None


def _der_attrs(signed: SignedData) -> bytes | None:
    """The signed attributes as strict DER (each re-encoded, SET OF sorted), for BER senders.

    ``None`` when asn1crypto cannot re-encode them: such attributes were not signed as DER either.
    """
    try:
        elements = sorted(bytes(cms.CMSAttribute.load(e).dump(force=True)) for e in signed.attr_elements)
        return bytes(cms.CMSAttributes([cms.CMSAttribute.load(e) for e in elements]).dump(force=True))
    except Exception:  # the lazy re-encoding fails with AttributeError, TypeError, ValueError...
        return None


def verify_signed_data(signed: SignedData, signer: ParsedCert, content: bytes | None = None) -> bool:
    """Whether ``signer`` signed the content (RFC 5652 sections 5.4 and 5.6).

    ``content`` is the detached content (a code signature's CodeDirectory), checked against
    messageDigest; ``None`` means the encapsulated content, as in a profile.
    """
    data = content if content is not None else signed.content
    if data is None or signed.scheme not in _SCHEMES or signed.digest_name not in crypto.SUPPORTED_DIGESTS:
        return False
    if signed.signed_attrs is None:
        return crypto.verify(signer.spki, signed.signature, data, signed.digest_name)
    if signed.attr_content_type != signed.content_type or signed.message_digest is None:
        return False
    if signed.message_digest != crypto.digest(signed.digest_name, data):
        return False
    if signed.protection is not None and signed.protection != (
        _DIGEST_OIDS.get(signed.digest_name), signed.signature_oid
    ):
        return False
    if crypto.verify(signer.spki, signed.signature, signed.signed_attrs, signed.digest_name):
        return True
    strict = _der_attrs(signed)
    if strict is None or strict == signed.signed_attrs:
        return False
    return crypto.verify(signer.spki, signed.signature, strict, signed.digest_name)
