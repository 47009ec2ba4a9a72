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
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from store.demo.pki import Issued
from store.signing.cms import Digest, assemble_signed_data

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


def _sign_with_asn1crypto(
    content: bytes, signer: Issued, chain: Sequence[x509.Certificate], digest: Digest,
    detached: bool, signing_time: datetime | None,
) -> bytes:
    """SignedData assembled by hand (SHA-1, or a fixed signing time), the re-signer's own assembly."""
    # No clock is read below the CLI: the signer's first valid moment is a time its chain covers.
    return assemble_signed_data(
        content, signer.cert, signer.key, chain, digest=digest, detached=detached,
        signing_time=signing_time or signer.cert.not_valid_before_utc,
    )


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
