"""Property tests: assignments move breaks in the direction an admin expects, and bad profiles change nothing.

- adding an include to a profile never makes an app in a group break earlier;
- adding an exclusion to a profile never makes it break later;
- a profile that fails preflight for every app never changes any app's break.
Group rows with apps follow their items; groups without apps are left out, since their
countdown is about profiles, not apps (see ``store/rules/timeline.py``).
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from store.model import Assignment, Fleet, Profile, replace
from store.rules.preflight import preflight
from store.rules.timeline import build_timeline
from tests.rules.factory import NOW, TEAM, app, cert, days, fleet, groups, profile

USER_GROUPS = ["Sales", "Field", "Executives"]
DEVICE_GROUPS = ["Kiosk iPads", "Shared iPads"]
ALL_NAMES = ["All users", "All devices", *USER_GROUPS, *DEVICE_GROUPS]
CERTS = [cert("c1", expires=days(400)), cert("c2", expires=days(60)), cert("c3", expires=days(-5))]
APP_IDS = [f"{TEAM}.com.acme.*"] * 2 + [f"{TEAM}.com.acme.mail", f"{TEAM}.*", f"{TEAM}.org.other"]

names = st.frozensets(st.sampled_from(ALL_NAMES), max_size=4)


@st.composite
def profiles(draw: st.DrawFn, uuid: str) -> Profile:
    """One profile: any app ID, expiry, certificate set, type and signature."""
    return profile(
        uuid, draw(st.sampled_from(APP_IDS)), days(draw(st.integers(-30, 500))),
        draw(st.lists(st.sampled_from(CERTS), min_size=1, max_size=3, unique_by=lambda c: c.sha256)),
        type=draw(st.sampled_from(["enterprise"] * 5 + ["ad-hoc"])),
        signature=draw(st.sampled_from(["valid"] * 5 + ["invalid"])),
    )


@st.composite
def fleets(draw: st.DrawFn) -> Fleet:
    """A small random fleet: up to six profiles, three apps, and their assignments."""
    count = draw(st.integers(1, 6))
    stored = [draw(profiles(f"p{i}")) for i in range(count)]
    bundles = ["com.acme.mail", "com.acme.chat", "org.other"]
    apps = [
        app(b, draw(st.sampled_from(CERTS)), embedded=draw(st.one_of(st.none(), profiles(f"e{i}"))))
        for i, b in enumerate(bundles[: draw(st.integers(1, 3))])
    ]
    assignments = [Assignment("profile", p.uuid, draw(names), draw(names)) for p in stored]
    assignments += [Assignment("app", a.bundle_id, draw(names), draw(names)) for a in apps]
    return fleet(stored, apps, groups(USER_GROUPS, DEVICE_GROUPS), assignments)


def breaks(situation: Fleet) -> dict[tuple[str, str], datetime]:
    """Every (group, app) break of the fleet's timeline at ``NOW``."""
    timeline = build_timeline(situation, NOW)
    return {(row.group, item.app): item.breaks_at for row in timeline.groups for item in row.items}


def group_breaks(situation: Fleet) -> dict[str, datetime | None]:
    """The break of every group that has apps."""
    return {row.group: row.breaks_at for row in build_timeline(situation, NOW).groups if row.items}


def changed(situation: Fleet, index: int, *, include: str = "", exclude: str = "") -> Fleet:
    """``situation`` with one more included or excluded group on its ``index``-th profile assignment."""
    profile_rows = [i for i, a in enumerate(situation.assignments) if a.target_kind == "profile"]
    at = profile_rows[index % len(profile_rows)]
    old = situation.assignments[at]
    new = replace(old, include=old.include | {include} - {""}, exclude=old.exclude | {exclude} - {""})
    rows = situation.assignments
    return replace(situation, assignments=(*rows[:at], new, *rows[at + 1 :]))


@settings(max_examples=200, deadline=None)
@given(fleets(), st.integers(0, 10), st.sampled_from(ALL_NAMES))
def test_adding_an_include_never_makes_a_group_break_earlier(
    situation: Fleet, index: int, group: str
) -> None:
    before, after = breaks(situation), breaks(changed(situation, index, include=group))
    assert before.keys() == after.keys()
    assert all(after[key] >= before[key] for key in before)
    rows_before, rows_after = group_breaks(situation), group_breaks(changed(situation, index, include=group))
    assert all(rows_after[g] >= rows_before[g] for g in rows_before)  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(fleets(), st.integers(0, 10), st.sampled_from(ALL_NAMES))
def test_adding_an_exclusion_never_makes_a_group_break_later(
    situation: Fleet, index: int, group: str
) -> None:
    before, after = breaks(situation), breaks(changed(situation, index, exclude=group))
    assert before.keys() == after.keys()
    assert all(after[key] <= before[key] for key in before)
    rows_before, rows_after = group_breaks(situation), group_breaks(changed(situation, index, exclude=group))
    assert all(rows_after[g] <= rows_before[g] for g in rows_before)  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(fleets(), profiles("bad"), names, names)
def test_a_profile_failing_preflight_never_changes_a_result(
    situation: Fleet, bad: Profile, include: frozenset[str], exclude: frozenset[str]
) -> None:
    assume(not any(preflight(bad, a, NOW, "user").ok for a in situation.apps))
    with_bad = replace(
        situation,
        profiles=(*situation.profiles, bad),
        assignments=(*situation.assignments, Assignment("profile", "bad", include, exclude)),
    )
    before = [r for r in build_timeline(situation, NOW).groups if r.items]
    after = [r for r in build_timeline(with_bad, NOW).groups if r.items]
    assert before == after


def test_the_strategies_produce_covered_and_uncovered_apps() -> None:
    """Guard against a vacuous generator: a hand-made fleet shows both outcomes."""
    covered = fleet(
        [profile("p", certs=[CERTS[0]])], [app(signing=CERTS[0]), app("org.other", CERTS[0])],
        groups(USER_GROUPS), [Assignment("profile", "p", frozenset({"Sales"})),
                              Assignment("app", "com.acme.mail", frozenset({"Sales"})),
                              Assignment("app", "org.other", frozenset({"Sales"}))],
    )
    reasons = {item.app: item.reason for row in build_timeline(covered, NOW).groups for item in row.items}
    assert reasons == {"com.acme.mail": "profile", "org.other": "no-profile"}
