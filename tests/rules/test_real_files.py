"""Real files: the apps in ``../shared/fixtures/real/apps`` against the real profiles, when they were valid.

Read with the project's own readers, judged by the rules: the in-house Demo app launches
under its enterprise profile until that expires; the others fail for the reasons iOS
would give (another app ID, an App Store profile, an untrusted signer, an ad hoc
profile asked to cover a whole group). Every one but Demo also fails ``integrity``: their
signatures lack DER entitlements (and the 2016 ones are older than 0x20400), which iOS 15
and later refuse whatever the profile.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.errors import ParseError
from store.formats.ipa import read_ipa
from store.formats.mobileprovision import read_mobileprovision
from store.model import App, Assignment, Fleet, Profile
from store.rules.preflight import preflight
from store.rules.timeline import build_timeline
from tests.rules.factory import groups

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "real"
DEMO_PROFILE = "app_info__embedded.ipa__Demo.app_embedded.mobileprovision"
DEMO_UUID = "1f67e425-350e-434c-9077-9e0791347bbf"
VALID = datetime(2021, 6, 1, tzinfo=UTC)


def real_profile(name: str) -> Profile:
    return read_mobileprovision((REAL / "profiles" / name).read_bytes())


def real_app(name: str) -> App:
    return read_ipa(REAL / "apps" / name).app


def failed(profile: Profile, app: App, now: datetime, group_kind: str | None = None) -> set[str]:
    result = preflight(profile, app, now, "user" if group_kind else None)
    return {c.name for c in result.failed()}


def test_the_in_house_demo_app_passes_under_its_enterprise_profile_while_valid() -> None:
    profile, app = real_profile(DEMO_PROFILE), real_app("app_info__embedded.ipa")
    assert profile.uuid == DEMO_UUID
    assert failed(profile, app, VALID, "user") == set()
    assert failed(profile, app, datetime(2022, 2, 1, tzinfo=UTC)) == {"expiry"}


@pytest.mark.parametrize(
    ("profile_name", "app_name", "group", "expected"),
    [
        ("Resigner__embedded.mobileprovision", "Resigner__app.ipa", None,
         {"app-id", "entitlements", "integrity"}),
        ("fastlane__fastlane_core__very-capable-app_embedded.mobileprovision",
         "fastlane__fastlane_core__very-capable-app.ipa", None, {"signature", "integrity"}),
        ("app_info__ios_development.mobileprovision", "app_info__iphone.ipa", None,
         {"app-id", "certificate", "entitlements", "integrity"}),
        (DEMO_PROFILE, "Resigner__app.ipa", None, {"app-id", "certificate", "entitlements", "integrity"}),
    ],
)
def test_real_pairs_fail_for_the_reasons_ios_gives(
    profile_name: str, app_name: str, group: str | None, expected: set[str]
) -> None:
    profile = real_profile(profile_name)
    assert failed(profile, real_app(app_name), profile.created, group) == expected


def test_embedded_profiles_judged_as_ios_would() -> None:
    adhoc = real_app("Resigner__app.ipa")
    assert adhoc.embedded_profile is not None
    at = adhoc.embedded_profile.created
    assert failed(adhoc.embedded_profile, adhoc, at) == {"integrity"}
    assert failed(adhoc.embedded_profile, adhoc, at, "user") == {"install", "integrity"}
    store_build = real_app("app_info__ipad.ipa")
    shipped = store_build.embedded_profile
    assert shipped is not None and shipped.type == "app-store"
    assert failed(shipped, store_build, shipped.created) == {"install", "integrity"}


def real_fleet() -> Fleet:
    """Every readable real profile and every real app; apps to All users, Demo's profile minus Executives."""
    profiles = []
    for path in sorted((REAL / "profiles").iterdir()):
        try:
            profiles.append(read_mobileprovision(path.read_bytes()))
        except ParseError:
            continue
    apps = [read_ipa(path).app for path in sorted((REAL / "apps").iterdir())]
    assignments = [Assignment("app", a.bundle_id, frozenset({"All users"})) for a in apps]
    assignments.append(Assignment("profile", DEMO_UUID, frozenset({"All users"}), frozenset({"Executives"})))
    unique = {p.uuid: p for p in profiles}  # two fixtures share a UUID (one is a tampered copy)
    return Fleet(tuple(unique.values()), tuple(apps), groups(["Sales", "Executives"], ["Kiosk iPads"]),
                 tuple(assignments))


def test_real_fleet_timeline_while_the_demo_profile_is_valid() -> None:
    timeline = build_timeline(real_fleet(), VALID)
    sales = timeline.group("Sales")
    assert sales is not None and len(sales.items) == 5
    by_app = {item.app: item for item in sales.items}
    demo = by_app["com.icyleaf.test.Demo"]
    assert (demo.reason, demo.profile) == ("profile", DEMO_UUID)
    assert demo.breaks_at == datetime(2022, 1, 15, 6, 40, 53, tzinfo=UTC)
    assert demo.certificate_expires == datetime(2022, 6, 19, 11, 29, 49, tzinfo=UTC)
    executives = timeline.group("Executives")
    assert executives is not None
    # Excluded from the store profile, Executives still run Demo under the identical embedded one.
    assert {i.app: i.breaks_at for i in executives.items} == {i.app: i.breaks_at for i in sales.items}
    for bundle in ["codes.mohamadreza.TLDR", "com.icyleaf.bundle", "org.fastlane.very-capable-app"]:
        assert by_app[bundle].reason in ("integrity", "certificate")
        assert by_app[bundle].breaks_at <= VALID
    assert sales.status == "expired"
    kiosk = timeline.group("Kiosk iPads")
    assert kiosk is not None and kiosk.items == () and kiosk.status == "ok"


def test_real_fleet_after_the_demo_profile_expired() -> None:
    later = datetime(2022, 2, 1, tzinfo=UTC)
    sales = build_timeline(real_fleet(), later).group("Sales")
    assert sales is not None
    demo = next(i for i in sales.items if i.app == "com.icyleaf.test.Demo")
    assert (demo.reason, demo.breaks_at, demo.profile) == ("no-profile", later, None)
