"""Real apps changed after signing: each change is caught, with its own code, where it was made.

The archives are rebuilt from the real fixtures with zipfile; the team case re-signs the
extension and re-seals and re-signs the app with the re-signer's own code signer
(``store.signing``) and test identities (real CMS, real certificates made with
cryptography, ``tests.signing.identities``) so only the team differs.
"""

from __future__ import annotations

import plistlib
import struct
from collections.abc import Callable

from asn1crypto import cms

from store.formats.codesign.structure import SLOT_ALTERNATE, SLOT_CMS, SLOT_ENTITLEMENTS, parse_macho
from tests.formats.codesign.helpers import (
    codes,
    entry,
    integrity,
    only,
    rebuilt,
    resealed,
    signature_offset,
    signed_as_before,
)
from tests.signing.identities import make_pki

DEMO = "app_info__embedded.ipa"
ROOT = "Payload/Demo.app"
EXE = f"{ROOT}/Demo"
APPEX = f"{ROOT}/PlugIns/Notification.appex"
NIB = f"{ROOT}/Base.lproj/Main.storyboardc/UIViewController-BYZ-38-t0r.nib"


def _flip(at: int) -> Callable[[bytes], bytes]:
    """A change flipping one byte at ``at``."""

    def flip(data: bytes) -> bytes:
        return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]

    return flip


def test_a_byte_flipped_in_a_code_page() -> None:
    verdict = integrity(rebuilt(DEMO, only(EXE, _flip(0x2345))))
    assert codes(verdict) == {"code-page-mismatch"}
    (problem,) = verdict.problems
    assert problem.path == EXE and "code page 2 " in problem.message


def test_info_plist_edited() -> None:
    def edit(data: bytes) -> bytes:
        info = plistlib.loads(data)
        info["CFBundleShortVersionString"] = "9.9"
        return plistlib.dumps(info, fmt=plistlib.FMT_BINARY)

    verdict = integrity(rebuilt(DEMO, only(f"{ROOT}/Info.plist", edit)))
    assert codes(verdict) == {"special-slot-mismatch"}
    assert "Info.plist was changed" in verdict.problems[0].message


def test_a_resource_edited() -> None:
    verdict = integrity(rebuilt(DEMO, only(NIB, lambda d: d + b"\x00")))
    assert [(p.code, p.path) for p in verdict.problems] == [("resource-modified", NIB)]


def test_a_resource_removed() -> None:
    verdict = integrity(rebuilt(DEMO, lambda n, d: None if n == NIB else d))
    assert [(p.code, p.path) for p in verdict.problems] == [("resource-missing", NIB)]


def test_a_resource_added() -> None:
    verdict = integrity(rebuilt(DEMO, extra={f"{ROOT}/payload.js": b"alert(1)"}))
    assert [(p.code, p.path) for p in verdict.problems] == [("resource-added", f"{ROOT}/payload.js")]


def test_omitted_files_may_change() -> None:
    """The rules omit .DS_Store (weight 2000): adding one is not a seal problem."""
    verdict = integrity(rebuilt(DEMO, extra={f"{ROOT}/Base.lproj/.DS_Store": b"\x00"}))
    assert verdict.ok


def test_embedded_profile_swapped() -> None:
    """Another app's (real, validly signed) profile: the seal and the signer check both catch it."""
    other = entry("app_info__iphone.ipa", "Payload/AppInfoDemo.app/embedded.mobileprovision")
    verdict = integrity(rebuilt(DEMO, only(f"{ROOT}/embedded.mobileprovision", lambda _d: other)))
    found = {(p.code, p.path) for p in verdict.problems}
    assert ("resource-modified", f"{ROOT}/embedded.mobileprovision") in found
    assert ("certificate-not-in-profile", EXE) in found


def test_entitlements_changed() -> None:
    """One character of the signed XML entitlements: their special slot no longer matches."""
    binary = entry(DEMO, EXE)
    start = signature_offset(binary, SLOT_ENTITLEMENTS)
    at = binary.index(b"com.icyleaf.test.Demo</string>", start)
    verdict = integrity(rebuilt(DEMO, only(EXE, _flip(at))))
    slots = [p.message for p in verdict.problems if p.code == "special-slot-mismatch"]
    assert slots == ["the XML entitlements was changed after signing (sha256 slot) (arm64)"]


def test_the_cms_signature_altered() -> None:
    """One byte in the middle of the signer's RSA signature value."""
    binary = entry(DEMO, EXE)
    start = signature_offset(binary, SLOT_CMS)
    (length,) = struct.unpack_from(">I", binary, start + 4)
    signed = cms.ContentInfo.load(binary[start + 8 : start + length])
    value = signed["content"]["signer_infos"][0]["signature"].native
    at = binary.index(value, start) + len(value) // 2
    verdict = integrity(rebuilt(DEMO, only(EXE, _flip(at))))
    assert codes(verdict) == {"cms-invalid"}


