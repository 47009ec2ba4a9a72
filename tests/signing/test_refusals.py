"""Every refusal: a stable code, one line, and nothing written (no output, no temporary file, input intact).

Each case breaks one thing iOS checks (codesign.md §11) and re-signs a real fixture app
with it; the refusal must come before any byte is written.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from store.demo.pki import make_leaf, make_root
from store.model import Integrity
from store.signing.identity import Identity, SigningError, load_identity
from store.signing.resign import ResignRequest, resign
from tests.signing.conftest import APPS, profiles_for
from tests.signing.identities import CN, NOW, PASSWORD, TEAM, SigningPKI

DEMO = APPS / "app_info__embedded.ipa"  # an app with an extension
CAPABLE = APPS / "fastlane__fastlane_core__very-capable-app.ipa"  # an app with many capabilities


def _never(path: Path, anchors: object, now: object) -> Integrity:
    """A verifier a refused re-sign must never reach."""
    raise AssertionError("a refused re-sign reached verification")


Case = Callable[[SigningPKI, Identity], tuple[Path, dict[str | None, bytes], Identity]]


def _untrusted(pki: SigningPKI, identity: Identity) -> tuple[Path, dict[str | None, bytes], Identity]:
    stranger = make_root("Somebody else's CA", key_size=1024)
    signer = make_leaf(
        stranger,
        "Stranger Profile Signing",
        kind="profile-signing",
        not_before=NOW - timedelta(days=9),
        not_after=NOW + timedelta(days=900),
        key_size=1024,
    )
    profiles = profiles_for(pki, DEMO)
    profiles[None] = pki.profile("com.icyleaf.test.Demo", signer=signer)
    return DEMO, profiles, identity


def _other_certificate(pki: SigningPKI, identity: Identity) -> tuple[Path, dict[str | None, bytes], Identity]:
    other = make_leaf(
        pki.intermediate,
        CN,
        TEAM,
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=500),
        key_size=1024,
    )
    profiles = profiles_for(pki, DEMO)
    profiles[None] = pki.profile("com.icyleaf.test.Demo", certificates=[other.cert])
    return DEMO, profiles, identity


def _wrong_app_id(pki: SigningPKI, identity: Identity) -> tuple[Path, dict[str | None, bytes], Identity]:
    profiles = profiles_for(pki, DEMO)
    profiles[None] = pki.profile("com.example.other")
    return DEMO, profiles, identity


def _profile_expired(pki: SigningPKI, identity: Identity) -> tuple[Path, dict[str | None, bytes], Identity]:
    profiles = profiles_for(pki, DEMO)
    profiles[None] = pki.profile(
        "com.icyleaf.test.Demo", created=NOW - timedelta(days=400), expires=NOW - timedelta(days=1)
    )
    return DEMO, profiles, identity


def _certificate(not_before: timedelta, not_after: timedelta) -> Case:
    def case(pki: SigningPKI, identity: Identity) -> tuple[Path, dict[str | None, bytes], Identity]:
        leaf = make_leaf(
            pki.intermediate,
            CN,
            TEAM,
            not_before=NOW + not_before,
            not_after=NOW + not_after,
            key_size=1024,
            organization="Test Corp",
        )
        profiles = {None: pki.profile("com.icyleaf.test.*", certificates=[leaf.cert])}
        return DEMO, profiles, load_identity(pki.p12(leaf=leaf), PASSWORD)

    return case


def _entitlements(pki: SigningPKI, identity: Identity) -> tuple[Path, dict[str | None, bytes], Identity]:
    profiles = profiles_for(pki, CAPABLE)
    profiles[None] = pki.profile(
        "org.fastlane.very-capable-app", entitlements={"com.apple.developer.siri": True}
    )
    return CAPABLE, profiles, identity


def _team(pki: SigningPKI, identity: Identity) -> tuple[Path, dict[str | None, bytes], Identity]:
    profiles = profiles_for(pki, DEMO)
    profiles[None] = pki.profile("com.icyleaf.test.Demo", team="OTHERTEAM1")
    return DEMO, profiles, identity


def _nested_without_profile(
    pki: SigningPKI, identity: Identity
) -> tuple[Path, dict[str | None, bytes], Identity]:
    return DEMO, {None: pki.profile("com.icyleaf.test.Demo")}, identity


CASES: dict[str, tuple[Case, str]] = {
    "profile-untrusted": (_untrusted, "not trusted"),
    "profile-lacks-certificate": (_other_certificate, "does not list the identity's certificate"),
    "app-id-mismatch": (_wrong_app_id, "does not cover com.icyleaf.test.Demo"),
    "profile-expired": (_profile_expired, "expired on"),
    "certificate-expired": (_certificate(timedelta(days=-900), timedelta(days=-1)), "expired on"),
    "certificate-not-yet-valid": (_certificate(timedelta(days=2), timedelta(days=900)), "valid only from"),
    "entitlements-not-allowed": (_entitlements, "com.apple.developer.healthkit"),
    "team-mismatch": (_team, "OTHERTEAM1"),
    "missing-profile": (_nested_without_profile, "PlugIns/Notification.appex"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("code", sorted(CASES))
def test_refusal_writes_nothing(code: str, pki: SigningPKI, identity: Identity, tmp_path: Path) -> None:
    """The refusal has its code and a one-line message; the output folder stays empty."""
    make, words = CASES[code]
    source, profiles, who = make(pki, identity)
    before = _digest(source)
    out = tmp_path / "out"
    out.mkdir()
    request = ResignRequest(source, out / "app.ipa", who, profiles, [pki.anchor], NOW)
    with pytest.raises(SigningError) as caught:
        resign(request, _never)
    assert caught.value.code == code
    assert words in caught.value.message and "\n" not in caught.value.message
    assert list(out.iterdir()) == []
    assert _digest(source) == before


def test_entitlement_refusal_lists_every_key(pki: SigningPKI, identity: Identity, tmp_path: Path) -> None:
    """An app whose capabilities the profile lacks is told which keys, all of them."""
    source, profiles, who = _entitlements(pki, identity)
    with pytest.raises(SigningError) as caught:
        resign(ResignRequest(source, tmp_path / "x.ipa", who, profiles, [pki.anchor], NOW), _never)
    listed = caught.value.message.split(": ", 1)[1].split(", ")
    assert "com.apple.developer.siri" not in listed  # the profile grants that one
    assert {"com.apple.developer.healthkit", "com.apple.developer.homekit", "inter-app-audio"} <= set(listed)


def test_output_over_the_input_is_refused(pki: SigningPKI, identity: Identity, tmp_path: Path) -> None:
    """The input is never overwritten, even when asked to."""
    copy = tmp_path / "app.ipa"
    copy.write_bytes(DEMO.read_bytes())
    request = ResignRequest(copy, copy, identity, profiles_for(pki, DEMO), [pki.anchor], NOW)
    with pytest.raises(SigningError) as caught:
        resign(request, _never)
    assert caught.value.code == "output-is-input"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.ipa"]
    assert copy.read_bytes() == DEMO.read_bytes()


def test_failed_verification_leaves_nothing(pki: SigningPKI, identity: Identity, tmp_path: Path) -> None:
    """When verification fails the temporary file is removed and the target never appears."""

    def failing(path: Path, anchors: object, now: object) -> Integrity:
        assert path.exists() and path.parent == tmp_path  # written beside the target, not yet renamed
        return Integrity(False)

    request = ResignRequest(DEMO, tmp_path / "app.ipa", identity, profiles_for(pki, DEMO), [pki.anchor], NOW)
    with pytest.raises(SigningError) as caught:
        resign(request, failing)
    assert caught.value.code == "verification-failed"
    assert list(tmp_path.iterdir()) == []


def test_wrong_password_is_one_line(pki: SigningPKI) -> None:
    """A wrong .p12 password is bad-identity, not a traceback."""
    with pytest.raises(SigningError) as caught:
        load_identity(pki.p12(), b"not the password")
    assert caught.value.code == "bad-identity"



def _understate(path: Path, name: str) -> None:
    """Rewrite the central directory so ``name`` declares 10 bytes of uncompressed size."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if bytes(data[at + 46 : at + 46 + name_length]) == name.encode():
            data[at + 24 : at + 28] = (10).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_zip_bomb_member_is_refused(pki: SigningPKI, identity: Identity, tmp_path: Path) -> None:
    """A member inflating past its declared size (a zip bomb) is refused as damaged; nothing written."""
    crafted = tmp_path / "bomb.ipa"
    with zipfile.ZipFile(DEMO) as source, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item.filename, source.read(item))
    _understate(crafted, "Payload/Demo.app/Base.lproj/Main.storyboardc/Info.plist")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    request = ResignRequest(crafted, out_dir / "x.ipa", identity, profiles_for(pki, DEMO), [pki.anchor], NOW)
    with pytest.raises(SigningError) as caught:
        resign(request, _never)
    assert caught.value.code == "not-a-zip" and "cannot be decompressed" in caught.value.message
    assert list(out_dir.iterdir()) == []
