"""App ID matching as iOS does it: a profile's ``TEAMID.bundle.id`` or ``TEAMID.prefix.*`` wildcard.

Shared by the readers (does an app's own profile cover it?) and the preflight rules.
"""

from __future__ import annotations


def split_app_id(app_id: str) -> tuple[str, str]:
    """``TEAMID.com.example.app`` -> (``TEAMID``, ``com.example.app``); no dot -> ("", app_id)."""
    team, dot, rest = app_id.partition(".")
    return (team, rest) if dot else ("", app_id)


def app_id_matches(app_id: str, bundle_id: str, team_id: str | None = None) -> bool:
    """Whether a profile's app ID covers ``bundle_id``: exact, or a wildcard prefix ending in ``*``.

    When ``team_id`` is given the app ID's team prefix must equal it (a wildcard never
    crosses teams).
    """
    team, pattern = split_app_id(app_id)
    if team_id is not None and team != team_id:
        return False
    if pattern == "*":
        return bool(bundle_id)
    if pattern.endswith(".*"):
        return bundle_id.startswith(pattern[:-1])
    if pattern.endswith("*"):
        return bundle_id.startswith(pattern[:-1])
    return pattern == bundle_id
