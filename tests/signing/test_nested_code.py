"""A framework and a loose dylib, linked here by ld64.lld-14, added to the fixture app with an extension.

The real fixture's ``Frameworks/CarPlay.framework`` is an empty folder, so the framework
case is completed with code built here: the re-signer must sign the framework's binary and
the loose dylib (no entitlements, their own identifiers) before the extension and the app,
and the result must verify as a whole.
"""

from __future__ import annotations

import plistlib
import zipfile
from pathlib import Path

import pytest

from store.formats.codesign import parse_macho
from store.signing.identity import Identity
from store.signing.resign import ResignRequest, ResignResult, resign
from store.signing.verify import verify_archive
from tests.signing.conftest import APPS, profiles_for
from tests.signing.identities import NOW, SigningPKI
from tests.signing.oracle import check_code, macho_members
from tests.signing.toolchain import build_macho

ROOT = "Payload/Demo.app"
FRAMEWORK = f"{ROOT}/Frameworks/Kit.framework"
DYLIB = f"{ROOT}/Frameworks/libhelper.dylib"


def with_code(work: Path) -> Path:
    """The Demo fixture plus a lld-built framework and loose dylib."""
    target = work / "Demo+Kit.ipa"
    info = plistlib.dumps(
        {
            "CFBundleIdentifier": "com.icyleaf.test.Kit",
            "CFBundleExecutable": "Kit",
            "CFBundlePackageType": "FMWK",
        },
        fmt=plistlib.FMT_BINARY,
    )
    with zipfile.ZipFile(APPS / "app_info__embedded.ipa") as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr(f"{FRAMEWORK}/Info.plist", info)
        out.writestr(f"{FRAMEWORK}/Kit", build_macho(work / "kit", "Kit", kind="dylib"))
        out.writestr(DYLIB, build_macho(work / "helper", "libhelper", kind="dylib"))
    return target


@pytest.fixture(scope="module")
def signed(
    pki: SigningPKI, identity: Identity, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ResignResult]:
    """The augmented app, re-signed."""
    work = tmp_path_factory.mktemp("nested")
    source = with_code(work)
    output = work / "out.ipa"
    request = ResignRequest(source, output, identity, profiles_for(pki, source), [pki.anchor], NOW)
    return output, resign(request, verify_archive)


def test_innermost_first(signed: tuple[Path, ResignResult]) -> None:
    """Loose dylibs and the framework first, then the extension, the app last."""
    _, result = signed
    order = [c.path for c in result.signed]
    assert order[-1] == f"{ROOT}/Demo"
    assert order.index(f"{FRAMEWORK}/Kit") < order.index(f"{ROOT}/Demo")
    assert order.index(f"{ROOT}/PlugIns/Notification.appex/Notification") < order.index(f"{ROOT}/Demo")
    assert set(order) == {
        f"{FRAMEWORK}/Kit",
        DYLIB,
        f"{ROOT}/PlugIns/Notification.appex/Notification",
        f"{ROOT}/Demo",
    }


def test_library_code_is_signed_as_a_library(
    signed: tuple[Path, ResignResult], pki: SigningPKI, tmp_path: Path
) -> None:
    """Framework and dylib: own identifiers, no entitlements, no main-binary flag; CMS verifies."""
    output, _ = signed
    code = macho_members(output)
    for name, identifier in ((f"{FRAMEWORK}/Kit", "com.icyleaf.test.Kit"), (DYLIB, "libhelper")):
        (piece,) = parse_macho(code[name]).slices
        assert piece.superblob is not None
        assert piece.superblob.blob(5) is None and piece.superblob.blob(7) is None
        for cd in piece.superblob.code_directories:
            assert cd.identifier == identifier
            assert cd.exec_seg_flags == 0 and cd.flags == 0
        assert check_code(code[name], pki.root_pem, tmp_path / identifier) == []


def test_framework_has_its_own_seal_and_the_app_seals_it(
    signed: tuple[Path, ResignResult], pki: SigningPKI
) -> None:
    """The framework gets a CodeResources; the app's seal lists the framework's signed files."""
    output, _ = signed
    with zipfile.ZipFile(output) as archive:
        names = set(archive.namelist())
        app_seal = plistlib.loads(archive.read(f"{ROOT}/_CodeSignature/CodeResources"))
    assert f"{FRAMEWORK}/_CodeSignature/CodeResources" in names
    assert f"{FRAMEWORK}/embedded.mobileprovision" not in names
    for member in (
        "Frameworks/Kit.framework/Kit",
        "Frameworks/Kit.framework/_CodeSignature/CodeResources",
        "Frameworks/libhelper.dylib",
    ):
        assert set(app_seal["files2"][member]) == {"hash", "hash2"}
    assert verify_archive(output, [pki.anchor], NOW).ok