def test_an_alternate_code_directory_swapped() -> None:
    """The SHA-256 CD of a SHA-1-signed binary is bound only by the cdhashes attributes."""
    app, exe = "app_info__iphone.ipa", "Payload/AppInfoDemo.app/AppInfoDemo"
    binary = entry(app, exe)
    platform = signature_offset(binary, SLOT_ALTERNATE, 1) + 0x26
    verdict = integrity(rebuilt(app, only(exe, _flip(platform))))
    assert codes(verdict) == {"cdhash-mismatch", "weak-signature"}
    assert all(p.message.endswith("(arm64)") for p in verdict.problems if p.code == "cdhash-mismatch")


def test_a_symlink_leaving_the_bundle() -> None:
    verdict = integrity(rebuilt(DEMO, links={f"{ROOT}/passwd": "../../../etc/passwd"}))
    assert codes(verdict) == {"unsafe-symlink", "resource-added"}


def test_unsigned_loose_code() -> None:
    """A dylib with no signature dropped into Frameworks/."""
    header = struct.pack("<IiiIIIII", 0xFEEDFACF, 0x100000C, 0, 6, 0, 0, 0, 0)
    verdict = integrity(rebuilt(DEMO, extra={f"{ROOT}/Frameworks/libx.dylib": header}))
    found = {(p.code, p.path) for p in verdict.problems}
    assert found == {
        ("unsigned-code", f"{ROOT}/Frameworks/libx.dylib"),
        ("resource-added", f"{ROOT}/Frameworks/libx.dylib"),
    }


def test_an_extension_id_not_under_the_app() -> None:
    """The appex's Info.plist names another ID: its own slot, the app's seal, and the prefix rule."""

    def rename(data: bytes) -> bytes:
        info = plistlib.loads(data)
        info["CFBundleIdentifier"] = "com.evil.Notification"
        return plistlib.dumps(info, fmt=plistlib.FMT_BINARY)

    verdict = integrity(rebuilt(DEMO, only(f"{APPEX}/Info.plist", rename)))
    found = {(p.code, p.path) for p in verdict.problems}
    assert ("bundle-id-prefix", f"{APPEX}/Notification") in found
    assert ("special-slot-mismatch", f"{APPEX}/Notification") in found
    assert ("resource-modified", f"{APPEX}/Info.plist") in found


PKI = make_pki()
OURS, THEIRS = PKI.identity_for("72LA85G59H"), PKI.identity_for("ZZZZ999999")


def test_an_appex_signed_by_another_team() -> None:
    """Extension re-signed by team ZZZZ999999, app re-sealed and re-signed by 72LA85G59H: team-mismatch."""
    appex_seal = resealed(DEMO, APPEX, {})  # the re-signer seals SHA-1 too: it signs both hash types
    appex = signed_as_before(DEMO, f"{APPEX}/Notification", THEIRS, appex_seal)
    inner = {f"{APPEX}/_CodeSignature/CodeResources": appex_seal, f"{APPEX}/Notification": appex}
    seal = resealed(DEMO, ROOT, inner)
    app = signed_as_before(DEMO, EXE, OURS, seal)
    changed = {**inner, f"{ROOT}/_CodeSignature/CodeResources": seal, EXE: app}
    verdict = integrity(rebuilt(DEMO, lambda n, d: changed.get(n, d)), [PKI.anchor])
    found = {(p.code, p.path) for p in verdict.problems}
    assert ("team-mismatch", f"{APPEX}/Notification") in found
    assert {code for code, _ in found} == {"team-mismatch", "certificate-not-in-profile"}
    assert [b.team_id for b in verdict.bundles] == ["ZZZZ999999", "72LA85G59H"]


def test_the_re_signer_makes_a_valid_signature() -> None:
    """The harness itself: the app re-signed unchanged by a test identity verifies under its anchor."""
    seal = resealed(DEMO, ROOT, {})
    app = signed_as_before(DEMO, EXE, OURS, seal)
    changed = {f"{ROOT}/_CodeSignature/CodeResources": seal, EXE: app}
    verdict = integrity(rebuilt(DEMO, lambda n, d: changed.get(n, d)), [PKI.anchor])
    assert codes(verdict) == {"certificate-not-in-profile"}
    assert parse_macho(app).slices[0].superblob is not None
    assert codes(integrity(rebuilt(DEMO, lambda n, d: changed.get(n, d)))) == {
        "certificate-not-in-profile",
        "signer-untrusted",
    }
