"""The console's Problems list: what timeline warns about on stderr, from the rules."""

from __future__ import annotations

from store.rules.problems import fleet_problems
from tests.rules.factory import NOW, TEAM, app, assign, cert, fleet, groups, profile

GROUPS = groups(users=["Sales"], devices=["Kiosk iPads"])


def test_a_no_effect_exclusion_and_a_failing_assigned_profile_are_problems() -> None:
    fleet_ = fleet(
        [profile("good"), profile("stranger", app_id=f"{TEAM}.com.acme.mail", certs=[cert("other")])],
        [app()], GROUPS,
        [assign("app", "com.acme.mail", ["Sales"]),
         assign("profile", "good", ["All users"], ["Kiosk iPads"]),
         assign("profile", "stranger", ["Sales"])],
    )
    problems = fleet_problems(fleet_, NOW)
    assert [(p.kind, p.target) for p in problems] == [("assignment", "good"), ("preflight", "stranger")]
    assert "excludes nobody" in problems[0].message
    assert "fails preflight: certificate" in problems[1].message


def test_a_healthy_fleet_has_no_problems() -> None:
    fleet_ = fleet([profile("good")], [app()], GROUPS,
                   [assign("app", "com.acme.mail", ["Sales"]), assign("profile", "good", ["Sales"])])
    assert fleet_problems(fleet_, NOW) == ()
