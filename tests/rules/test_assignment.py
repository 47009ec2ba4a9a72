"""Assignment resolution as Intune does it: fan-out of the built-ins, same-kind exclusions, warnings."""

from __future__ import annotations

import pytest

from store.rules.assignment import resolve_targets
from tests.rules.factory import assign, fleet, groups

FLEET = fleet(
    group_list=groups(users=["Sales", "Executives", "Field"], devices=["Kiosk iPads", "Shared iPads"])
)
USERS = {"All users", "Sales", "Executives", "Field"}
DEVICES = {"All devices", "Kiosk iPads", "Shared iPads"}


@pytest.mark.parametrize(
    ("include", "exclude", "reached"),
    [
        (["Sales"], [], {"Sales"}),
        (["Sales", "Kiosk iPads"], [], {"Sales", "Kiosk iPads"}),
        (["All users"], [], USERS),
        (["All devices"], [], DEVICES),
        (["All users"], ["Executives"], USERS - {"Executives"}),
        (
            ["All users", "All devices"], ["Executives", "Kiosk iPads"],
            (USERS | DEVICES) - {"Executives", "Kiosk iPads"},
        ),
        (["Sales", "Executives"], ["Executives"], {"Sales"}),
        (["All users"], ["All users"], set()),
        (["All devices", "Sales"], ["Shared iPads"], (DEVICES - {"Shared iPads"}) | {"Sales"}),
        ([], ["Sales"], set()),
    ],
)
def test_reached_groups(include: list[str], exclude: list[str], reached: set[str]) -> None:
    resolution = resolve_targets(FLEET, assign("profile", "p", include, exclude))
    assert resolution.groups == reached
    assert resolution.warnings == ()


def test_device_exclusion_under_all_users_excludes_nobody_and_warns() -> None:
    resolution = resolve_targets(FLEET, assign("profile", "p", ["All users"], ["Kiosk iPads"]))
    assert resolution.groups == USERS
    assert resolution.warnings == (
        "'Kiosk iPads' is a device group: excluding it under All users excludes nobody",
    )


def test_user_exclusion_under_device_groups_warns_with_their_names() -> None:
    resolution = resolve_targets(FLEET, assign("app", "com.acme.mail", ["Kiosk iPads"], ["Sales"]))
    assert resolution.groups == {"Kiosk iPads"}
    assert resolution.warnings == (
        "'Sales' is a user group: excluding it under 'Kiosk iPads' excludes nobody",
    )


def test_unknown_groups_reach_and_exclude_nobody_with_warnings() -> None:
    resolution = resolve_targets(FLEET, assign("profile", "p", ["Sales", "Ghosts"], ["Phantoms"]))
    assert resolution.groups == {"Sales"}
    assert len(resolution.warnings) == 2
    assert "'Ghosts' is not a known group" in resolution.warnings[0]
    assert "'Phantoms' is not a known group" in resolution.warnings[1]


def test_builtins_resolve_even_when_the_fleet_lists_no_groups() -> None:
    bare = fleet(group_list=groups())
    assert resolve_targets(bare, assign("profile", "p", ["All users"])).groups == {"All users"}
