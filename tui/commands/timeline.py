"""``provdesk timeline``: every group's countdown to its next broken app, most urgent first.

The headless face of the expiry engine (``store.rules.timeline``): ``--json`` prints the
timeline exactly as the engine builds it, ``{"now", "groups": [{"group", "kind", "status",
"breaks_at", "seconds_left", "reason", "app", "profile", "items": [{"app", "breaks_at",
"reason", "profile", "certificate_expires", "resign_required"}]}]}`` (apps by bundle ID,
profiles by UUID), so scripts and the console read the same facts. Exclusions that do
nothing (a device group excluded under All users) are repeated as warnings on stderr.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any

from store.model import Fleet, iso
from store.rules.assignment import group_kinds, groups_by_kind, resolve_with
from store.rules.timeline import GroupTimeline, Timeline, build_timeline
from tui.commands.common import Context, emit
from tui.commands.storeio import columns, open_store, warn


def left_text(seconds: int | None, status: str) -> str:
    """Time left as a person reads it: ``expired``, ``3h 20m``, ``12d 4h``; ``-`` when nothing breaks."""
    if seconds is None:
        return "-"
    if status == "expired":
        return "expired"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    return f"{days}d {hours}h" if days else f"{hours}h {rest // 60}m"


def profile_labels(fleet: Fleet) -> dict[str, str]:
    """Stored profiles' names by UUID (an embedded profile not in the store shows its UUID)."""
    return {p.uuid: p.label for p in fleet.profiles}


def timeline_lines(timeline: Timeline, labels: Mapping[str, str]) -> list[str]:
    """The compact human table: one line per group."""
    def row(g: GroupTimeline) -> list[str]:
        profile = labels.get(g.profile, g.profile) if g.profile else "-"
        return [
            g.group, g.kind, g.status, iso(g.breaks_at) or "-", left_text(g.seconds_left, g.status),
            g.reason or "-", g.app or "-", profile, str(len(g.items)),
        ]

    header = ["GROUP", "KIND", "STATUS", "BREAKS AT", "LEFT", "REASON", "APP", "PROFILE", "APPS"]
    return columns([row(g) for g in timeline.groups], header)


def assignment_warnings(fleet: Fleet) -> list[str]:
    """Every assignment's no-effect exclusions (and unknown groups), named by its target."""
    labels = profile_labels(fleet)
    kinds = group_kinds(fleet)  # once: 7,000 assignments over 500 groups made this the verb's bulk
    by_kind = groups_by_kind(kinds)
    found: list[str] = []
    for assignment in fleet.assignments:
        target = labels.get(assignment.target, assignment.target)
        warnings = resolve_with(assignment, kinds, by_kind).warnings
        found += [f"{assignment.target_kind} {target}: {w}" for w in warnings]
    return found


def run_timeline(args: argparse.Namespace, context: Context) -> int:
    """Build the timeline at the clock's ``now`` from the store and print it (warnings on stderr)."""
    fleet = open_store(context).fleet()
    timeline = build_timeline(fleet, context.clock())
    emit(context, timeline, timeline_lines(timeline, profile_labels(fleet)))
    for message in assignment_warnings(fleet):
        warn(message)
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``timeline`` verb."""
    parser = subparsers.add_parser(
        "timeline", help="each group's countdown to its next broken app",
        description="For every group: the earliest moment one of its apps stops launching (its profile "
        "or its signing certificate expires), which app, why, and the status (expired, critical, "
        "warning, ok by the thresholds in `provdesk settings`). Most urgent first.",
    )
    add_common(parser)
    parser.set_defaults(handler=run_timeline)
