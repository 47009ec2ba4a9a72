"""The code signature of a Mach-O executable: who signed it and which entitlements it claims.

iOS checks the app's signing certificate against the profile, so the reader takes it
from the binary itself: ``LC_CODE_SIGNATURE`` points to a superblob holding the
CodeDirectory, the entitlements (XML, and on newer binaries DER too) and a CMS blob. The
signing identity is the CMS signer's certificate, matched by issuer and serial, never by
position (Apple lists the intermediate first). Thin and fat (32/64-bit) binaries are read
through ``store.formats.codesign.structure``, the one Mach-O parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store.errors import ParseError
from store.formats.cms import find_signer, parse_signed_data
from store.formats.codesign.structure import (
    BLOB_WRAPPER,
    DER_ENTITLEMENTS,
    ENTITLEMENTS,
    SLOT_CMS,
    SLOT_DER_ENTITLEMENTS,
    SLOT_ENTITLEMENTS,
    SuperBlob,
    parse_macho,
)
from store.formats.derents import read_der_entitlements
from store.formats.plist import MAX_NESTING, load_plist, nesting
from store.formats.x509 import ParsedCert, parse_certificate
from store.model import Certificate


@dataclass(frozen=True)
class CodeSignature:
    """What a code signature says: the signing certificate and the claimed entitlements."""

    certificate: Certificate | None
    entitlements: dict[str, Any] = field(default_factory=dict)
    certificates: tuple[Certificate, ...] = ()


def _bad(reason: str) -> ParseError:
    """The one error this module raises."""
    return ParseError("unreadable-executable", f"the app's executable cannot be read: {reason}")


def _signer(cms_blob: bytes) -> tuple[Certificate | None, tuple[Certificate, ...]]:
    """The CMS signer's certificate (by issuer and serial) and all certificates in the blob."""
    if not cms_blob.strip(b"\x00"):
        return None, ()
    signed = parse_signed_data(cms_blob)
    pool: list[ParsedCert] = []
    for der in signed.certificates:
        try:
            pool.append(parse_certificate(der))
        except ParseError:
            continue
    signer = find_signer(signed, pool)
    return (signer.facts if signer else None), tuple(c.facts for c in pool)


def signed_entitlements(superblob: SuperBlob) -> dict[str, Any]:
    """The entitlements a signature claims: its XML blob, else its DER one (``{}`` if neither)."""
    xml = superblob.payload(SLOT_ENTITLEMENTS, ENTITLEMENTS)
    der = superblob.payload(SLOT_DER_ENTITLEMENTS, DER_ENTITLEMENTS)
    try:
        entitlements = load_plist(xml) if xml else read_der_entitlements(der) if der else {}
    except ValueError as error:  # the DER decoder's one error (UnicodeDecodeError included)
        raise _bad(f"its DER entitlements cannot be read ({error})") from None
    if nesting(entitlements) > MAX_NESTING:
        raise _bad(f"its entitlements nest deeper than {MAX_NESTING} levels")
    return entitlements


def read_code_signature(data: bytes) -> CodeSignature:
    """The code signature of the first signed architecture; ``unreadable-executable`` when damaged."""
    try:
        for piece in parse_macho(data).slices:
            if piece.superblob is None:
                continue
            entitlements = signed_entitlements(piece.superblob)
            certificate, certificates = _signer(piece.superblob.payload(SLOT_CMS, BLOB_WRAPPER) or b"")
            return CodeSignature(certificate, entitlements, certificates)
    except ParseError as error:
        if error.code == "unreadable-executable":
            raise
        raise _bad(error.message) from None
    return CodeSignature(None)
