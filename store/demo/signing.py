"""Real CMS SignedData and real profile plists: how demo and test profiles are made.

Provisioning profiles are CMS SignedData over an XML plist, signed by a profile-signing
certificate. SHA-256 signatures go through cryptography's ``PKCS7SignatureBuilder``
(Binary option), the same library the readers verify with. cryptography refuses SHA-1
for PKCS#7, but Apple still signs profiles with SHA-1 and readers must accept it, so
SHA-1 (and any signature with a fixed signing time, for reproducible files) is
assembled with asn1crypto and signed with cryptography's RSA PKCS#1 v1.5 / ECDSA.
Either way the result is DER that ``openssl cms -verify`` accepts.
"""

from __future__ import annotations

import plistlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from store.demo.pki import Issued

Digest = Literal["sha256", "sha1"]
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"sha256": hashes.SHA256, "sha1": hashes.SHA1}


def sign_cms(
    content: bytes, signer: Issued, chain: Sequence[x509.Certificate] = (), *,
    digest: Digest = "sha256", detached: bool = False, signing_time: datetime | None = None,
) -> bytes:
    """DER CMS SignedData over ``content`` with contentType, signingTime and messageDigest attributes.

    The signer's certificate comes first in the certificate set, then ``chain``. A given
    ``signing_time`` (or SHA-1) selects the asn1crypto path, which with an RSA or EC key
    repeats byte for byte (SHA-1 without a time signs at the signer's not-before);
    otherwise cryptography's builder signs at the current time.
    """
    if digest not in _HASHES:
        raise ValueError(f"unsupported digest: {digest!r}")
    if digest == "sha256" and signing_time is None:
        return _sign_with_builder(content, signer, chain, detached)
    return _sign_with_asn1crypto(content, signer, chain, digest, detached, signing_time)


def _sign_with_builder(
    content: bytes, signer: Issued, chain: Sequence[x509.Certificate], detached: bool,
) -> bytes:
    """The SHA-256 path: cryptography's PKCS7SignatureBuilder, binary content, no S/MIME capabilities."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(
        signer.cert, signer.key, hashes.SHA256(),
    )
    for certificate in chain:
        builder = builder.add_certificate(certificate)
    options = [pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoCapabilities]
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    return builder.sign(serialization.Encoding.DER, options)


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


def _sign_with_asn1crypto(
    content: bytes, signer: Issued, chain: Sequence[x509.Certificate], digest: Digest,
    detached: bool, signing_time: datetime | None,
) -> bytes:
    """Assemble SignedData by hand (SHA-1, or a fixed signing time) and sign it with cryptography."""
    if signing_time is None:
        # No clock is read below the CLI: the signer's first valid moment is a time its chain covers.
        signing_time = signer.cert.not_valid_before_utc
    hasher = hashes.Hash(_HASHES[digest]())
    hasher.update(content)
    attributes = [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [_time(signing_time)]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hasher.finalize()]}),
    ]
    # DER orders a SET OF by encoding; sort here so every verifier re-encodes the same bytes.
    signed_attrs = cms.CMSAttributes(sorted(attributes, key=lambda a: a.dump()))
    signature = _raw_signature(signer.key, signed_attrs.dump(), digest)
    signer_cert = asn1_x509.Certificate.load(signer.cert.public_bytes(serialization.Encoding.DER))
    if isinstance(signer.key, rsa.RSAPrivateKey):
        signature_algorithm = algos.SignedDigestAlgorithm(
            {"algorithm": "rsassa_pkcs1v15", "parameters": core.Null()},
        )
    else:
        signature_algorithm = algos.SignedDigestAlgorithm({"algorithm": f"{digest}_ecdsa"})
    digest_algorithm = algos.DigestAlgorithm({"algorithm": digest, "parameters": core.Null()})
    signer_info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({
            "issuer_and_serial_number": cms.IssuerAndSerialNumber({
                "issuer": signer_cert.issuer, "serial_number": signer_cert.serial_number,
            }),
        }),
        "digest_algorithm": digest_algorithm,
        "signed_attrs": signed_attrs,
        "signature_algorithm": signature_algorithm,
        "signature": signature,
    })
    certificates = [signer_cert] + [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in chain
    ]
    encap: dict[str, Any] = {"content_type": "data"}
    if not detached:
        encap["content"] = content
    signed_data = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [digest_algorithm],
        "encap_content_info": encap,
        "certificates": [cms.CertificateChoices({"certificate": c}) for c in certificates],
        "signer_infos": [signer_info],
    })
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump())


def _plist_date(moment: datetime) -> datetime:
    """plist dates are naive UTC (plistlib in 3.11 writes the fields as given)."""
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def profile_plist(
    *, name: str, uuid: str, team_id: str, team_name: str, app_id: str, app_id_name: str,
    created: datetime, expires: datetime, certificates: Sequence[x509.Certificate],
    provisions_all_devices: bool = True, devices: Sequence[str] = (),
    entitlements: Mapping[str, Any] | None = None, platform: Sequence[str] = ("iOS",),
) -> bytes:
    """The XML plist of a provisioning profile with Apple's keys.

    ``app_id`` is the bundle part without the team prefix (``com.acme.field``,
    ``com.acme.*`` or ``*``); the entitlement gets ``TEAMID.`` in front as Apple writes it.
    ``entitlements`` are merged over an in-house distribution set (get-task-allow false,
    aps-environment production).
    """
    merged: dict[str, Any] = {
        "application-identifier": f"{team_id}.{app_id}",
        "keychain-access-groups": [f"{team_id}.*", "com.apple.token"],
        "get-task-allow": False,
        "com.apple.developer.team-identifier": team_id,
        "aps-environment": "production",
    }
    merged.update(entitlements or {})
    document: dict[str, Any] = {
        "AppIDName": app_id_name,
        "ApplicationIdentifierPrefix": [team_id],
        "CreationDate": _plist_date(created),
        "Platform": list(platform),
        "IsXcodeManaged": False,
        "DeveloperCertificates": [c.public_bytes(serialization.Encoding.DER) for c in certificates],
        "Entitlements": merged,
        "ExpirationDate": _plist_date(expires),
        "Name": name,
        "TeamIdentifier": [team_id],
        "TeamName": team_name,
        "TimeToLive": max(0, (expires - created).days),
        "UUID": uuid,
        "Version": 1,
    }
    if provisions_all_devices:
        document["ProvisionsAllDevices"] = True
    else:
        document["ProvisionedDevices"] = list(devices)
    return plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=True)


def make_profile(
    signer: Issued, chain: Sequence[x509.Certificate] = (), *, digest: Digest = "sha256",
    signing_time: datetime | None = None, name: str, uuid: str, team_id: str, team_name: str,
    app_id: str, app_id_name: str, created: datetime, expires: datetime,
    certificates: Sequence[x509.Certificate], provisions_all_devices: bool = True,
    devices: Sequence[str] = (), entitlements: Mapping[str, Any] | None = None,
    platform: Sequence[str] = ("iOS",),
) -> bytes:
    """A complete signed ``.mobileprovision``: :func:`profile_plist` wrapped by :func:`sign_cms`."""
    content = profile_plist(
        name=name, uuid=uuid, team_id=team_id, team_name=team_name, app_id=app_id,
        app_id_name=app_id_name, created=created, expires=expires, certificates=certificates,
        provisions_all_devices=provisions_all_devices, devices=devices,
        entitlements=entitlements, platform=platform,
    )
    return sign_cms(content, signer, chain, digest=digest, signing_time=signing_time)


__all__ = ["Digest", "make_profile", "profile_plist", "sign_cms"]
