"""Entitlement comparison: booleans, exact aps-environment, strings and lists with wildcards."""

from __future__ import annotations

from typing import Any

import pytest

from store.rules.entitlements import entitlement_problems, wildcard_match

PROFILE: dict[str, Any] = {
    "application-identifier": "ABCDE12345.com.acme.*",
    "com.apple.developer.team-identifier": "ABCDE12345",
    "keychain-access-groups": ["ABCDE12345.*", "com.apple.token"],
    "get-task-allow": False,
    "aps-environment": "production",
    "com.apple.developer.associated-domains": "*",
    "com.apple.security.application-groups": ["group.com.acme.shared"],
    "com.apple.developer.icloud-container-environment": ["Development", "Production"],
}


@pytest.mark.parametrize(
    ("claimed", "problem"),
    [
        ({"application-identifier": "ABCDE12345.com.acme.mail"}, None),
        ({"application-identifier": "ABCDE12345.com.other.mail"}, "the application identifier"),
        ({"application-identifier": "ZZZZZ99999.com.acme.mail"}, "the application identifier"),
        ({"com.apple.developer.team-identifier": "ABCDE12345"}, None),
        ({"com.apple.developer.team-identifier": "ZZZZZ99999"}, "the team identifier"),
        ({"keychain-access-groups": ["ABCDE12345.com.acme.mail", "com.apple.token"]}, None),
        ({"keychain-access-groups": ["ZZZZZ99999.shared"]}, "'ZZZZZ99999.shared'"),
        ({"get-task-allow": False}, None),
        ({"get-task-allow": True}, "debugging (get-task-allow)"),
        ({"aps-environment": "production"}, None),
        ({"aps-environment": "development"}, "grants 'production'"),
        ({"com.apple.developer.associated-domains": ["applinks:acme.com"]}, None),
        ({"com.apple.security.application-groups": ["group.com.acme.shared"]}, None),
        ({"com.apple.security.application-groups": ["group.com.acme.other"]}, "'group.com.acme.other'"),
        ({"com.apple.developer.icloud-container-environment": "Production"}, None),
        ({"com.apple.developer.healthkit": True}, "does not grant at all"),
        ({"com.apple.developer.healthkit": False}, None),
        ({"com.apple.developer.siri": []}, None),
    ],
)
def test_claimed_against_allowed(claimed: dict[str, Any], problem: str | None) -> None:
    problems = entitlement_problems(claimed, PROFILE)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0]


def test_wildcards_are_prefixes_only_for_strings() -> None:
    assert wildcard_match("ABCDE12345.com.acme.*", "ABCDE12345.com.acme.mail")
    assert not wildcard_match("ABCDE12345.com.acme.*", "ABCDE12345.com.acmex")
    assert wildcard_match(3, 3) and not wildcard_match("*", 3)


def test_get_task_allow_granted_by_a_development_profile() -> None:
    assert entitlement_problems({"get-task-allow": True}, {"get-task-allow": True}) == []
