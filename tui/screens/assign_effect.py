"""The Assign pane's preview, worked out in a worker from the rules: which (group, app)
pairs move their break and from when to when, judged by the status each ends in, the groups
whose status changes, what saving would break (asked before saving), the targets' warnings,
and the apps this profile would fail preflight on (all from store.rules). The screen only
renders the lines, with the status symbols that mean the same everywhere (✖ ▲ ● ✓) and the
verdict in words (worse / better), so no symbol means two things."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from store.model import Assignment, TargetKind
from store.rules.effect import Effect, assignment_effect, preflight_failures
from tui.snapshot import Snapshot
from tui.text import sanitize
from tui.timefmt import short_date
from tui.widgets.timeline import status_label

VERDICT_STYLE = {"worse": "bold red", "better": "green", "same": ""}


def _moment(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "not in group"
    return f"{short_date(moment)}{' (past)' if moment <= now else ''}"


def effect_of(
    snapshot: Snapshot, kind: TargetKind, target: str, include: set[str], exclude: set[str]
) -> Effect:
    """What saving these sets would do (the rules' diff of two timelines)."""
    assignment = Assignment(kind, target, frozenset(include), frozenset(exclude))
    return assignment_effect(snapshot.fleet, assignment, snapshot.now)


def effect_text(
    snapshot: Snapshot, kind: TargetKind, target: str, include: set[str], exclude: set[str],
    effect: Effect,
) -> Text:
    """Everything the admin should read before ctrl+s, as literal text."""
    text = Text("Will include: ", style="bold")
    text.append(sanitize(", ".join(sorted(include)) or "nobody"))
    text.append("\nWill exclude: ", style="bold")
    text.append(sanitize(", ".join(sorted(exclude)) or "nobody"))
    text.append("\nEffect of saving\n", style="bold")
    if not effect.changes:
        text.append("  no app in any group changes its break date\n", style="dim")
    for change in effect.changes:
        app = snapshot.apps.get(change.app)
        name = app.name if app else change.app
        style = VERDICT_STYLE[change.verdict]
        result = status_label(change.after_status) if change.after_status else "left the group"
        text.append(f"  {change.verdict:<6} {result:<14} ", style=style)
        text.append(sanitize(f"{change.group} · {name}: "))
        text.append(f"{_moment(change.before, snapshot.now)} → {_moment(change.after, snapshot.now)}\n")
    for shift in effect.shifts:
        text.append("  group  ", style="bold")
        text.append(sanitize(shift.group))
        text.append(f": {status_label(shift.before)} → {status_label(shift.after)}\n")
    for alarm in effect.alarms:
        text.append("  !! ", style="bold red")
        text.append(sanitize(alarm) + "\n", style="bold red")
    if effect.alarms:
        text.append("  ctrl+s asks before saving this\n", style="bold red")
    warnings = list(effect.warnings)
    if kind == "profile":
        profile = snapshot.profiles.get(target)
        if profile is not None:
            warnings += preflight_failures(profile, snapshot.fleet.apps, snapshot.now)
    for warning in warnings:
        text.append("  ! ", style="bold yellow")
        text.append(sanitize(warning) + "\n")
    return text
