"""Read a ``.mobileprovision``: its facts, whether Apple's signature holds, and whom it chains to.

The reader reports facts even when the signature is invalid or absent or the chain is
untrusted (an admin needs to see what a rejected file claims), and raises only for input
it cannot read at all. ``require_trusted`` is the gate an import applies afterwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from store.errors import ParseError
from store.formats.chain import evaluate_chain
from store.formats.cms import SignedData, find_signer, parse_signed_data, verify_signed_data
from store.formats.fields import profile_from_plist
from store.formats.plist import load_plist, sniff, utc
from store.formats.x509 import ParsedCert, parse_certificate
from store.model import Profile, Signature, Trust, TrustAnchor

MAX_PROFILE_BYTES = 4 * 1024 * 1024
EMBEDDED_PROFILE = "embedded.mobileprovision"  # where a bundle carries the profile it ships with
_DATA_OID = "1.2.840.113549.1.7.1"


def _certificates(signed: SignedData) -> list[ParsedCert]:
    """The certificates a CMS carries; one that does not parse cannot be in any chain."""
    found: list[ParsedCert] = []
    for der in signed.certificates:
        try:
            found.append(parse_certificate(der))
        except ParseError:
            continue
    return found


def _read_signed(data: bytes, anchors: Sequence[TrustAnchor], file_sha256: str) -> Profile:
    """The CMS path: content from the SignedData only, then signature, plist, chain."""
    signed = parse_signed_data(data)
    if signed.content is None:
        raise ParseError("detached-content", "the signature is detached: the file carries no profile content")
    if signed.content_type != _DATA_OID:
        raise ParseError("not-a-profile", "the signed content is not data, so it is not a profile")
    pool = _certificates(signed)
    signer = find_signer(signed, pool)
    signature: Signature = "valid" if signer is not None and verify_signed_data(signed, signer) else "invalid"
    plist = load_plist(signed.content)
    trust: Trust = "incomplete"
    if signer is not None:
        created = plist.get("CreationDate")
        signed_at = signed.signing_time or (utc(created) if isinstance(created, datetime) else None)
        trust = evaluate_chain(signer, pool, anchors, signed_at)
    return profile_from_plist(plist, signature=signature, trust=trust, file_sha256=file_sha256)


def read_mobileprovision(data: bytes, anchors: Sequence[TrustAnchor] = ()) -> Profile:
    """Every fact of a provisioning profile, with ``signature`` and ``trust`` verdicts.

    Accepts CMS (DER or BER) and bare XML/binary plists (``signature='absent'``,
    ``trust='none'``). Apple Root CA is always an anchor; ``anchors`` add the store's or
    the user's roots. Raises only ``ParseError`` (codes in ``store.formats``).
    """
    if not data or not data.strip():
        raise ParseError("empty", "the file is empty")
    if len(data) > MAX_PROFILE_BYTES:
        limit = MAX_PROFILE_BYTES // (1024 * 1024)
        raise ParseError("too-large", f"the file is over {limit} MiB: not a profile")
    file_sha256 = hashlib.sha256(data).hexdigest()
    if data[:1] == b"\x30":
        return _read_signed(bytes(data), anchors, file_sha256)
    if sniff(data) is not None:
        plist = load_plist(bytes(data))
        return profile_from_plist(plist, signature="absent", trust="none", file_sha256=file_sha256)
    raise ParseError("not-a-profile", "the file is neither a signed profile nor a plist")


def trust_problem(profile: Profile) -> ParseError | None:
    """Why iOS would refuse this profile's signature, as the error an admin sees; ``None`` if it holds."""
    if profile.signature == "absent":
        return ParseError("unsigned", "the profile is a bare plist with no signature: iOS refuses it")
    if profile.signature == "invalid":
        return ParseError("signature-mismatch", "the signature does not match the content: it was changed")
    if profile.trust == "untrusted":
        return ParseError("untrusted", "the signer does not chain to Apple Root CA or a trusted anchor")
    if profile.trust == "incomplete":
        return ParseError("incomplete-chain", "the signer's chain lacks an intermediate or root certificate")
    if profile.trust == "none":
        return ParseError("unsigned", "the profile carries no signature")
    return None


def require_trusted(profile: Profile) -> None:
    """Raise the ``ParseError`` of :func:`trust_problem`: the gate an import goes through."""
    problem = trust_problem(profile)
    if problem is not None:
        raise problem
