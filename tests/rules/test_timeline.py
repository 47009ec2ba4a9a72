"""The timeline: which group loses which app, when and why, and how groups are ranked."""

from __future__ import annotations

from store.model import Thresholds, replace
from store.rules.timeline import build_timeline
from tests.rules.factory import NOW, app, assign, cert, days, fleet, groups, profile

USER_GROUPS = ["Sales", "Executives", "Field"]
GROUPS = groups(users=USER_GROUPS, devices=["Kiosk iPads"])


def test_seed_case_exclusion_keeps_executives_on_the_old_profile() -> None:
    old, new = profile("old", expires=days(20)), profile("new", expires=days(380))
    mail = app()
    situation = fleet(
        [old, new], [mail], GROUPS,
        [
            assign("app", mail.bundle_id, ["All users"]),
            assign("profile", "old", ["All users"]),
            assign("profile", "new", ["All users"], ["Executives"]),
        ],
    )
    timeline = build_timeline(situation, NOW)
    executives = timeline.group("Executives")
    assert executives is not None
    assert (executives.breaks_at, executives.profile, executives.reason) == (days(20), "old", "profile")
    assert executives.status == "warning"
    for name in ["All users", "Sales", "Field"]:
        row = timeline.group(name)
        assert row is not None
        assert (row.breaks_at, row.profile, row.status) == (days(380), "new", "ok")
    assert timeline.groups[0].group == "Executives"


def test_device_exclusion_under_all_users_excludes_nobody() -> None:
    old, new = profile("old", expires=days(20)), profile("new", expires=days(380))
    situation = fleet(
        [old, new], [app()], GROUPS,
        [
            assign("app", "com.acme.mail", ["All users"]),
            assign("profile", "old", ["All users"]),
            assign("profile", "new", ["All users"], ["Kiosk iPads"]),
        ],
    )
    timeline = build_timeline(situation, NOW)
    assert {r.group: r.breaks_at for r in timeline.groups if r.items} == {
        name: days(380) for name in ["All users", *USER_GROUPS]
    }


def test_certificate_expiring_first_requires_a_resign() -> None:
    short = cert("short", expires=days(5))
    situation = fleet(
        [profile("p", certs=[short], expires=days(300))], [app(signing=short)], GROUPS,
        [assign("app", "com.acme.mail", ["Sales"]), assign("profile", "p", ["Sales"])],
    )
    row = build_timeline(situation, NOW).group("Sales")
    assert row is not None and row.status == "critical" and row.reason == "certificate"
    item = row.items[0]
    assert (item.breaks_at, item.certificate_expires, item.resign_required) == (days(5), days(5), True)


def test_uncovered_app_is_broken_now_and_profiles_failing_preflight_do_not_count() -> None:
    wrong = profile("wrong", certs=[cert("other")])
    situation = fleet(
        [wrong], [app()], GROUPS,
        [assign("app", "com.acme.mail", ["Sales"]), assign("profile", "wrong", ["Sales"])],
    )
    row = build_timeline(situation, NOW).group("Sales")
    assert row is not None
    assert (row.status, row.reason, row.breaks_at, row.seconds_left, row.profile) == (
        "expired", "no-profile", NOW, 0, None,
    )


def test_embedded_profile_covers_the_app_in_every_group_it_reaches() -> None:
    embedded = profile("emb", expires=days(100))
    situation = fleet(
        [profile("assigned", expires=days(50))], [app(embedded=embedded)], GROUPS,
        [assign("app", "com.acme.mail", ["Sales", "Field"]), assign("profile", "assigned", ["Sales"])],
    )
    timeline = build_timeline(situation, NOW)
    for name in ["Sales", "Field"]:
        row = timeline.group(name)
        assert row is not None and (row.breaks_at, row.profile) == (days(100), "emb")


def test_expired_embedded_profile_does_not_cover() -> None:
    situation = fleet(
        [], [app(embedded=profile("emb", expires=days(-10)))], GROUPS,
        [assign("app", "com.acme.mail", ["Sales"])],
    )
    row = build_timeline(situation, NOW).group("Sales")
    assert row is not None and row.reason == "no-profile"


def test_group_without_apps_counts_down_to_its_last_usable_profile() -> None:
    situation = fleet(
        [profile("a", expires=days(40)), profile("b", expires=days(90), certs=[cert("c", expires=days(60))])],
        [], GROUPS, [assign("profile", "a", ["Field"]), assign("profile", "b", ["Field"])],
    )
    row = build_timeline(situation, NOW).group("Field")
    assert row is not None
    expected = (days(60), "certificate", "b", None, ())
    assert (row.breaks_at, row.reason, row.profile, row.app, row.items) == expected
    assert row.seconds_left == 60 * 86_400


def test_groups_sorted_by_urgency_with_empty_groups_last_and_ok() -> None:
    situation = fleet(
        [profile("soon", expires=days(3)), profile("later", expires=days(25))], [app()], GROUPS,
        [
            assign("app", "com.acme.mail", ["Sales", "Field"]),
            assign("profile", "soon", ["Field"]), assign("profile", "later", ["Sales"]),
        ],
    )
    timeline = build_timeline(situation, NOW)
    names = [r.group for r in timeline.groups]
    assert names[:2] == ["Field", "Sales"]
    assert [r.status for r in timeline.groups[:2]] == ["critical", "warning"]
    rest = timeline.groups[2:]
    assert all(r.status == "ok" and r.breaks_at is None and r.seconds_left is None for r in rest)
    assert set(names[2:]) == {"All users", "All devices", "Executives", "Kiosk iPads"}


def test_thresholds_are_settings() -> None:
    situation = fleet(
        [profile("p", expires=days(50))], [app()], GROUPS,
        [assign("app", "com.acme.mail", ["Sales"]), assign("profile", "p", ["Sales"])],
        thresholds=Thresholds(critical_days=60, warning_days=90),
    )
    row = build_timeline(situation, NOW).group("Sales")
    assert row is not None and row.status == "critical"


def test_group_row_names_its_most_urgent_app() -> None:
    chat = app("com.acme.chat", signing=cert("dist2", expires=days(12)))
    situation = fleet(
        [profile("p", expires=days(200), certs=[cert(), cert("dist2", expires=days(12))])],
        [app(), chat], GROUPS,
        [
            assign("app", "com.acme.mail", ["Sales"]), assign("app", "com.acme.chat", ["Sales"]),
            assign("profile", "p", ["Sales"]),
        ],
    )
    row = build_timeline(situation, NOW).group("Sales")
    assert row is not None
    assert (row.app, row.reason, row.breaks_at) == ("com.acme.chat", "certificate", days(12))
    assert [i.app for i in row.items] == ["com.acme.chat", "com.acme.mail"]


def test_app_assigned_but_absent_from_the_store_is_ignored() -> None:
    situation = fleet([], [], GROUPS, [assign("app", "com.gone", ["Sales"])])
    row = build_timeline(situation, NOW).group("Sales")
    assert row is not None and row.items == () and row.status == "ok"


def test_a_device_targeted_profile_does_not_reach_user_groups() -> None:
    situation = fleet(
        [profile("p")], [app()], GROUPS,
        [assign("app", "com.acme.mail", ["Sales"]), assign("profile", "p", ["All devices"])],
    )
    row = build_timeline(situation, NOW).group("Sales")
    assert row is not None and row.reason == "no-profile"
    untouched = replace(situation, assignments=())
    assert all(r.items == () for r in build_timeline(untouched, NOW).groups)
