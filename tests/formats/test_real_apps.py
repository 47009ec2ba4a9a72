"""Every real app agrees with the oracle; every broken one fails with its own error code.

The oracle's ``apple_chain`` for an embedded profile maps to ``trust == "apple"`` (the
reader has Apple Root CA built in, the oracle was given it); its ``signing_certificate``
is the CMS signer's certificate, matched by issuer and serial.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store.errors import ParseError
from store.formats import ERROR_CODES
from store.formats.ipa import read_ipa
from store.model import iso
from tests.formats.oracle import REAL, app_cases, bad_app_cases, expected, read

APPS = app_cases()

# The oracle describes each broken archive in words ("what"); these are the codes those
# descriptions call for. The first test keeps this table and expected.json in step.
BAD_APP_CODES = {
    "fastlane__fastlane_core__IncorrectlySigned.ipa": "payload-not-at-root",
    "fastlane__fastlane_core__no-app-bundle.ipa": "no-app-bundle",
    "fastlane__fastlane_core__not-an-ipa.ipa": "not-a-zip",
    "fastlane__gym__with_swift_twice.ipa": "missing-info-plist",
    "isign__NotAnApp.ipa": "no-app-bundle",
}


def test_every_fixture_file_has_an_oracle_entry() -> None:
    """No real file escapes the oracle tests (a new fixture must get expected facts)."""
    for folder, key in (("profiles", "profiles"), ("apps", "apps"), ("bad-apps", "bad-apps")):
        on_disk = {p.name for p in (REAL / folder).iterdir()}
        assert on_disk == set(expected()[key]), folder
    assert set(BAD_APP_CODES) == {name for name, _ in bad_app_cases()}
    assert set(BAD_APP_CODES.values()) <= ERROR_CODES


@pytest.mark.parametrize(("name", "facts"), APPS, ids=[n for n, _ in APPS])
def test_bundle_facts_agree(name: str, facts: dict[str, Any]) -> None:
    """Info.plist fields, nested bundles and the file hash."""
    report = read_ipa(REAL / "apps" / name)
    (bundle,) = facts["bundles"]
    app = report.app
    assert report.bundle_path == f"Payload/{bundle['app']}"
    assert app.bundle_id == bundle["CFBundleIdentifier"]
    assert app.name == bundle["CFBundleName"]
    assert app.version == bundle["CFBundleShortVersionString"]
    assert app.build == bundle["CFBundleVersion"]
    assert app.min_os == bundle["MinimumOSVersion"]
    assert [n.path for n in app.nested] == bundle["nested_bundles"]
    with_profiles = [
        f"{report.bundle_path}/{n.path}/embedded.mobileprovision" for n in app.nested if n.embedded_profile
    ]
    assert with_profiles == facts["nested_profiles"]
    assert app.file_sha256 == facts["sha256"]


@pytest.mark.parametrize(("name", "facts"), APPS, ids=[n for n, _ in APPS])
def test_embedded_profile_and_signing_certificate_agree(name: str, facts: dict[str, Any]) -> None:
    """The embedded profile's identity and verdicts; the signer from the code signature; the checks."""
    report = read_ipa(REAL / "apps" / name)
    (bundle,) = facts["bundles"]
    profile = report.app.embedded_profile
    assert profile is not None
    wanted = bundle["embedded_profile"]
    assert (profile.uuid, profile.name) == (wanted["UUID"], wanted["Name"])
    assert iso(profile.expires) == wanted["ExpirationDate"]
    assert profile.signature == wanted["signature"]
    assert (profile.trust == "apple") == wanted["apple_chain"]
    cert = report.app.signing_certificate
    assert cert is not None
    signing = bundle["signing_certificate"]
    assert (cert.common_name, cert.sha256) == (signing["common_name"], signing["sha256"])
    assert report.checks["certificate_in_profile"] == signing["in_embedded_profile"]
    assert report.checks["bundle_id_matches"] is True
    assert report.checks["profile_trusted"] == wanted["apple_chain"]
    assert report.checks["entitlements_in_profile"] is True


@pytest.mark.parametrize(("name", "facts"), APPS, ids=[n for n, _ in APPS])
def test_bytes_and_path_read_the_same(name: str, facts: dict[str, Any]) -> None:
    """An upload (bytes) and a file on disk (read in place) give the same report."""
    assert read_ipa(read("apps", name)) == read_ipa(REAL / "apps" / name)


@pytest.mark.parametrize("name", sorted(BAD_APP_CODES))
def test_broken_apps_give_their_code(name: str) -> None:
    """Each broken archive fails with one documented code and a one-line message."""
    with pytest.raises(ParseError) as caught:
        read_ipa(REAL / "bad-apps" / name)
    assert caught.value.code == BAD_APP_CODES[name]
    assert "\n" not in caught.value.message


def test_a_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    """A path that vanished is an error code, not an OSError."""
    with pytest.raises(ParseError) as caught:
        read_ipa(tmp_path / "gone.ipa")
    assert caught.value.code == "unreadable-file"
