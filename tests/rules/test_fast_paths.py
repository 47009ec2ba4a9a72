"""The timeline's fast verdicts and index agree with the full preflight, pair by pair.

The timeline never calls :func:`preflight` on store profiles: it files profiles in an
index and judges entitlements without composing reasons. These properties are what
lets it do so: same answer as the preflight an admin reads, for any profile and app.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from store.model import App, Profile, replace
from store.rules.coverage import Coverage
from store.rules.entitlements import entitlement_problems, entitlements_allowed
from store.rules.preflight import pair_allowed, preflight, profile_usable
from tests.rules.factory import NOW, TEAM, app, cert, days, fleet, profile

OTHER = "ZZZZZ99999"
values = st.one_of(
    st.booleans(), st.integers(0, 2),
    st.sampled_from(
        [f"{TEAM}.*", f"{TEAM}.com.acme.*", f"{TEAM}.com.acme.mail", "production", "development", "*"]
    ),
    st.lists(
        st.sampled_from([f"{TEAM}.*", f"{TEAM}.com.acme.mail", "group.x", "*", f"{OTHER}.a"]), max_size=3
    ),
)
keys = st.sampled_from(
    ["keychain-access-groups", "aps-environment", "get-task-allow", "application-identifier", "x"]
)
grants = st.dictionaries(keys, values, max_size=4)


@settings(max_examples=400, deadline=None)
@given(grants, grants)
def test_entitlements_allowed_agrees_with_the_reasons(
    claimed: dict[str, Any], allowed: dict[str, Any]
) -> None:
    assert entitlements_allowed(claimed, allowed) == (entitlement_problems(claimed, allowed) == [])


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Profile, App]:
    """A profile and an app that differ from a matching pair in random ways."""
    certs = [cert("c1"), cert("c2"), cert("c3", team=OTHER)]
    team = draw(st.sampled_from([TEAM, OTHER]))
    app_id = draw(st.sampled_from([
        f"{TEAM}.com.acme.*", f"{TEAM}.com.acme.mail", f"{TEAM}.*", f"{OTHER}.*",
        f"{TEAM}.com.acme.mailer", f"{OTHER}.com.acme.mail",
    ]))
    chosen = profile(
        "p", app_id, days(draw(st.integers(-5, 5))),
        draw(st.lists(st.sampled_from(certs), max_size=2, unique_by=lambda c: c.sha256)),
        type=draw(st.sampled_from(["enterprise", "ad-hoc", "development", "app-store"])),
        signature=draw(st.sampled_from(["valid", "invalid", "absent"])),
        trust=draw(st.sampled_from(["apple", "anchor", "untrusted", "incomplete"])),
        entitlements=draw(st.one_of(st.none(), grants)), team=team,
        platforms=draw(st.sampled_from([("iOS",), ("OSX",), ()])),
    )
    signing = draw(st.one_of(st.none(), st.sampled_from(certs)))
    made = app(draw(st.sampled_from(["com.acme.mail", "com.acme.mailer", "org.x"])),
               entitlements=draw(st.one_of(st.none(), grants)), team=draw(st.sampled_from([TEAM, OTHER])))
    return chosen, replace(made, signing_certificate=signing)


@settings(max_examples=400, deadline=None)
@given(pairs(), st.sampled_from([None, "user", "device"]))
def test_fast_verdicts_agree_with_preflight(pair: tuple[Profile, App], group_kind: Any) -> None:
    chosen, subject = pair
    full = preflight(chosen, subject, NOW, group_kind).ok
    assert (profile_usable(chosen, NOW, group_kind) and pair_allowed(chosen, subject)) == full


@settings(max_examples=300, deadline=None)
@given(st.lists(pairs(), min_size=1, max_size=6))
def test_the_index_finds_exactly_the_profiles_passing_preflight(found: list[tuple[Profile, App]]) -> None:
    profiles = [replace(p, uuid=f"p{i}") for i, (p, _) in enumerate(found)]
    stored = list({a.bundle_id: a for _, a in found}.values())  # bundle IDs are unique in a store
    coverage = Coverage(fleet(profiles, stored), NOW)
    for subject in stored:
        expected = {p.uuid for p in profiles if preflight(p, subject, NOW, "user").ok}
        assert {p.uuid for p in coverage.covering(subject)} == expected


def test_a_legacy_seed_prefix_is_found_under_the_team_and_under_the_seed() -> None:
    """Old profiles carry an app ID prefix (seed) other than their team: both name the app's team."""
    seeded = profile("seed", "SEED123456.com.acme.*", entitlements={})
    for team in (TEAM, "SEED123456"):
        subject = app(signing=cert(team=team), entitlements={})  # its team known from its certificate
        assert preflight(seeded, subject, NOW, "user").ok
        assert [p.uuid for p in Coverage(fleet([seeded], [subject]), NOW).covering(subject)] == ["seed"]
