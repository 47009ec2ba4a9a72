"""Every real profile agrees with the oracle (expected.json): container, signature, chain, fields.

Trust and the oracle's ``apple_chain``: the oracle ran ``openssl cms -verify`` with Apple
Root CA supplied as the only anchor, so ``apple_chain`` means "the signature verifies and
the signer chains to Apple Root CA, given that root". Our reader has that root built in
(pinned by fingerprint), so it reports ``trust == "apple"`` exactly where the oracle says
``apple_chain`` — including files whose own certificate set lacks the genuine root
(``carries_apple_root`` false: they carry a look-alike self-signed root that did not issue
their intermediate, which we never trust). For a signature that does not verify, OpenSSL
stops before judging the chain (``apple_chain`` false); our reader judges the chain on its
own and reports ``signature == "invalid"``, which ``require_trusted`` refuses first.
"""

from __future__ import annotations

from typing import Any

import pytest

from store.errors import ParseError
from store.formats.cms import parse_signed_data
from store.formats.mobileprovision import read_mobileprovision, require_trusted, trust_problem
from store.formats.x509 import parse_certificate
from store.model import Profile, iso
from tests.formats.oracle import profile_cases, read

CASES = profile_cases()
READABLE = [(n, e) for n, e in CASES if e["plist"]]
UNREADABLE = [(n, e) for n, e in CASES if not e["plist"]]
SIGNED = [(n, e) for n, e in CASES if e["container"] == "cms"]


def _profile(name: str) -> Profile:
    """Read one fixture profile."""
    return read_mobileprovision(read("profiles", name))


@pytest.mark.parametrize(("name", "facts"), UNREADABLE, ids=[n for n, _ in UNREADABLE])
def test_unreadable_profiles_raise_their_code(name: str, facts: dict[str, Any]) -> None:
    """Empty files are ``empty``; a plist that plistlib rejects (signed or not) is ``malformed-plist``."""
    with pytest.raises(ParseError) as caught:
        _profile(name)
    assert caught.value.code == ("empty" if facts["container"] == "empty" else "malformed-plist")


@pytest.mark.parametrize(("name", "facts"), READABLE, ids=[n for n, _ in READABLE])
def test_signature_and_trust_agree_with_the_oracle(name: str, facts: dict[str, Any]) -> None:
    """signature valid/invalid/absent as OpenSSL says; trust apple exactly where ``apple_chain``."""
    profile = _profile(name)
    assert profile.signature == facts["signature"]
    if facts["signature"] == "absent":
        assert profile.trust == "none"
        assert (problem := trust_problem(profile)) is not None and problem.code == "unsigned"
    elif facts["signature"] == "valid":
        assert (profile.trust == "apple") == facts["apple_chain"]
        if not facts["apple_chain"]:
            assert profile.trust == "untrusted"  # the fixtures' non-Apple signers are self-signed
    else:
        with pytest.raises(ParseError) as caught:
            require_trusted(profile)
        assert caught.value.code == "signature-mismatch"
    if profile.signature == "valid" and profile.trust == "apple":
        require_trusted(profile)


@pytest.mark.parametrize(("name", "facts"), SIGNED, ids=[n for n, _ in SIGNED])
def test_cms_certificates_agree(name: str, facts: dict[str, Any]) -> None:
    """The CMS certificate set, in order: common name, SHA-256, self-signed."""
    signed = parse_signed_data(read("profiles", name))
    certs = [parse_certificate(der) for der in signed.certificates]
    got = [{"cn": c.facts.common_name, "sha256": c.sha256, "self_signed": c.self_issued} for c in certs]
    assert got == facts["cms_certificates"]


@pytest.mark.parametrize(("name", "facts"), READABLE, ids=[n for n, _ in READABLE])
def test_plist_fields_agree(name: str, facts: dict[str, Any]) -> None:
    """Name, UUID, team, app ID, type, platforms, dates, devices, get-task-allow, entitlement keys."""
    profile = _profile(name)
    assert profile.name == facts["Name"]
    assert profile.uuid == facts["UUID"]
    assert profile.app_id_name == facts["AppIDName"]
    assert profile.team_id == facts["TeamIdentifier"][0]
    assert profile.team_name == facts["TeamName"]
    if facts["application-identifier"] is not None:
        assert profile.app_id == facts["application-identifier"]
    else:
        assert profile.app_id == profile.entitlements["com.apple.application-identifier"]
    assert profile.type == facts["type"]
    assert list(profile.platforms) == (facts["Platform"] or [])
    assert iso(profile.created) == facts["CreationDate"]
    assert iso(profile.expires) == facts["ExpirationDate"]
    assert profile.device_count == (facts["ProvisionedDevices_count"] or 0)
    assert profile.entitlements.get("get-task-allow") == facts["get-task-allow"]
    assert sorted(profile.entitlements) == facts["Entitlements_keys"]


@pytest.mark.parametrize(("name", "facts"), READABLE, ids=[n for n, _ in READABLE])
def test_developer_certificates_agree(name: str, facts: dict[str, Any]) -> None:
    """Every readable DeveloperCertificate: CN, SHA-256, not-after; unreadable ones are left out."""
    profile = _profile(name)
    wanted = [c for c in facts["DeveloperCertificates"] if "error" not in c]
    got = [
        {"cn": c.common_name, "sha256": c.sha256, "not_after": iso(c.not_after)} for c in profile.certificates
    ]
    assert got == wanted
    for cert in profile.certificates:
        assert len(cert.sha1) == 40 and cert.sha1 == cert.sha1.upper()
        assert cert.not_before < cert.not_after


@pytest.mark.parametrize(("name", "facts"), READABLE, ids=[n for n, _ in READABLE])
def test_file_hash_is_the_oracles(name: str, facts: dict[str, Any]) -> None:
    """``file_sha256`` addresses the exact bytes read."""
    assert _profile(name).file_sha256 == facts["sha256"]
