"""What an assignment would change before it is saved: which apps in which groups move their break date.

Why: in the Intune portal an admin saves an assignment and finds out later who lost
an app. The Assign pane shows the consequence first. We compute it the honest way,
by building the timeline with and without the new assignment and diffing the two, so
the preview can never disagree with what the timeline will say after saving.

Each change is judged by the status it leads to, not by whether a date moved later: an
app entering a group already expired is a break, not an improvement (issue 10, bug 2).
Going to expired or critical, or adding an app that cannot launch, is an *alarm*: the
console asks for confirmation before saving one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from store.model import App, Assignment, Fleet, Profile
from store.rules.appid import app_id_matches
from store.rules.assignment import resolve_targets
from store.rules.preflight import app_team, preflight
from store.rules.timeline import Status, Timeline, build_timeline, status_of

Verdict = Literal["worse", "better", "same"]
SEVERITY: dict[Status, int] = {"ok": 0, "warning": 1, "critical": 2, "expired": 3}
BROKEN: frozenset[Status] = frozenset({"critical", "expired"})


@dataclass(frozen=True)
class Change:
    """One app in one group whose break moves: ``None`` means the app is not in that group on that side.

    ``before_status``/``after_status`` are that app's status in that group on each side,
    ``verdict`` whether saving makes things worse or better for the group's users.
    """

    group: str
    app: str
    before: datetime | None
    after: datetime | None
    before_status: Status | None = None
    after_status: Status | None = None
    verdict: Verdict = "same"


@dataclass(frozen=True)
class GroupShift:
    """A group whose status changes (``None``: the group does not exist on that side)."""

    group: str
    before: Status
    after: Status


@dataclass(frozen=True)
class Effect:
    """Every change an assignment would make, the warnings its targets raise, and what needs confirming.

    ``alarms`` are the lines a console shows before it saves (empty: nothing to confirm).
    """

    changes: tuple[Change, ...]
    warnings: tuple[str, ...]
    shifts: tuple[GroupShift, ...] = ()
    alarms: tuple[str, ...] = ()


def judge(before: Status | None, after: Status | None, moved_later: bool) -> Verdict:
    """Worse or better for a group's users, by the status an app has there before and after.

    Entering a group is better only when the app then works (ok or warning); leaving it is
    worse unless it was already broken; otherwise a higher severity is worse, a lower one
    better, and at the same severity a later break is better.
    """
    if before is None:
        return "worse" if after in BROKEN else "better"
    if after is None:
        return "better" if before == "expired" else "worse"
    if SEVERITY[after] != SEVERITY[before]:
        return "worse" if SEVERITY[after] > SEVERITY[before] else "better"
    return "better" if moved_later else "worse"


def with_assignment(fleet: Fleet, new_assignment: Assignment) -> Fleet:
    """``fleet`` with the assignment of the same target replaced by ``new_assignment`` (or added)."""
    key = (new_assignment.target_kind, new_assignment.target)
    kept = tuple(a for a in fleet.assignments if (a.target_kind, a.target) != key)
    return replace(fleet, assignments=(*kept, new_assignment))


def _breaks(timeline: Timeline) -> dict[tuple[str, str], datetime]:
    """Every (group, app) pair of a timeline with its break moment."""
    return {(row.group, item.app): item.breaks_at for row in timeline.groups for item in row.items}


def _change(fleet: Fleet, now: datetime, group: str, app: str, before: datetime | None,
            after: datetime | None) -> Change:
    """One moved pair, judged by the status it has on each side."""
    def status(moment: datetime | None) -> Status | None:
        return None if moment is None else status_of(moment, now, fleet.thresholds)[0]

    later = before is not None and after is not None and after > before
    was, becomes = status(before), status(after)
    return Change(group, app, before, after, was, becomes, judge(was, becomes, later))


def _alarms(fleet: Fleet, changes: list[Change], shifts: list[GroupShift]) -> list[str]:
    """What saving breaks: a group going critical or expired, an app added that cannot launch."""
    names = {a.bundle_id: a.name for a in fleet.apps}
    alarms = [
        f"{shift.group} becomes {shift.after.upper()} (was {shift.before})"
        for shift in shifts if shift.after in BROKEN and SEVERITY[shift.after] > SEVERITY[shift.before]
    ]
    alarms += [
        f"{names.get(c.app, c.app)} cannot launch in {c.group}: it would be added already expired"
        for c in changes if c.before is None and c.after_status == "expired"
    ]
    return alarms


def assignment_effect(fleet: Fleet, new_assignment: Assignment, now: datetime) -> Effect:
    """Diff the timeline at ``now`` before and after the target's assignment becomes ``new_assignment``.

    Changes are sorted by group, then app; pairs whose break date stays the same are left out.
    """
    old_timeline = build_timeline(fleet, now)
    new_timeline = build_timeline(with_assignment(fleet, new_assignment), now)
    before, after = _breaks(old_timeline), _breaks(new_timeline)
    changes = [
        _change(fleet, now, group, app, before.get((group, app)), after.get((group, app)))
        for group, app in sorted(before.keys() | after.keys())
        if before.get((group, app)) != after.get((group, app))
    ]
    old_status = {row.group: row.status for row in old_timeline.groups}
    shifts = [
        GroupShift(row.group, old_status[row.group], row.status)
        for row in new_timeline.groups if row.group in old_status and old_status[row.group] != row.status
    ]
    return Effect(
        tuple(changes), resolve_targets(fleet, new_assignment).warnings, tuple(shifts),
        tuple(_alarms(fleet, changes, shifts)),
    )


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

