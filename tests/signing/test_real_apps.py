"""Each real fixture app re-signed with the test identity, then checked by independent means.

The output must pass provdesk's integrity verification; claim the profile's entitlements as
Xcode filters them (XML and DER alike); keep every untouched member byte for byte (its
compressed bytes and metadata too); and carry, in every slice of every Mach-O, a CMS that
``openssl cms -verify`` accepts over the CodeDirectory against the test CA, with page
hashes hashlib agrees with.
"""

from __future__ import annotations

import plistlib
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from store.formats.codesign import parse_macho
from store.formats.derents import read_der_entitlements
from store.formats.ipa import read_ipa
from store.signing.identity import Identity
from store.signing.resign import ResignRequest, resign
from store.signing.verify import verify_archive
from tests.signing.conftest import APPS, profiles_for
from tests.signing.identities import NOW, TEAM, SigningPKI
from tests.signing.oracle import check_code, macho_members

NAMES = sorted(p.name for p in APPS.glob("*.ipa"))
_DERIVED = (
    "application-identifier",
    "com.apple.developer.team-identifier",
    "get-task-allow",
    "keychain-access-groups",
)


def _raw(path: Path, info: zipfile.ZipInfo) -> bytes:
    """A member's stored (compressed) bytes, read past its local header."""
    with path.open("rb") as stream:
        stream.seek(info.header_offset)
        header = stream.read(30)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        stream.seek(info.header_offset + 30 + name_length + extra_length)
        return stream.read(info.compress_size)


def _profile_entitlements(data: bytes) -> dict[str, Any]:
    """The Entitlements dict of a signed profile (the plist between the CMS bytes)."""
    start, end = data.index(b"<?xml"), data.index(b"</plist>") + len(b"</plist>")
    entitlements: dict[str, Any] = plistlib.loads(data[start:end])["Entitlements"]
    return entitlements


def _expected(bundle_id: str, granted: dict[str, Any], claimed: dict[str, Any]) -> dict[str, Any]:
    """Xcode's filter written out: concrete app ID, team, no debugging, the app's own keychain group."""
    expected = {
        "application-identifier": f"{TEAM}.{bundle_id}",
        "com.apple.developer.team-identifier": TEAM,
        "get-task-allow": False,
        "keychain-access-groups": [f"{TEAM}.{bundle_id}"],
    }
    expected.update({k: granted[k] for k in claimed if k not in _DERIVED})
    return expected


@pytest.fixture(scope="module", params=NAMES)
def resigned(
    request: pytest.FixtureRequest,
    pki: SigningPKI,
    identity: Identity,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, Any, dict[str | None, bytes]]:
    """One fixture re-signed into a temporary folder: (input, output, result, profiles)."""
    source = APPS / request.param
    output = tmp_path_factory.mktemp("resigned") / request.param
    profiles = profiles_for(pki, source)
    result = resign(ResignRequest(source, output, identity, profiles, [pki.anchor], NOW), verify_archive)
    return source, output, result, profiles


def test_output_passes_integrity_verification(resigned: Any, pki: SigningPKI) -> None:
    """provdesk's own verifier, reading the written file back, finds nothing wrong."""
    _, output, result, _ = resigned
    assert result.integrity.ok, result.integrity.problems
    verdict = verify_archive(output, [pki.anchor], NOW)
    assert verdict.ok, verdict.problems


def test_entitlements_are_the_profiles_after_filtering(resigned: Any) -> None:
    """XML and DER entitlements of the main executable equal the filtered profile's."""
    source, output, result, profiles = resigned
    before = read_ipa(source).app
    expected = _expected(before.bundle_id, _profile_entitlements(profiles[None]), dict(before.entitlements))
    after = read_ipa(output).app
    assert dict(after.entitlements) == expected
    assert dict(result.entitlements) == expected
    executable = macho_members(output)[result.main.path]
    for piece in parse_macho(executable).slices:
        assert piece.superblob is not None
        der = piece.superblob.blob(7)
        assert der is not None
        assert read_der_entitlements(der[8:]) == expected


def test_untouched_members_keep_every_byte(resigned: Any) -> None:
    """Members the re-sign does not rewrite are copied raw: same compressed bytes, CRC, date and mode."""
    source, output, result, _ = resigned
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(output) as new:
        before = {i.filename: i for i in old.infolist()}
        after = {i.filename: i for i in new.infolist()}
    rewritten = {c.path for c in result.signed}
    rewritten |= {
        n for n in after if n.endswith(("_CodeSignature/CodeResources", "/embedded.mobileprovision"))
    }
    untouched = sorted(set(before) - rewritten)
    assert untouched and set(untouched) <= set(after)
    for name in untouched:
        a, b = before[name], after[name]
        assert (a.CRC, a.compress_size, a.file_size, a.compress_type, a.date_time, a.external_attr) == (
            b.CRC,
            b.compress_size,
            b.file_size,
            b.compress_type,
            b.date_time,
            b.external_attr,
        ), name
        assert _raw(source, a) == _raw(output, b), name


def test_every_code_directory_verifies_with_openssl(resigned: Any, pki: SigningPKI, tmp_path: Path) -> None:
    """openssl cms -verify over each slice's CodeDirectory, against the test CA; page hashes by hashlib."""
    _, output, result, _ = resigned
    code = macho_members(output)
    assert {c.path for c in result.signed} == set(code)
    for index, (name, data) in enumerate(sorted(code.items())):
        assert check_code(data, pki.root_pem, tmp_path / str(index)) == [], name


def test_cdhashes_reported_are_the_written_ones(resigned: Any) -> None:
    """The cdhashes the re-signer prints are those of the CodeDirectories in the file."""
    _, output, result, _ = resigned
    code = macho_members(output)
    for signed in result.signed:
        slices = parse_macho(code[signed.path]).slices
        for piece, reported in zip(slices, signed.slices, strict=True):
            assert piece.superblob is not None
            sha1, sha256 = piece.superblob.code_directories
            assert (sha1.hash_name, sha256.hash_name) == ("sha1", "sha256")
            assert (reported.sha1, reported.sha256) == (sha1.cdhash.hex(), sha256.cdhash.hex())
            assert sha1.version == sha256.version == 0x20400
            assert sha1.team_id == TEAM
