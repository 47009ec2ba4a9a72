"""What an assignment would change before it is saved: which apps in which groups move their break date.

Why: in the Intune portal an admin saves an assignment and finds out later who lost
an app. The Assign pane shows the consequence first. We compute it the honest way,
by building the timeline with and without the new assignment and diffing the two, so
the preview can never disagree with what the timeline will say after saving.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from store.model import App, Assignment, Fleet, Profile
from store.rules.appid import app_id_matches
from store.rules.assignment import resolve_targets
from store.rules.preflight import app_team, preflight
from store.rules.timeline import Timeline, build_timeline


@dataclass(frozen=True)
class Change:
    """One app in one group whose break moves: ``None`` means the app is not in that group on that side."""

    group: str
    app: str
    before: datetime | None
    after: datetime | None


@dataclass(frozen=True)
class Effect:
    """Every change an assignment would make, and the warnings its targets raise."""

    changes: tuple[Change, ...]
    warnings: tuple[str, ...]


def with_assignment(fleet: Fleet, new_assignment: Assignment) -> Fleet:
    """``fleet`` with the assignment of the same target replaced by ``new_assignment`` (or added)."""
    key = (new_assignment.target_kind, new_assignment.target)
    kept = tuple(a for a in fleet.assignments if (a.target_kind, a.target) != key)
    return replace(fleet, assignments=(*kept, new_assignment))


def _breaks(timeline: Timeline) -> dict[tuple[str, str], datetime]:
    """Every (group, app) pair of a timeline with its break moment."""
    return {(row.group, item.app): item.breaks_at for row in timeline.groups for item in row.items}


def assignment_effect(fleet: Fleet, new_assignment: Assignment, now: datetime) -> Effect:
    """Diff the timeline at ``now`` before and after the target's assignment becomes ``new_assignment``.

    Changes are sorted by group, then app; pairs whose break date stays the same are left out.
    """
    before = _breaks(build_timeline(fleet, now))
    after = _breaks(build_timeline(with_assignment(fleet, new_assignment), now))
    changes = [
        Change(group, app, before.get((group, app)), after.get((group, app)))
        for group, app in sorted(before.keys() | after.keys())
        if before.get((group, app)) != after.get((group, app))
    ]
    return Effect(tuple(changes), resolve_targets(fleet, new_assignment).warnings)


def preflight_failures(profile: Profile, apps: Iterable[App], now: datetime) -> list[str]:
    """Apps this profile is meant for (same team, app ID matches) on which it fails preflight.

    Apps of other teams are left out: a wildcard ``TEAM.*`` is never meant for them, and
    the timeline already ignores profiles that cannot run an app. One line per failed check.
    """
    failures = []
    for app in apps:
        team = app_team(app)
        if team is not None and team != profile.team_id:
            continue
        if not app_id_matches(profile.app_id, app.bundle_id):
            continue
        for check in preflight(profile, app, now).failed():
            failures.append(f"{app.name}: {check.name}: {check.reason}")
    return failures

