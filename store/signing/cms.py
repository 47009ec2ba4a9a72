"""CMS SignedData assembled with asn1crypto and signed with cryptography.

cryptography's ``PKCS7SignatureBuilder`` cannot add custom signed attributes, and a code
signature needs two: Apple's ``cdhashes`` plist (1.2.840.113635.100.9.1) and the
hash-agility list (100.9.2), which bind the alternate CodeDirectories to the one the CMS
signs. So SignedData is built here by hand from asn1crypto's types, and only the
signature over the signed attributes is computed by cryptography (RSA PKCS#1 v1.5 or
ECDSA). The demo's profile signer uses the same assembly.
"""

from __future__ import annotations

import plistlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from store.formats.codesign.signature import AGILITY_OID, CDHASHES_OID, AgileHash
from store.signing.blobs import HASH_NAMES

Digest = Literal["sha256", "sha1"]
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"sha256": hashes.SHA256, "sha1": hashes.SHA1}


def _time(moment: datetime) -> cms.Time:
    """UTCTime until 2049, GeneralizedTime after, as RFC 5652 requires."""
    moment = moment.astimezone(UTC)
    if 1950 <= moment.year < 2050:
        return cms.Time({"utc_time": moment})
    return cms.Time({"general_time": moment})


def _raw_signature(key: Any, data: bytes, digest: Digest) -> bytes:
    """Sign the DER of the signed attributes: RSA PKCS#1 v1.5 or deterministic ECDSA."""
    algorithm = _HASHES[digest]()
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), algorithm)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(algorithm, deterministic_signing=True))
    raise TypeError("only RSA and EC keys can sign")


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """A cryptography certificate as asn1crypto's type."""
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def custom_attribute(oid: str, values: Sequence[core.Asn1Value]) -> cms.CMSAttribute:
    """A signed attribute asn1crypto has no name for, with DER values."""
    return cms.CMSAttribute({"type": oid, "values": [core.Any.load(v.dump()) for v in values]})


def assemble_signed_data(
    content: bytes,
    certificate: x509.Certificate,
    key: Any,
    chain: Sequence[x509.Certificate],
    *,
    digest: Digest,
    detached: bool,
    signing_time: datetime,
    extra_attributes: Sequence[cms.CMSAttribute] = (),
) -> bytes:
    """DER ``ContentInfo { SignedData }`` over ``content`` with contentType, signingTime, messageDigest.

    The signer's certificate comes first in the certificate set, then ``chain``. Signed
    attributes are sorted by encoding (DER's SET OF order) so every verifier re-encodes
    the bytes that were signed.
    """
    hasher = hashes.Hash(_HASHES[digest]())
    hasher.update(content)
    attributes = [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [_time(signing_time)]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hasher.finalize()]}),
        *extra_attributes,
    ]
    signed_attrs = cms.CMSAttributes(sorted(attributes, key=lambda a: a.dump()))
    signature = _raw_signature(key, signed_attrs.dump(), digest)
    signer_cert = _asn1(certificate)
    if isinstance(key, rsa.RSAPrivateKey):
        signature_algorithm = algos.SignedDigestAlgorithm(
            {"algorithm": "rsassa_pkcs1v15", "parameters": core.Null()},
        )
    else:
        signature_algorithm = algos.SignedDigestAlgorithm({"algorithm": f"{digest}_ecdsa"})
    digest_algorithm = algos.DigestAlgorithm({"algorithm": digest, "parameters": core.Null()})
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {
                            "issuer": signer_cert.issuer,
                            "serial_number": signer_cert.serial_number,
                        }
                    ),
                }
            ),
            "digest_algorithm": digest_algorithm,
            "signed_attrs": signed_attrs,
            "signature_algorithm": signature_algorithm,
            "signature": signature,
        }
    )
    encap: dict[str, Any] = {"content_type": "data"}
    if not detached:
        encap["content"] = content
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [digest_algorithm],
            "encap_content_info": encap,
            "certificates": [
                cms.CertificateChoices({"certificate": c}) for c in [signer_cert, *(_asn1(x) for x in chain)]
            ],
            "signer_infos": [signer_info],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump())


def cdhashes_plist(cdhashes: Sequence[bytes]) -> bytes:
    """Apple's v1 hash-agility plist: ``{cdhashes: [20-byte cdhash, ...]}`` in ascending hash type."""
    return plistlib.dumps({"cdhashes": [h[:20] for h in cdhashes]}, fmt=plistlib.FMT_XML)


def code_signature_cms(
    primary_directory: bytes,
    full_cdhashes: Sequence[tuple[int, bytes]],
    certificate: x509.Certificate,
    key: Any,
    chain: Sequence[x509.Certificate],
    signing_time: datetime,
) -> bytes:
    """The detached CMS over the slot-0 CodeDirectory, with the cdhashes (9.1) and agility (9.2) attributes.

    ``full_cdhashes`` is ``(hash type, untruncated cdhash)`` for every CodeDirectory.
    """
    ordered = sorted(full_cdhashes)
    agility = [
        AgileHash({"algorithm": HASH_NAMES[kind], "digest": value}) for kind, value in ordered
    ]
    extra = [
        custom_attribute(CDHASHES_OID, [core.OctetString(cdhashes_plist([v for _, v in ordered]))]),
        custom_attribute(AGILITY_OID, agility),
    ]
    return assemble_signed_data(
        primary_directory,
        certificate,
        key,
        chain,
        digest="sha256",
        detached=True,
        signing_time=signing_time,
        extra_attributes=extra,
    )


__all__ = ["Digest", "assemble_signed_data", "cdhashes_plist", "code_signature_cms", "custom_attribute"]
