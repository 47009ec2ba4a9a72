"""Assignment effect: the Assign pane's preview is the diff of two timelines."""

from __future__ import annotations

from store.rules.effect import Change, assignment_effect, preflight_failures, with_assignment
from tests.rules.factory import NOW, app, assign, cert, days, fleet, groups, profile

GROUPS = groups(users=["Sales", "Executives"], devices=["Kiosk iPads"])
BASE = fleet(
    [profile("old", expires=days(20)), profile("new", expires=days(380))], [app()], GROUPS,
    [assign("app", "com.acme.mail", ["All users"]), assign("profile", "old", ["All users"])],
)


def test_rolling_out_a_new_profile_moves_every_group_but_the_excluded_one() -> None:
    rollout = assign("profile", "new", ["All users"], ["Executives", "Kiosk iPads"])
    effect = assignment_effect(BASE, rollout, NOW)
    assert effect.changes == (
        Change("All users", "com.acme.mail", days(20), days(380)),
        Change("Sales", "com.acme.mail", days(20), days(380)),
    )
    assert effect.warnings == (
        "'Kiosk iPads' is a device group: excluding it under All users excludes nobody",
    )


def test_removing_an_apps_group_shows_the_app_leaving_it() -> None:
    effect = assignment_effect(BASE, assign("app", "com.acme.mail", ["Sales", "Executives"]), NOW)
    assert effect.changes == (Change("All users", "com.acme.mail", days(20), None),)


def test_an_unchanged_assignment_changes_nothing() -> None:
    effect = assignment_effect(BASE, assign("profile", "old", ["All users"]), NOW)
    assert effect.changes == () and effect.warnings == ()


def test_with_assignment_replaces_the_same_target_only() -> None:
    replaced = with_assignment(BASE, assign("profile", "old", ["Sales"]))
    assert len(replaced.assignments) == 2
    assert replaced.assignment_for("profile", "old").include == {"Sales"}
    assert replaced.assignment_for("app", "com.acme.mail").include == {"All users"}


def test_preflight_failures_name_only_the_apps_a_profile_is_meant_for() -> None:
    """A wrong-certificate profile warns for its own team's matching app, never another team's."""
    stranger = profile("stranger", certs=[cert("other")])
    ours, theirs, unrelated = app(), app("com.acme.crm", team="ZZZZZ99999"), app("org.other.tool")
    failures = preflight_failures(stranger, [ours, theirs, unrelated], NOW)
    assert failures and all(line.startswith("mail: ") for line in failures)
    assert any(": certificate: " in line for line in failures)
    assert preflight_failures(profile("fine"), [ours], NOW) == []
