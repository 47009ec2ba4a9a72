"""The blob builders against Xcode's own output: the real enterprise app's blobs, rebuilt byte for byte.

Given what Xcode bound (the Demo app's Info.plist, CodeResources, requirement and
entitlements), the builders must write exactly Xcode's requirement, XML and DER
entitlements and SHA-256 CodeDirectory, page hashes included; and the seal builder,
given the app's files, must write the seal Xcode wrote (same rules, same files, same hashes).
"""

from __future__ import annotations

import hashlib
import plistlib
import zipfile

from store.formats.codesign import parse_macho
from store.signing.blobs import HASH_SHA256, ExecSegment, code_directory, designated_requirement
from store.signing.entitlements import entitlements_der, entitlements_xml
from store.signing.seal import FileDigest, code_resources
from tests.signing.conftest import APPS

ROOT = "Payload/Demo.app"
ENTITLEMENTS = {
    "application-identifier": "72LA85G59H.com.icyleaf.test.Demo",
    "com.apple.developer.team-identifier": "72LA85G59H",
    "get-task-allow": False,
    "keychain-access-groups": ["72LA85G59H.com.icyleaf.test.Demo"],
}


def _members() -> dict[str, bytes]:
    with zipfile.ZipFile(APPS / "app_info__embedded.ipa") as archive:
        return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}


def test_blobs_equal_xcodes() -> None:
    """Requirement, entitlements (XML and DER) and the CodeDirectory as Xcode wrote them."""
    members = _members()
    binary = members[f"{ROOT}/Demo"]
    (piece,) = parse_macho(binary).slices
    assert piece.superblob is not None and piece.signature is not None
    blobs = {b.slot: b.data for b in piece.superblob.blobs}
    cn = "iPhone Distribution: Niceliving Beijing Technology Co. Ltd."
    assert designated_requirement("com.icyleaf.test.Demo", cn) == blobs[2]
    assert entitlements_xml(ENTITLEMENTS) == blobs[5][8:]
    assert entitlements_der(ENTITLEMENTS) == blobs[7][8:]
    seal = members[f"{ROOT}/_CodeSignature/CodeResources"]
    special = {1: members[f"{ROOT}/Info.plist"], 2: blobs[2], 3: seal, 5: blobs[5], 7: blobs[7]}
    directory = code_directory(HASH_SHA256, "com.icyleaf.test.Demo", "72LA85G59H", binary,
                               piece.signature.dataoff, special, ExecSegment(0, 32768, 1))  # fmt: skip
    assert directory == blobs[0]


def test_seal_equals_xcodes() -> None:
    """The seal over the app's files has Xcode's rules, files and hashes."""
    members = _members()
    files = {
        name[len(ROOT) + 1 :]: FileDigest(hashlib.sha1(data).digest(), hashlib.sha256(data).digest())
        for name, data in members.items()
        if name.startswith(ROOT + "/")
    }
    ours = plistlib.loads(code_resources(files, "Demo"))
    xcode = plistlib.loads(members[f"{ROOT}/_CodeSignature/CodeResources"])
    assert ours["rules"] == xcode["rules"] and ours["rules2"] == xcode["rules2"]
    assert ours["files"] == xcode["files"]
    assert sorted(ours["files2"]) == sorted(xcode["files2"])
    assert all(ours["files2"][k]["hash2"] == v["hash2"] for k, v in xcode["files2"].items())
