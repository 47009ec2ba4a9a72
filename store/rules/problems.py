"""What is wrong in the fleet that no countdown shows: the console's Problems list.

``provdesk timeline`` prints these on stderr; the console counts them on the overview and
lists them on the Problems screen, so an admin in the console sees the same warnings:

- an exclusion (or an inclusion) that does nothing, e.g. a device group excluded under
  All users (as in Intune, it excludes nobody);
- a profile assigned to a group one of its apps is in, meant for that app (same team,
  app ID matches) but failing preflight for it, so it silently does not cover it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from store.model import App, Fleet, TargetKind
from store.rules.appid import app_id_matches
from store.rules.assignment import resolve_targets
from store.rules.coverage import GROUP_CONTEXT, Coverage
from store.rules.preflight import app_team, preflight

ProblemKind = Literal["assignment", "preflight"]


@dataclass(frozen=True)
class Problem:
    """One warning about a profile or app (``target``: UUID or bundle ID), in an admin's words."""

    kind: ProblemKind
    target_kind: TargetKind
    target: str
    message: str


def fleet_problems(fleet: Fleet, now: datetime) -> tuple[Problem, ...]:
    """Every assignment warning, then every assigned profile that fails preflight for an app it meets."""
    coverage = Coverage(fleet, now)
    labels = {p.uuid: p.label for p in fleet.profiles} | {a.bundle_id: a.name for a in fleet.apps}
    found = [
        Problem("assignment", a.target_kind, a.target,
                f"{a.target_kind} {labels.get(a.target, a.target)}: {warning}")
        for a in fleet.assignments for warning in resolve_targets(fleet, a).warnings
    ]
    by_team: dict[str | None, list[App]] = defaultdict(list)
    for app in fleet.apps:
        if coverage.app_groups.get(app.bundle_id):
            by_team[app_team(app)].append(app)
    for uuid, groups in sorted(coverage.profile_groups.items()):
        profile = coverage.profiles[uuid]
        for app in by_team.get(profile.team_id, []) + by_team.get(None, []):
            if not app_id_matches(profile.app_id, app.bundle_id):
                continue
            if not groups & coverage.app_groups[app.bundle_id] or profile in coverage.covering(app):
                continue
            for check in preflight(profile, app, now, GROUP_CONTEXT).failed():
                found.append(Problem("preflight", "profile", uuid,
                                     f"profile {profile.label} is assigned with {app.name} but fails "
                                     f"preflight: {check.name}: {check.reason}"))
    return tuple(found)

