"""Assignment effect: the Assign pane's preview is the diff of two timelines."""

from __future__ import annotations

from store.rules.effect import Change, assignment_effect, judge, preflight_failures, with_assignment
from tests.rules.factory import NOW, TEAM, app, assign, cert, days, fleet, groups, profile

GROUPS = groups(users=["Sales", "Executives"], devices=["Kiosk iPads"])
BASE = fleet(
    [profile("old", expires=days(20)), profile("new", expires=days(380))], [app()], GROUPS,
    [assign("app", "com.acme.mail", ["All users"]), assign("profile", "old", ["All users"])],
)


def test_rolling_out_a_new_profile_moves_every_group_but_the_excluded_one() -> None:
    rollout = assign("profile", "new", ["All users"], ["Executives", "Kiosk iPads"])
    effect = assignment_effect(BASE, rollout, NOW)
    assert effect.changes == (
        Change("All users", "com.acme.mail", days(20), days(380), "warning", "ok", "better"),
        Change("Sales", "com.acme.mail", days(20), days(380), "warning", "ok", "better"),
    )
    assert effect.alarms == ()
    assert effect.warnings == (
        "'Kiosk iPads' is a device group: excluding it under All users excludes nobody",
    )


def test_removing_an_apps_group_shows_the_app_leaving_it() -> None:
    effect = assignment_effect(BASE, assign("app", "com.acme.mail", ["Sales", "Executives"]), NOW)
    assert effect.changes == (Change("All users", "com.acme.mail", days(20), None, "warning", None, "worse"),)


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


def test_an_app_entering_a_group_already_expired_is_a_break_not_an_improvement() -> None:
    """Bug 2: "not in group -> a past date" used to read as a later break, in green."""
    dead = app("com.acme.dead", embedded=None)
    fleet_ = fleet([profile("gone", app_id=f"{TEAM}.com.acme.dead", expires=days(-30))], [dead], GROUPS, [])
    effect = assignment_effect(fleet_, assign("app", "com.acme.dead", ["Sales"]), NOW)
    [change] = effect.changes
    assert (change.before_status, change.after_status, change.verdict) == (None, "expired", "worse")
    assert [(s.group, s.before, s.after) for s in effect.shifts] == [("Sales", "ok", "expired")]
    assert any("Sales becomes EXPIRED" in a for a in effect.alarms)
    assert any("cannot launch in Sales" in a for a in effect.alarms)


def test_verdicts_follow_the_resulting_status() -> None:
    assert judge(None, "ok", False) == "better" and judge(None, "critical", False) == "worse"
    assert judge("ok", None, False) == "worse" and judge("expired", None, False) == "better"
    assert judge("ok", "critical", False) == "worse" and judge("expired", "warning", True) == "better"
    assert judge("ok", "ok", True) == "better" and judge("ok", "ok", False) == "worse"
