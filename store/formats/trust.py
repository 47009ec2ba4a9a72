"""Trust anchors: Apple Root CA pinned by fingerprint, and roots an admin adds.

A root is trusted because its SHA-256 fingerprint is pinned or was added by an admin,
never because of its name or because a file carries it (old profiles carry a self-signed
"Apple Root Certificate Authority" that did not issue their intermediate). Apple's root
ships as package data so the reader works offline and without a store.

Apple's anchor is pinned by hashing its bytes, and the functions that parse certificates
import :mod:`store.formats.x509` (asn1crypto) themselves, so the read verbs that only
need the anchor records (``timeline``, ``check``: every store opening) do not import it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from store.errors import ParseError
from store.model import Trust, TrustAnchor

if TYPE_CHECKING:
    from store.formats.x509 import ParsedCert

APPLE_ROOT_SHA256 = "B0B1730ECBC7FF4505142C49F1295E6EDA6BCAED7E2C68C5BE91B5A11001F024"
APPLE_ROOT_LABEL = "Apple Root CA"
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)


@cache
def apple_root_der() -> bytes:
    """Apple Root CA as shipped in ``store/data``; refuses to run with a swapped file."""
    der = resources.files("store").joinpath("data/AppleIncRootCertificate.cer").read_bytes()
    if hashlib.sha256(der).hexdigest().upper() != APPLE_ROOT_SHA256:
        raise ParseError("untrusted", "the bundled Apple Root CA does not match its pinned fingerprint")
    return der


def _pem_text(der: bytes) -> str:
    """DER as a PEM block (how anchors are stored and shown)."""
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def apple_root_anchor() -> TrustAnchor:
    """The built-in anchor every reader trusts: Apple Root CA, pinned."""
    pem = _pem_text(apple_root_der())
    return TrustAnchor(label=APPLE_ROOT_LABEL, sha256=APPLE_ROOT_SHA256, pem=pem, builtin=True)


def certificate_der(data: bytes) -> bytes:
    """The DER of a certificate given as PEM or DER; ``ParseError('not-a-certificate')`` otherwise."""
    match = _PEM.search(data)
    if match is not None:
        try:
            return base64.b64decode(b"".join(match.group(1).split()), validate=True)
        except (binascii.Error, ValueError):
            raise ParseError("not-a-certificate", "the PEM block is not valid base64") from None
    if data[:1] == b"\x30":
        return data
    raise ParseError("not-a-certificate", "expected a certificate in PEM or DER form")


def anchor_from_pem(pem: bytes, label: str, demo: bool = False) -> TrustAnchor:
    """A user trust anchor from a PEM (or DER) certificate, addressed by its SHA-256."""
    from store.formats.x509 import parse_certificate

    der = certificate_der(pem)
    try:
        cert = parse_certificate(der)
    except ParseError:
        raise ParseError("not-a-certificate", "the file does not hold a readable X.509 certificate") from None
    name = label or cert.facts.common_name
    return TrustAnchor(label=name, sha256=cert.sha256, pem=_pem_text(der), demo=demo)


@cache
def _anchor_cert(pem: str) -> ParsedCert:
    """Parse a stored anchor once per process."""
    from store.formats.x509 import keep_certificate

    return keep_certificate(certificate_der(pem.encode("ascii")))


def anchor_certificates(anchors: Sequence[TrustAnchor]) -> tuple[tuple[ParsedCert, Trust], ...]:
    """Apple's root (always) and the given anchors, each with the trust it confers."""
    return _anchor_certificates(tuple(anchors))


@lru_cache(maxsize=64)
def _anchor_certificates(anchors: tuple[TrustAnchor, ...]) -> tuple[tuple[ParsedCert, Trust], ...]:
    """:func:`anchor_certificates` for one set of anchors, parsed once (every profile asks)."""
    from store.formats.x509 import keep_certificate

    result: list[tuple[ParsedCert, Trust]] = [(keep_certificate(apple_root_der()), "apple")]
    for anchor in anchors:
        try:
            cert = _anchor_cert(anchor.pem)
        except ParseError:
            continue
        if cert.sha256 != APPLE_ROOT_SHA256:
            result.append((cert, "anchor"))
    return tuple(result)
