"""Archives built in the test: guards (bombs, traversal, entry counts) and the app checks.

Real apps are rebuilt entry by entry with one thing changed, so each test shows one
failure or one check flipping, on otherwise genuine bytes.
"""

from __future__ import annotations

import io
import plistlib
import zipfile
from collections.abc import Callable
from dataclasses import replace

import pytest

from store.errors import ParseError
from store.formats import ERROR_CODES
from store.formats.ipa import read_ipa
from tests.formats.generated import make_pki, signed_profile
from tests.formats.oracle import read

APP = "fastlane__fastlane_core__very-capable-app.ipa"
ROOT = "Payload/very-capable-app.app"
Change = Callable[[str, bytes], bytes | None]


def _rebuilt(change: Change, extra: dict[str, bytes] | None = None) -> bytes:
    """The real app with each entry passed through ``change`` (``None`` drops it), plus ``extra``."""
    source = zipfile.ZipFile(io.BytesIO(read("apps", APP)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _code(data: bytes) -> str:
    """The error code reading ``data`` as an app gives."""
    with pytest.raises(ParseError) as caught:
        read_ipa(data)
    assert caught.value.code in ERROR_CODES
    return caught.value.code


def _zip(entries: dict[str, bytes]) -> bytes:
    """A deflated zip of ``entries``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    return out.getvalue()


def test_unchanged_rebuild_reads_like_the_original() -> None:
    """The harness itself: a rebuilt archive gives the same app."""
    assert read_ipa(_rebuilt(lambda _n, d: d)).app.bundle_id == "org.fastlane.very-capable-app"


def test_binary_info_plist_reads_the_same() -> None:
    """Info.plist in binary form (as Xcode ships it) gives the same facts, but breaks the seal.

    The app's own Info.plist is binary already; the storyboards' XML ones are sealed resources,
    and the seal binds their bytes, not their meaning.
    """

    def to_binary(name: str, data: bytes) -> bytes:
        if name.endswith("Info.plist"):
            return plistlib.dumps(plistlib.loads(data), fmt=plistlib.FMT_BINARY)
        return data

    binary = read_ipa(_rebuilt(to_binary)).app
    xml = read_ipa(_rebuilt(lambda _n, d: d)).app
    assert binary.file_sha256 != xml.file_sha256
    assert replace(binary, file_sha256="", integrity=None) == replace(xml, file_sha256="", integrity=None)
    assert binary.integrity is not None and xml.integrity is not None
    changed = {p.code for p in binary.integrity.problems} - {p.code for p in xml.integrity.problems}
    assert changed == {"resource-modified"}


def test_a_foreign_embedded_profile_fails_both_checks() -> None:
    """Another team's profile: the signing certificate is not in it and the app ID does not match."""
    foreign = signed_profile(make_pki("rsa"))
    report = read_ipa(_rebuilt(lambda n, d: foreign if n.endswith("embedded.mobileprovision") else d))
    assert report.checks["certificate_in_profile"] is False
    assert report.checks["bundle_id_matches"] is False
    assert report.app.embedded_profile is not None and report.app.embedded_profile.trust == "untrusted"


def test_no_embedded_profile_means_nothing_is_covered() -> None:
    """Without embedded.mobileprovision every check that needs it is false, and nothing raises."""
    report = read_ipa(_rebuilt(lambda n, d: None if n.endswith("embedded.mobileprovision") else d))
    assert report.app.embedded_profile is None
    assert not any(report.checks.values())


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda n, d: d[:2000] if n == f"{ROOT}/very-capable-app" else d, "unreadable-executable"),
        (lambda n, d: b"#!/bin/sh\n" if n == f"{ROOT}/very-capable-app" else d, "unreadable-executable"),
        (lambda n, d: None if n == f"{ROOT}/very-capable-app" else d, "unreadable-executable"),
        (lambda n, d: b"<plist><dict>" if n == f"{ROOT}/Info.plist" else d, "malformed-plist"),
        (lambda n, d: None if n == f"{ROOT}/Info.plist" else d, "missing-info-plist"),
        (lambda n, d: d[:500] if n.endswith("embedded.mobileprovision") else d, "malformed-cms"),
    ],
    ids=["truncated-binary", "script-binary", "no-binary", "bad-info-plist", "no-info-plist", "cut-profile"],
)
def test_damaged_parts_give_their_code(change: Change, code: str) -> None:
    """Each damaged part of a real app is named by its own code."""
    assert _code(_rebuilt(change)) == code


def test_payload_inside_a_folder_is_not_at_root() -> None:
    """A zipped folder (``MyApp/Payload/...``) is told apart from a missing bundle."""
    nested = {"MyApp/Payload/X.app/Info.plist": b"x"}
    assert _code(_rebuilt(lambda _n, _d: None, nested)) == "payload-not-at-root"


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "Payload/X.app/../../../x", "C:/x", "a\\..\\b"])
def test_unsafe_names_are_refused(name: str) -> None:
    """Path traversal and absolute names are refused before anything is read."""
    assert _code(_rebuilt(lambda _n, d: d, {name: b"x"})) == "unsafe-path"


def test_a_highly_compressed_entry_is_a_zip_bomb() -> None:
    """An executable that inflates more than 200 times is refused without being inflated."""
    bomb = b"\x00" * (24 * 1024 * 1024)
    data = _rebuilt(lambda n, d: bomb if n == f"{ROOT}/very-capable-app" else d)
    assert _code(data) == "zip-bomb"


def test_too_many_entries_are_refused() -> None:
    """An archive listing more entries than any app is refused."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for index in range(50_001):
            target.writestr(f"Payload/X.app/{index}", b"")
    assert _code(out.getvalue()) == "too-many-entries"


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"PK\x03\x04garbage", "not-a-zip"), (_zip({}), "no-app-bundle"),
     (_zip({"Payload/": b""}), "no-app-bundle")],
    ids=["empty", "broken-zip", "empty-zip", "empty-payload"],
)
def test_small_broken_archives(data: bytes, code: str) -> None:
    """Degenerate archives: each gives its code."""
    assert _code(data) == code
