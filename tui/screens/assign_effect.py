"""The Assign pane's preview, worked out in a worker from the rules: which (group, app)
pairs move their break and from when to when, the targets' warnings, and the apps this
profile would fail preflight on (all from store.rules). The screen only renders the lines."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from store.model import Assignment, TargetKind
from store.rules.effect import assignment_effect, preflight_failures
from tui.snapshot import Snapshot
from tui.text import sanitize
from tui.timefmt import short_date


def _moment(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "not in group"
    return f"{short_date(moment)}{' (past)' if moment <= now else ''}"


def effect_text(
    snapshot: Snapshot, kind: TargetKind, target: str, include: set[str], exclude: set[str]
) -> Text:
    """Everything the admin should read before ctrl+s, as literal text."""
    assignment = Assignment(kind, target, frozenset(include), frozenset(exclude))
    effect = assignment_effect(snapshot.fleet, assignment, snapshot.now)
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
        later = change.after is not None and (change.before is None or change.after > change.before)
        text.append("  ▲ " if later else "  ▼ ", style="green" if later else "red")
        text.append(sanitize(f"{change.group} · {name}: "))
        text.append(f"{_moment(change.before, snapshot.now)} → {_moment(change.after, snapshot.now)}\n")
    warnings = list(effect.warnings)
    if kind == "profile":
        profile = snapshot.profiles.get(target)
        if profile is not None:
            warnings += preflight_failures(profile, snapshot.fleet.apps, snapshot.now)
    for warning in warnings:
        text.append("  ! ", style="bold yellow")
        text.append(sanitize(warning) + "\n")
    return text
