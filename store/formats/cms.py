"""CMS SignedData read with a real ASN.1 parser and verified with cryptography's primitives.

A provisioning profile is a plist wrapped in CMS SignedData. Cutting the bytes between
``<?xml`` and ``</plist>`` would accept a decoy plist hidden in an unsigned field and
authenticate nothing, so the content comes only from the encapsulated content, and the
signature is checked the way RFC 5652 says: contentType and messageDigest signed
attributes against the content, CMSAlgorithmProtection when present, and the signature over
the signed attributes re-encoded as a DER SET. BER (indefinite lengths, chunked content)
is accepted because Apple's tools emit it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, core

from store.errors import ParseError
from store.formats import crypto
from store.formats.x509 import ParsedCert

_SCHEMES = frozenset({"rsassa_pkcs1v15", "ecdsa"})


@dataclass(frozen=True)
class SignedData:
    """What the signature check needs from one SignedData, read once."""

    content: bytes | None
    content_type: str
    certificates: tuple[bytes, ...]
    signer_issuer: str | None
    signer_serial: int | None
    signer_key_id: bytes | None
    digest_name: str
    signature_oid: str
    scheme: str
    signature: bytes
    signed_attrs: bytes | None
    attrs: Any
    attr_content_type: str | None
    message_digest: bytes | None
    signing_time: datetime | None
    protection: tuple[str, str] | None


_WANTED = frozenset({"content_type", "message_digest", "signing_time", "cms_algorithm_protection"})


def _attribute_values(attrs: Any) -> dict[str, Any]:
    """The first value of each signed attribute the check uses; others are never parsed.

    Some signers add attributes (e.g. Microsoft's encryption-key preference) whose content
    asn1crypto's schema rejects; they are covered by the signature but irrelevant here.
    """
    values: dict[str, Any] = {}
    for attr in attrs:
        name = attr["type"].native
        if name in _WANTED and name not in values:
            values[name] = attr["values"][0] if len(attr["values"]) else None
    return values


def _parse(data: bytes) -> SignedData:
    """Read every field the check needs now, so a malformed structure fails in one place."""
    info = cms.ContentInfo.load(data, strict=True)
    if info["content_type"].native != "signed_data":
        raise ParseError("malformed-cms", "the CMS structure is not SignedData")
    signed = info["content"]
    signer = signed["signer_infos"][0]
    encap = signed["encap_content_info"]
    raw_content = encap["content"]
    content = None if raw_content.native is None else bytes(raw_content.native)
    sid = signer["sid"]
    issuer = serial = key_id = None
    if sid.name == "issuer_and_serial_number":
        issuer = sid.chosen["issuer"].hashable
        serial = int(sid.chosen["serial_number"].native)
    else:
        key_id = bytes(sid.chosen.native)
    attrs = signer["signed_attrs"]
    has_attrs = not isinstance(attrs, core.Void) and len(attrs) > 0
    values = _attribute_values(attrs) if has_attrs else {}
    protection = values.get("cms_algorithm_protection")
    time = values.get("signing_time")
    content_type = values.get("content_type")
    message_digest = values.get("message_digest")
    certs = signed["certificates"]
    return SignedData(
        content=content,
        content_type=encap["content_type"].dotted,
        certificates=tuple(c.chosen.dump() for c in certs if c.name == "certificate")
        if not isinstance(certs, core.Void)
        else (),
        signer_issuer=issuer,
        signer_serial=serial,
        signer_key_id=key_id,
        digest_name=signer["digest_algorithm"]["algorithm"].native,
        signature_oid=signer["signature_algorithm"]["algorithm"].dotted,
        scheme=signer["signature_algorithm"].signature_algo,
        signature=bytes(signer["signature"].native),
        signed_attrs=(b"\x31" + attrs.dump()[1:]) if has_attrs else None,
        attrs=attrs if has_attrs else None,
        attr_content_type=None if content_type is None else content_type.dotted,
        message_digest=None if message_digest is None else bytes(message_digest.native),
        signing_time=None if time is None else time.native.astimezone(UTC),
        protection=None if protection is None else (
            protection["digest_algorithm"]["algorithm"].dotted,
            protection["signature_algorithm"]["algorithm"].dotted,
        ),
    )


def parse_signed_data(data: bytes) -> SignedData:
    """Parse DER or BER CMS SignedData; any structural problem is ``ParseError('malformed-cms')``."""
    try:
        return _parse(data)
    except ParseError:
        raise
    except Exception as exc:
        reason = type(exc).__name__
        raise ParseError("malformed-cms", f"the CMS signature structure is damaged ({reason})") from None


def find_signer(signed: SignedData, certificates: Sequence[ParsedCert]) -> ParsedCert | None:
    """The certificate the SignerInfo names (issuer and serial, or key id), never "the first one"."""
    for cert in certificates:
        if signed.signer_key_id is not None:
            if cert.key_id == signed.signer_key_id:
                return cert
        elif cert.serial == signed.signer_serial and cert.issuer == signed.signer_issuer:
            return cert
    return None


def _der_attrs(signed: SignedData) -> bytes:
    """The signed attributes as strict DER (sorted SET OF), for files that sent them as BER."""
    elements = sorted(attr.dump(force=True) for attr in signed.attrs)
    body = b"".join(elements)
    size = len(body)
    length = bytes([size]) if size < 0x80 else bytes([0x80 | ((size.bit_length() + 7) // 8)]) + size.to_bytes(
        (size.bit_length() + 7) // 8, "big"
    )
    return b"\x31" + length + body


def verify_signed_data(signed: SignedData, signer: ParsedCert) -> bool:
    """Whether the content is exactly what ``signer`` signed (RFC 5652 section 5.4 and 5.6)."""
    if signed.content is None or signed.scheme not in _SCHEMES:
        return False
    if signed.digest_name not in crypto.SUPPORTED_DIGESTS:
        return False
    if signed.signed_attrs is None:
        return crypto.verify(signer.spki, signed.signature, signed.content, signed.digest_name)
    if signed.attr_content_type != signed.content_type or signed.message_digest is None:
        return False
    if signed.message_digest != crypto.digest(signed.digest_name, signed.content):
        return False
    if signed.protection is not None and not _protection_matches(signed):
        return False
    if crypto.verify(signer.spki, signed.signature, signed.signed_attrs, signed.digest_name):
        return True
    strict = _der_attrs(signed)
    if strict == signed.signed_attrs:
        return False
    return crypto.verify(signer.spki, signed.signature, strict, signed.digest_name)


_DIGEST_OIDS = {
    "sha1": "1.3.14.3.2.26",
    "sha224": "2.16.840.1.101.3.4.2.4",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}


def _protection_matches(signed: SignedData) -> bool:
    """CMSAlgorithmProtection (RFC 6211) must name the same digest and signature algorithms."""
    assert signed.protection is not None
    digest_oid, signature_oid = signed.protection
    return digest_oid == _DIGEST_OIDS.get(signed.digest_name) and signature_oid == signed.signature_oid
