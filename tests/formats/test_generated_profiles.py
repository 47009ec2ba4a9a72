"""Generated profiles: every signer kind verifies, and every way a file can lie is caught.

The CA here is a test CA, never Apple: it is trusted only when given as an anchor, which
is exactly how an admin's own root (or the demo's) is trusted.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from store.demo.pki import KeyType
from store.demo.signing import Digest
from store.errors import ParseError
from store.formats.mobileprovision import read_mobileprovision, require_trusted
from store.formats.trust import anchor_from_pem
from store.model import TrustAnchor
from tests.formats.generated import CREATED, Pki, make_pki, plist, signed_profile


def _anchor(ca: Pki) -> tuple[TrustAnchor, ...]:
    """The test root as an admin-added anchor."""
    return (anchor_from_pem(ca.root_pem(), "Test root"),)


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
@pytest.mark.parametrize("digest", ["sha256", "sha1"])
def test_rsa_and_ecdsa_with_sha1_and_sha256_verify(key_type: KeyType, digest: Digest) -> None:
    """RSA PKCS#1 v1.5 and ECDSA signers, SHA-1 (as Apple signs) and SHA-256: valid, chained to the anchor."""
    ca = make_pki(key_type)
    profile = read_mobileprovision(signed_profile(ca, digest=digest), _anchor(ca))
    assert (profile.signature, profile.trust) == ("valid", "anchor")
    assert profile.name == "Test Enterprise" and profile.type == "enterprise"
    assert [c.kind for c in profile.certificates] == ["distribution"]
    require_trusted(profile)


def test_builder_path_without_signing_time_verifies() -> None:
    """cryptography's own PKCS#7 builder output (SHA-256, current time) verifies too."""
    ca = make_pki("rsa")
    data = signed_profile(ca, signing_time=None)
    assert read_mobileprovision(data, _anchor(ca)).signature == "valid"


def test_the_files_own_root_is_not_trusted_without_an_anchor() -> None:
    """Carrying a self-signed root proves nothing: untrusted until an admin adds it."""
    ca = make_pki("rsa")
    profile = read_mobileprovision(signed_profile(ca))
    assert (profile.signature, profile.trust) == ("valid", "untrusted")
    with pytest.raises(ParseError) as caught:
        require_trusted(profile)
    assert caught.value.code == "untrusted"


def test_a_missing_intermediate_makes_the_chain_incomplete() -> None:
    """Only the signer in the file, the anchor known: the link between them is missing."""
    ca = make_pki("rsa")
    profile = read_mobileprovision(signed_profile(ca, chain=()), _anchor(ca))
    assert profile.trust == "incomplete"
    with pytest.raises(ParseError) as caught:
        require_trusted(profile)
    assert caught.value.code == "incomplete-chain"


def test_a_root_with_the_same_name_but_another_key_is_untrusted() -> None:
    """Wrong root: the anchor is named like the real issuer but did not sign the intermediate."""
    ca = make_pki("rsa")
    lookalike = make_pki("ec")  # another key under the same root name "Test Root CA"
    assert lookalike.root.cert.subject == ca.root.cert.subject
    profile = read_mobileprovision(signed_profile(ca, chain=(ca.intermediate.cert,)), _anchor(lookalike))
    assert profile.trust == "untrusted"
    carried_fake = signed_profile(ca, chain=(ca.intermediate.cert, lookalike.root.cert))
    assert read_mobileprovision(carried_fake).trust == "untrusted"
    assert read_mobileprovision(carried_fake, _anchor(ca)).trust == "anchor"


def test_tampered_content_is_reported_with_its_facts() -> None:
    """One byte of the plist changed after signing: facts readable, signature invalid."""
    ca = make_pki("rsa")
    data = signed_profile(ca)
    tampered = data.replace(b"Test Enterprise", b"Evil Enterprise", 1)
    assert tampered != data
    profile = read_mobileprovision(tampered, _anchor(ca))
    assert (profile.name, profile.signature) == ("Evil Enterprise", "invalid")
    with pytest.raises(ParseError) as caught:
        require_trusted(profile)
    assert caught.value.code == "signature-mismatch"


def test_a_changed_signature_byte_is_invalid() -> None:
    """The signature itself damaged (last byte of the file is in the signature value)."""
    ca = make_pki("ec")
    data = bytearray(signed_profile(ca))
    data[-1] ^= 0x01
    assert read_mobileprovision(bytes(data), _anchor(ca)).signature == "invalid"


def test_detached_content_is_an_error() -> None:
    """A detached signature carries no profile: nothing to read."""
    with pytest.raises(ParseError) as caught:
        read_mobileprovision(signed_profile(make_pki("rsa"), detached=True))
    assert caught.value.code == "detached-content"


@pytest.mark.parametrize("keep", [1, 2, 10, 100, 1000, -200, -1])
def test_truncated_files_are_malformed_cms(keep: int) -> None:
    """Cut anywhere, a CMS file is malformed, never a traceback."""
    data = signed_profile(make_pki("rsa"))
    with pytest.raises(ParseError) as caught:
        read_mobileprovision(data[:keep])
    assert caught.value.code == "malformed-cms"


def test_trailing_bytes_after_the_cms_are_refused() -> None:
    """Bytes appended after the SignedData (a place to hide a decoy plist) make it malformed."""
    data = signed_profile(make_pki("rsa")) + plist(name="Decoy")
    with pytest.raises(ParseError) as caught:
        read_mobileprovision(data)
    assert caught.value.code == "malformed-cms"


def test_signed_garbage_is_a_malformed_plist() -> None:
    """A valid signature over something that is not a plist is still not a profile."""
    with pytest.raises(ParseError) as caught:
        read_mobileprovision(signed_profile(make_pki("rsa"), content=b"<?xml version='1.0'?><plist><dict>"))
    assert caught.value.code == "malformed-plist"


def test_a_signer_expired_at_signing_time_is_untrusted() -> None:
    """Validity is judged at the signing time: a signature made after the signer expired fails."""
    ca = make_pki("rsa")
    late = datetime(2031, 1, 1, tzinfo=UTC)
    profile = read_mobileprovision(signed_profile(ca, signing_time=late), _anchor(ca))
    assert (profile.signature, profile.trust) == ("valid", "untrusted")
    on_time = read_mobileprovision(signed_profile(ca, signing_time=CREATED), _anchor(ca))
    assert on_time.trust == "anchor"


def test_an_admin_anchor_can_be_the_signer_itself() -> None:
    """A real profile signed by a self-signed certificate is trusted once that certificate is an anchor."""
    from store.formats.cms import parse_signed_data
    from tests.formats.oracle import read

    data = read("profiles", "isign__test.mobileprovision")
    (signer_der,) = parse_signed_data(data).certificates
    assert read_mobileprovision(data).trust == "untrusted"
    anchored = read_mobileprovision(data, (anchor_from_pem(signer_der, "isign tests"),))
    assert (anchored.signature, anchored.trust) == ("valid", "anchor")
    require_trusted(anchored)


def test_absurdly_nested_entitlements_are_refused() -> None:
    """Entitlements nested hundreds deep (which would break JSON output and the store) are refused."""
    nested = b"<array>" * 400 + b"</array>" * 400
    marker = b"<key>Entitlements</key>\n\t<dict>"
    content = plist().replace(marker, marker + b"<key>x</key>" + nested)
    assert content != plist()
    with pytest.raises(ParseError) as caught:
        read_mobileprovision(signed_profile(make_pki("rsa"), content=content))
    assert caught.value.code == "wrong-type"
