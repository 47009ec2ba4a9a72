"""CMS SignedData read with a real ASN.1 parser and verified with cryptography's primitives.

A provisioning profile is a plist wrapped in CMS SignedData. Cutting the bytes between
``<?xml`` and ``</plist>`` would accept a decoy plist hidden in an unsigned field and
authenticate nothing, so the content comes only from the encapsulated content, and the
signature is checked the way RFC 5652 says: contentType and messageDigest signed
attributes against the content, CMSAlgorithmProtection (RFC 6211) when present, and the
signature over the signed attributes re-encoded as a DER SET. BER (indefinite lengths,
chunked content) is accepted because Apple's tools emit it. The envelope is walked with
asn1crypto's BER parser (``der.py``); leaves go through asn1crypto's typed classes. DER
files are first walked over offsets (``cmsfast.py``), a mirror of the same steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from asn1crypto import algos, cms

from store.errors import ParseError
from store.formats import cmsfast as fast
from store.formats import crypto
from store.formats.cmsfast import Decline, leaf_integer, leaf_oid, node, primitive_octets, spans, want
from store.formats.der import (
    CONTEXT,
    OCTET_STRING,
    SEQUENCE,
    SET,
    UNIVERSAL,
    Node,
    children,
    expect,
    integer,
    octets,
    oid,
    time,
    whole,
)
from store.formats.x509 import ParsedCert, normalized_name

SIGNED_DATA_OID = "1.2.840.113549.1.7.2"
_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_SIGNING_TIME = "1.2.840.113549.1.9.5"
_PROTECTION = "1.2.840.113549.1.9.52"
_SCHEMES = frozenset({"rsassa_pkcs1v15", "ecdsa"})
_WANTED = frozenset({_CONTENT_TYPE, _MESSAGE_DIGEST, _SIGNING_TIME, _PROTECTION})


@dataclass(frozen=True)
class SignedData:
    """What the signature check needs from one SignedData, read once."""

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
    attr_content_type: str | None
    message_digest: bytes | None
    signing_time: datetime | None
    protection: tuple[str, str] | None


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


def _attributes(attributes: list[Node]) -> dict[str, Node]:
    """The first value of each signed attribute the check uses, by OID; others stay unparsed."""
    values: dict[str, Node] = {}
    for attribute in attributes:
        kind, value_set = children(expect(attribute, UNIVERSAL, SEQUENCE, "attribute"))
        name = oid(kind)
        if name in _WANTED and name not in values:
            items = children(expect(value_set, UNIVERSAL, SET, "attribute values"))
            if items:
                values[name] = items[0]
    return values


def _protection(node: Node) -> tuple[str, str]:
    """CMSAlgorithmProtection: (digest OID, signature OID); the signature one is ``[1] IMPLICIT``."""
    parts = children(expect(node, UNIVERSAL, SEQUENCE, "algorithm protection"))
    digest_oid = oid(children(parts[0])[0])
    signature = next((p for p in parts[1:] if p.is_(CONTEXT, 1)), None)
    return digest_oid, (oid(children(signature)[0]) if signature is not None else "")


def _parse(data: bytes) -> SignedData:
    """Walk ContentInfo -> SignedData -> SignerInfo; any shape problem is a ``ValueError``."""
    content_type, wrapped = children(expect(whole(data), UNIVERSAL, SEQUENCE, "ContentInfo"))[:2]
    if oid(content_type) != SIGNED_DATA_OID:
        raise ParseError("malformed-cms", "the CMS structure is not SignedData")
    signed_data = children(expect(wrapped, CONTEXT, 0, "content"))[0]
    fields = children(expect(signed_data, UNIVERSAL, SEQUENCE, "SignedData"))
    encap = children(expect(fields[2], UNIVERSAL, SEQUENCE, "encapsulated content"))
    content = None
    if len(encap) > 1:
        inner = children(expect(encap[1], CONTEXT, 0, "eContent"))[0]
        content = octets(expect(inner, UNIVERSAL, OCTET_STRING, "eContent"))
    certs = next((f for f in fields[3:-1] if f.is_(CONTEXT, 0)), None)
    infos = children(expect(fields[-1], UNIVERSAL, SET, "signerInfos"))
    parts = children(expect(infos[0], UNIVERSAL, SEQUENCE, "SignerInfo"))
    issuer = serial = key_id = None
    if parts[1].is_(UNIVERSAL, SEQUENCE):
        name, number = children(parts[1])[:2]
        issuer, serial = name.encoded, integer(number)
    else:
        key_id = expect(parts[1], CONTEXT, 0, "subjectKeyIdentifier").contents
    has_attrs = parts[3].is_(CONTEXT, 0)
    attrs_node = parts[3] if has_attrs else None
    algorithm, signature = parts[4:6] if has_attrs else parts[3:5]
    attributes = children(attrs_node) if attrs_node is not None else []
    values = _attributes(attributes)
    signature_oid = oid(children(algorithm)[0])
    return SignedData(
        content=content,
        content_type=oid(encap[0]),
        certificates=tuple(c.encoded for c in children(certs) if c.is_(UNIVERSAL, SEQUENCE)) if certs else (),
        signer_issuer=issuer,
        signer_serial=serial,
        signer_key_id=key_id,
        digest_name=_digest_name(oid(children(parts[2])[0])),
        signature_oid=signature_oid,
        scheme=_scheme(signature_oid),
        signature=octets(expect(signature, UNIVERSAL, OCTET_STRING, "signature")),
        signed_attrs=b"\x31" + attrs_node.encoded[1:] if attrs_node is not None else None,
        attr_elements=tuple(a.encoded for a in attributes),
        attr_content_type=oid(values[_CONTENT_TYPE]) if _CONTENT_TYPE in values else None,
        message_digest=octets(values[_MESSAGE_DIGEST]) if _MESSAGE_DIGEST in values else None,
        signing_time=time(values[_SIGNING_TIME]) if _SIGNING_TIME in values else None,
        protection=_protection(values[_PROTECTION]) if _PROTECTION in values else None,
    )


def _parse_spans(data: bytes) -> SignedData:
    """:func:`_parse` step for step over offsets (``cmsfast.py``); raises where it does not follow."""
    (top,) = spans(data, (0x20, 0, 0, len(data)))  # exactly one value, as ``whole`` requires
    content_type, wrapped = spans(data, want(top, fast.SEQUENCE))[:2]
    if leaf_oid(data, content_type) != SIGNED_DATA_OID:
        raise Decline
    signed_data = spans(data, want(wrapped, fast.CONTEXT_0))[0]
    fields = spans(data, want(signed_data, fast.SEQUENCE))
    encap = spans(data, want(fields[2], fast.SEQUENCE))
    content = None
    if len(encap) > 1:
        content = primitive_octets(data, spans(data, want(encap[1], fast.CONTEXT_0))[0])
    certs = next((f for f in fields[3:-1] if f[0] & 0xDF == fast.CONTEXT_0), None)
    infos = spans(data, want(fields[-1], fast.SET))
    parts = spans(data, want(infos[0], fast.SEQUENCE))
    issuer = serial = key_id = None
    if parts[1][0] & 0xDF == fast.SEQUENCE:
        name, number = spans(data, parts[1])[:2]
        issuer, serial = data[name[1] : name[3]], leaf_integer(data, number)
    else:
        key_span = want(parts[1], fast.CONTEXT_0)
        key_id = data[key_span[2] : key_span[3]]
    attrs = parts[3] if parts[3][0] & 0xDF == fast.CONTEXT_0 else None
    algorithm, signature = parts[4:6] if attrs is not None else parts[3:5]
    attributes = spans(data, attrs) if attrs is not None else []
    values: dict[str, Node] = {}
    for attribute in attributes:
        kind, value_set = spans(data, want(attribute, fast.SEQUENCE))
        attribute_oid = leaf_oid(data, kind)
        if attribute_oid in _WANTED and attribute_oid not in values:
            items = spans(data, want(value_set, fast.SET))
            if items:
                values[attribute_oid] = node(data, items[0])
    signature_oid = leaf_oid(data, spans(data, algorithm)[0])
    return SignedData(
        content=content,
        content_type=leaf_oid(data, encap[0]),
        certificates=tuple(data[c[1] : c[3]] for c in spans(data, certs) if c[0] & 0xDF == fast.SEQUENCE)
        if certs is not None
        else (),
        signer_issuer=issuer,
        signer_serial=serial,
        signer_key_id=key_id,
        digest_name=_digest_name(leaf_oid(data, spans(data, parts[2])[0])),
        signature_oid=signature_oid,
        scheme=_scheme(signature_oid),
        signature=primitive_octets(data, signature),
        signed_attrs=b"\x31" + data[attrs[1] + 1 : attrs[3]] if attrs is not None else None,
        attr_elements=tuple(data[a[1] : a[3]] for a in attributes),
        attr_content_type=oid(values[_CONTENT_TYPE]) if _CONTENT_TYPE in values else None,
        message_digest=octets(values[_MESSAGE_DIGEST]) if _MESSAGE_DIGEST in values else None,
        signing_time=time(values[_SIGNING_TIME]) if _SIGNING_TIME in values else None,
        protection=_protection(values[_PROTECTION]) if _PROTECTION in values else None,
    )


def parse_signed_data(data: bytes) -> SignedData:
    """Parse DER or BER CMS SignedData; any structural problem is ``ParseError('malformed-cms')``.

    Definite-length DER goes through the copy-free mirror (:func:`_parse_spans`); whatever
    it does not follow, including every damaged file, is decided by the node walk.
    """
    try:
        return _parse_spans(data)
    except Exception:
        pass
    try:
        return _parse(data)
    except ParseError:
        raise
    except Exception:
        raise ParseError("malformed-cms", "the signed (CMS) structure is damaged or truncated") from None


@lru_cache(maxsize=256)
def _normalized(name_der: bytes) -> str:
    """A distinguished name compared as X.509 says (case and space folding), for odd encodings."""
    return normalized_name(name_der)


def find_signer(signed: SignedData, certificates: Sequence[ParsedCert]) -> ParsedCert | None:
    """The certificate the SignerInfo names (issuer and serial, or key id), never "the first one"."""
    for cert in certificates:
        if signed.signer_key_id is not None:
            if cert.key_id == signed.signer_key_id:
                return cert
        elif cert.serial == signed.signer_serial and signed.signer_issuer is not None and (
            cert.issuer_der == signed.signer_issuer or cert.issuer == _normalized(signed.signer_issuer)
        ):
            return cert
    return None


def _der_attrs(signed: SignedData) -> bytes:
    """The signed attributes as strict DER (each re-encoded, SET OF sorted), for BER senders."""
    elements = sorted(bytes(cms.CMSAttribute.load(e).dump(force=True)) for e in signed.attr_elements)
    body = b"".join(elements)
    size = len(body)
    if size < 0x80:
        return b"\x31" + bytes([size]) + body
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return b"\x31" + bytes([0x80 | len(raw)]) + raw + body


_DIGEST_OIDS = {
    "sha1": "1.3.14.3.2.26",
    "sha224": "2.16.840.1.101.3.4.2.4",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}


def verify_signed_data(signed: SignedData, signer: ParsedCert) -> bool:
    """Whether the content is exactly what ``signer`` signed (RFC 5652 sections 5.4 and 5.6)."""
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
    if signed.protection is not None and signed.protection != (
        _DIGEST_OIDS.get(signed.digest_name), signed.signature_oid
    ):
        return False
    if crypto.verify(signer.spki, signed.signature, signed.signed_attrs, signed.digest_name):
        return True
    try:
        strict = _der_attrs(signed)
    except ValueError:  # attributes asn1crypto cannot re-encode were not signed as DER either
        return False
    if strict == signed.signed_attrs:
        return False
    return crypto.verify(signer.spki, signed.signature, strict, signed.digest_name)
