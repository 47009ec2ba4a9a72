"""Preflight, profile against app: each of iOS's launch checks passes or fails with a plain reason."""

from __future__ import annotations

import pytest

from store.model import App, Profile, replace
from store.rules.preflight import CHECK_NAMES, preflight
from tests.rules.factory import NOW, TEAM, app, cert, days, profile

GOOD_PROFILE = profile("p1")
GOOD_APP = app()


def failing(p: Profile, a: App, group_kind: str | None = "user") -> dict[str, str]:
    """The failed checks of a preflight by name, with their reasons."""
    result = preflight(p, a, NOW, "user" if group_kind else None)
    assert result.ok == (not result.failed())
    return {c.name: c.reason for c in result.failed()}


def test_a_matching_enterprise_profile_passes_every_check_in_order() -> None:
    result = preflight(GOOD_PROFILE, GOOD_APP, NOW, "user")
    assert result.ok
    assert tuple(c.name for c in result.checks) == CHECK_NAMES


@pytest.mark.parametrize(
    ("changed", "check", "words"),
    [
        (replace(GOOD_PROFILE, signature="invalid"), "signature", "changed after it was signed"),
        (replace(GOOD_PROFILE, signature="absent"), "signature", "not signed"),
        (replace(GOOD_PROFILE, trust="untrusted"), "signature", "does not chain to Apple"),
        (replace(GOOD_PROFILE, trust="incomplete"), "signature", "incomplete"),
        (profile("p", f"{TEAM}.com.other.*"), "app-id", "does not cover 'com.acme.mail'"),
        (profile("p", f"{TEAM}.com.acme.mailer"), "app-id", "does not cover"),
        (profile("p", "ZZZZZ99999.com.acme.*", team="ZZZZZ99999"), "app-id", "belongs to team ABCDE12345"),
        (profile("p", certs=[cert("other")]), "certificate", "not one of the profile's certificates"),
        (profile("p", type="app-store"), "install", "App Store profile never installs"),
        (profile("p", type="ad-hoc"), "install", "cannot cover a whole user group"),
        (profile("p", type="development"), "install", "only on the 1 devices it lists"),
        (profile("p", platforms=("OSX",)), "install", "for OSX, not iOS"),
        (profile("p", expires=days(-1)), "expiry", "expired on 2026-05-31T12:00:00Z"),
        (profile("p", expires=NOW), "expiry", "expired on"),
    ],
)
def test_one_failing_check_names_itself(changed: Profile, check: str, words: str) -> None:
    failed = failing(changed, GOOD_APP)
    # A profile for another app ID also grants another application-identifier entitlement.
    also = {"entitlements"} if check == "app-id" else set()
    assert set(failed) == {check} | also
    assert words in failed[check]


def test_entitlement_beyond_the_profile_fails_the_entitlements_check() -> None:
    claims = {"get-task-allow": True, "aps-environment": "development"}
    greedy = app(entitlements={**GOOD_APP.entitlements, **claims})
    failed = failing(GOOD_PROFILE, greedy)
    assert list(failed) == ["entitlements"]
    assert "debugging" in failed["entitlements"] and "push notifications" in failed["entitlements"]


def test_ad_hoc_passes_for_its_listed_devices_when_no_group_is_asked() -> None:
    result = preflight(profile("p", type="ad-hoc"), GOOD_APP, NOW)
    assert result.ok
    install = next(c for c in result.checks if c.name == "install")
    assert "installs only on the 1 devices it lists" in install.reason


def test_exact_and_bare_wildcard_app_ids_pass() -> None:
    assert preflight(profile("p", f"{TEAM}.com.acme.mail"), GOOD_APP, NOW, "device").ok
    assert preflight(profile("p", f"{TEAM}.*"), GOOD_APP, NOW, "device").ok


def test_app_without_recorded_certificate_is_not_failed_on_it() -> None:
    unknown = replace(GOOD_APP, signing_certificate=None)
    result = preflight(GOOD_PROFILE, unknown, NOW, "user")
    assert result.ok
    assert "not on record" in next(c.reason for c in result.checks if c.name == "certificate")


def test_certificate_matches_by_sha256_whatever_the_case() -> None:
    upper = replace(cert(), sha256=cert().sha256.upper())
    assert preflight(profile("p", certs=[upper]), GOOD_APP, NOW, "user").ok


def test_several_failures_are_all_reported() -> None:
    bad = profile("p", "ZZZZZ99999.org.x", expires=days(-3), type="app-store", signature="absent")
    assert set(failing(bad, GOOD_APP)) >= {"signature", "app-id", "install", "expiry"}
