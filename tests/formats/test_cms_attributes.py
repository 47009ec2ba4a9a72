"""The signed-attribute rules of RFC 5652/6211, on SignedData rebuilt from ``store.demo`` output.

Each case takes a real signed profile, changes its signed attributes, and re-signs them
with the signer's own key, so the only thing under test is the attribute rule itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asn1crypto import algos, cms
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from store.formats.mobileprovision import read_mobileprovision
from store.formats.trust import anchor_from_pem
from tests.formats.generated import make_pki, signed_profile
from tests.formats.oracle import read

Edit = Callable[[list[Any]], list[Any]]


def _resigned(edit: Edit, *, der_order: bool = True) -> bytes:
    """A SHA-1 RSA profile whose signed attributes went through ``edit`` and were signed again.

    The signature is always over the DER form (sorted SET OF). With ``der_order`` false the
    file carries the same attributes in reverse order (BER allows it), byte-swapped in place.
    """
    ca = make_pki("rsa")
    info = cms.ContentInfo.load(signed_profile(ca, digest="sha1"))
    signer_info = info["content"]["signer_infos"][0]
    attributes = edit([cms.CMSAttribute.load(a.dump()) for a in signer_info["signed_attrs"]])
    encoded = sorted(a.dump() for a in attributes)
    signed = cms.CMSAttributes.load(b"\x31" + _length(len(b"".join(encoded))) + b"".join(encoded))
    key = ca.signer.key
    assert isinstance(key, rsa.RSAPrivateKey)
    signature = key.sign(signed.dump(), padding.PKCS1v15(), hashes.SHA1())
    signer_info["signed_attrs"] = signed
    signer_info["signature"] = signature
    data = bytes(info.dump(force=True))
    if not der_order:
        data = data.replace(b"".join(encoded), b"".join(reversed(encoded)), 1)
    return data


def _length(size: int) -> bytes:
    """A DER length field."""
    if size < 0x80:
        return bytes([size])
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _verdict(data: bytes) -> str:
    """The signature verdict under the test anchor."""
    ca = make_pki("rsa")
    return read_mobileprovision(data, (anchor_from_pem(ca.root_pem(), "t"),)).signature


def _protection(digest: str, signature: str) -> Any:
    """A CMSAlgorithmProtection attribute naming ``digest`` and ``signature``."""
    value = cms.CMSAlgorithmProtection({
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest}),
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": signature}),
    })
    return cms.CMSAttribute({"type": "cms_algorithm_protection", "values": [value]})


def test_unchanged_resigning_is_valid() -> None:
    """The harness itself: re-signing the same attributes keeps the signature valid."""
    assert _verdict(_resigned(lambda attrs: attrs)) == "valid"


def test_matching_algorithm_protection_is_valid() -> None:
    """CMSAlgorithmProtection naming the algorithms actually used (as Apple's profiles carry)."""
    assert _verdict(_resigned(lambda a: [*a, _protection("sha1", "rsassa_pkcs1v15")])) == "valid"


def test_algorithm_protection_naming_another_digest_is_invalid() -> None:
    """A protection attribute that disagrees with the SignerInfo means a downgrade: invalid."""
    assert _verdict(_resigned(lambda a: [*a, _protection("sha256", "rsassa_pkcs1v15")])) == "invalid"


def test_missing_message_digest_is_invalid() -> None:
    """Signed attributes without messageDigest bind nothing to the content."""
    edit: Edit = lambda attrs: [a for a in attrs if a["type"].native != "message_digest"]  # noqa: E731
    assert _verdict(_resigned(edit)) == "invalid"


def test_wrong_content_type_attribute_is_invalid() -> None:
    """The contentType attribute must name the encapsulated content's type."""

    def edit(attrs: list[Any]) -> list[Any]:
        kept = [a for a in attrs if a["type"].native != "content_type"]
        return [*kept, cms.CMSAttribute({"type": "content_type", "values": ["signed_data"]})]

    assert _verdict(_resigned(edit)) == "invalid"


def test_attributes_sent_out_of_der_order_are_re_encoded() -> None:
    """A signer that sends the SET OF unsorted (BER) signed its DER form: still valid."""
    data = _resigned(lambda a: a, der_order=False)
    assert data != _resigned(lambda a: a)
    assert _verdict(data) == "valid"



def test_a_damaged_attribute_that_cannot_be_re_encoded_is_invalid() -> None:
    """Found by fuzzing: a signed attribute asn1crypto cannot re-encode means invalid, not a crash."""
    data = read("profiles", "app_info__ios_adhoc.mobileprovision")
    protected = b"\xa1\r\x06\t*\x86H\x86\xf7\r\x01\x01\x01\x05\x00"
    assert data.count(protected) == 1
    damaged = data.replace(protected, protected[:-2] + b"\x04\x00")
    assert read_mobileprovision(damaged).signature == "invalid"
