"""``--bundle-id`` and ``--entitlements-from app``: the two ways a re-sign departs from the defaults."""

from __future__ import annotations

import plistlib
import zipfile
from pathlib import Path

from store.formats.codesign import parse_macho
from store.formats.ipa import read_ipa
from store.signing.identity import Identity
from store.signing.resign import ResignRequest, resign
from store.signing.verify import verify_archive
from tests.signing.conftest import APPS, granted_for
from tests.signing.identities import NOW, TEAM, SigningPKI
from tests.signing.oracle import macho_members


def test_new_bundle_id_moves_the_app_and_its_extension(
    pki: SigningPKI, identity: Identity, tmp_path: Path
) -> None:
    """The app takes the new ID, its extension keeps its suffix under it; both verify."""
    output = tmp_path / "moved.ipa"
    profiles = {None: pki.profile("com.acme.*")}
    source = APPS / "app_info__embedded.ipa"
    request = ResignRequest(source, output, identity, profiles, [pki.anchor], NOW, bundle_id="com.acme.demo")
    result = resign(request, verify_archive)
    assert result.bundle_id == "com.acme.demo"
    with zipfile.ZipFile(output) as archive:
        app_info = plistlib.loads(archive.read("Payload/Demo.app/Info.plist"))
        appex_info = plistlib.loads(archive.read("Payload/Demo.app/PlugIns/Notification.appex/Info.plist"))
    assert app_info["CFBundleIdentifier"] == "com.acme.demo"
    assert appex_info["CFBundleIdentifier"] == "com.acme.demo.Notification"
    identifiers = {c.path.rsplit("/", 1)[-1]: c.identifier for c in result.signed}
    assert identifiers == {"Demo": "com.acme.demo", "Notification": "com.acme.demo.Notification"}
    assert read_ipa(output).app.entitlements["application-identifier"] == f"{TEAM}.com.acme.demo"


def test_entitlements_from_the_app(pki: SigningPKI, identity: Identity, tmp_path: Path) -> None:
    """--entitlements-from app keeps the app's own claims, moved to the new team, where the profile allows."""
    source = APPS / "fastlane__fastlane_core__very-capable-app.ipa"
    claimed = dict(read_ipa(source).app.entitlements)
    grants = granted_for(claimed)
    grants["aps-environment"] = "development"  # the app's own value, so the profile allows it
    profiles = {None: pki.profile("org.fastlane.very-capable-app", entitlements=grants)}
    output = tmp_path / "own.ipa"
    request = ResignRequest(source, output, identity, profiles, [pki.anchor], NOW, entitlements_from="app")
    result = resign(request, verify_archive)
    signed = dict(read_ipa(output).app.entitlements)
    assert signed == dict(result.entitlements)
    assert signed["aps-environment"] == "development"
    assert (
        signed["com.apple.developer.ubiquity-kvstore-identifier"] == f"{TEAM}.org.fastlane.very-capable-app"
    )
    assert signed["get-task-allow"] is False  # the profile does not allow debugging
    assert set(signed) == set(claimed)
    (piece,) = parse_macho(macho_members(output)[result.main.path]).slices
    assert piece.superblob is not None and piece.superblob.code_directories[0].exec_seg_flags == 1
