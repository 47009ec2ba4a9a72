"""The CMS API the code-signature check builds on: detached content, raw signed attributes.

A code signature signs the CodeDirectory without carrying it; the caller hands the bytes
to :func:`verify_signed_data`, which checks them against messageDigest. Apple's own
attributes (``cdhashes``) are read by the caller from ``SignedData.attributes``.
"""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import core

from store.formats.cms import (
    CONTENT_TYPE,
    MESSAGE_DIGEST,
    SIGNING_TIME,
    find_signer,
    parse_signed_data,
    verify_signed_data,
)
from store.formats.x509 import parse_certificate
from tests.formats.generated import CREATED, make_pki, signed_profile

CODE_DIRECTORY = b"\xfa\xde\x0c\x02" + bytes(range(256)) * 4


@pytest.mark.parametrize(("key_type", "digest"), [("rsa", "sha256"), ("rsa", "sha1"), ("ec", "sha256")])
def test_detached_signature_verifies_only_over_its_content(key_type: str, digest: str) -> None:
    """The signed bytes verify; one byte changed, or no content at all, does not."""
    ca = make_pki(key_type)  # type: ignore[arg-type]
    signed = parse_signed_data(signed_profile(ca, digest=digest, content=CODE_DIRECTORY, detached=True))
    assert signed.content is None
    signer = find_signer(signed, [parse_certificate(d) for d in signed.certificates])
    assert signer is not None
    assert verify_signed_data(signed, signer, CODE_DIRECTORY)
    assert not verify_signed_data(signed, signer, CODE_DIRECTORY[:-1] + b"\x00")
    assert not verify_signed_data(signed, signer)


def test_detached_content_is_ignored_nowhere_else() -> None:
    """A profile (encapsulated content) verifies alone, and not against other bytes passed as detached."""
    ca = make_pki("rsa")
    signed = parse_signed_data(signed_profile(ca, digest="sha1"))
    signer = find_signer(signed, [parse_certificate(d) for d in signed.certificates])
    assert signer is not None and signed.content is not None
    assert verify_signed_data(signed, signer)
    assert not verify_signed_data(signed, signer, CODE_DIRECTORY)


def test_signed_attributes_are_exposed_as_der_values() -> None:
    """Each signed attribute's values, as DER, by OID: what a caller needs for Apple's own attributes."""
    ca = make_pki("rsa")
    signed = parse_signed_data(signed_profile(ca, digest="sha1", content=CODE_DIRECTORY, detached=True))
    (digest,) = signed.attributes[MESSAGE_DIGEST]
    assert core.OctetString.load(digest).native == hashlib.sha1(CODE_DIRECTORY).digest()
    (kind,) = signed.attributes[CONTENT_TYPE]
    assert core.ObjectIdentifier.load(kind).dotted == "1.2.840.113549.1.7.1"
    assert SIGNING_TIME in signed.attributes and signed.signing_time == CREATED

