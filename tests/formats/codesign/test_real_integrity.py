"""The five real fixture apps: the verdicts of the research note's section 14.

Every page hash, special slot and seal holds in all five; what differs is what iOS would
refuse today: signatures older than 0x20400 and without DER entitlements (2016 Xcode), no
DER entitlements (2019), a self-signed certificate (fastlane). Expired certificates and
profiles are the timeline's business (dated), not integrity's.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from store.formats import INTEGRITY_CODES
from store.formats.ipa import read_ipa
from store.formats.zipsafe import MAX_ENTRY_BYTES, SafeZip
from store.model import App, from_json, to_json
from tests.formats.oracle import REAL

NEVER = {
    "code-page-mismatch",
    "special-slot-mismatch",
    "cms-invalid",
    "cdhash-mismatch",
    "resource-modified",
    "resource-missing",
    "resource-added",
    "signature-damaged",
    "signature-layout",
    "seal-invalid",
}
VERDICTS = {
    "app_info__embedded.ipa": set(),
    "app_info__iphone.ipa": {"weak-signature"},
    "app_info__ipad.ipa": {"weak-signature"},
    "fastlane__fastlane_core__very-capable-app.ipa": {"signer-untrusted", "weak-signature"},
    "Resigner__app.ipa": {"weak-signature"},
}
CDHASHES = {
    "app_info__embedded.ipa": {
        "Payload/Demo.app/PlugIns/Notification.appex/Notification": [
            ("arm64", "sha256", "e47d36116d7c441f9d49d5bae8ce9c2319740d03")
        ],
        "Payload/Demo.app/Demo": [("arm64", "sha256", "c53eb946d413d3f2da67d683b48486156d1ac17a")],
    },
    "app_info__iphone.ipa": {
        "Payload/AppInfoDemo.app/AppInfoDemo": [
            ("armv7", "sha1", "2293ed02b14bbc620c2e61103f6a3641d02466c7"),
            ("armv7", "sha256", "f7c37fa377cb663ae826cece88157bab6d31cf6e"),
            ("arm64", "sha1", "cf64668d5bfd67f98422d0f922a450471188762a"),
            ("arm64", "sha256", "4f4551f63049b6a3fdd6ca533ac794e0ed4be2f0"),
        ],
    },
}


@pytest.mark.parametrize(("name", "expected"), sorted(VERDICTS.items()))
def test_the_verdict_of_each_real_app(name: str, expected: set[str]) -> None:
    """Nothing was changed after signing in any of them; only iOS's own refusals remain."""
    verdict = read_ipa(REAL / "apps" / name).app.integrity
    assert verdict is not None
    found = {p.code for p in verdict.problems}
    assert found == expected
    assert found <= INTEGRITY_CODES and not found & NEVER
    assert verdict.ok is (not expected)


@pytest.mark.parametrize("name", sorted(CDHASHES))
def test_cdhashes_innermost_first(name: str) -> None:
    """Each code item, innermost first, with the cdhash of every CodeDirectory of every slice."""
    verdict = read_ipa(REAL / "apps" / name).app.integrity
    assert verdict is not None
    found = {b.path: [(c.arch, c.hash_type, c.cdhash) for c in b.cdhashes] for b in verdict.bundles}
    assert found == CDHASHES[name]
    assert list(found) == list(CDHASHES[name])


@pytest.mark.parametrize("name", ["app_info__iphone.ipa", "app_info__ipad.ipa"])
def test_2016_signatures_are_refused_by_ios_15_for_two_reasons(name: str) -> None:
    """CodeDirectory 0x20200 (0xe8008029) and no DER entitlements, named once for both slices."""
    verdict = read_ipa(REAL / "apps" / name).app.integrity
    assert verdict is not None
    messages = sorted(p.message for p in verdict.problems)
    assert len(messages) == 2
    assert "version 0x20200" in messages[0] and messages[0].endswith("(armv7, arm64)")
    assert "no DER entitlements" in messages[1]


def test_the_enterprise_app_is_intact_but_expired_today() -> None:
    """embedded.ipa verifies whole (app and extension, team 72LA85G59H); its certificate has expired."""
    app = read_ipa(REAL / "apps" / "app_info__embedded.ipa").app
    assert app.integrity is not None and app.integrity.ok
    assert {b.team_id for b in app.integrity.bundles} == {"72LA85G59H"}
    assert [b.kind for b in app.integrity.bundles] == ["appex", "app"]
    assert app.signing_certificate is not None
    assert app.signing_certificate.not_after < datetime(2026, 1, 1, tzinfo=UTC)


def test_a_self_signed_app_is_structurally_valid_but_untrusted() -> None:
    """fastlane's fixture: no team ID; the chain ends at its own 'TestFixture' root."""
    verdict = read_ipa(REAL / "apps" / "fastlane__fastlane_core__very-capable-app.ipa").app.integrity
    assert verdict is not None
    (untrusted,) = [p for p in verdict.problems if p.code == "signer-untrusted"]
    assert "TestFixture" in untrusted.message
    assert [b.team_id for b in verdict.bundles] == [None]


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_each_entry_is_inflated_once(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_ipa (facts and integrity) inflates every entry at most once, streaming."""
    inflated: list[str] = []
    original = SafeZip.chunks

    def counting(self: SafeZip, entry: str, limit: int = MAX_ENTRY_BYTES) -> Iterator[bytes]:
        inflated.append(entry)
        return original(self, entry, limit)

    monkeypatch.setattr(SafeZip, "chunks", counting)
    read_ipa(REAL / "apps" / name)
    assert len(inflated) == len(set(inflated))
    assert {
        n
        for n in zipfile.ZipFile(REAL / "apps" / name).namelist()
        if "/" in n and not n.endswith("/") and n.startswith("Payload/")
    } <= set(inflated)


def test_the_verdict_survives_the_store_codec() -> None:
    """Integrity, bundles and cdhashes come back from the store's JSON equal."""
    app = read_ipa(REAL / "apps" / "app_info__iphone.ipa").app
    assert from_json(App, to_json(app)) == app
