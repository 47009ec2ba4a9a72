"""One group: its status and countdown, the apps it would lose and when, and every
assignment that includes or excludes it."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from tui.screens.audit_history import AuditHistory
from tui.screens.detail import DetailScreen
from tui.snapshot import Snapshot
from tui.timefmt import until
from tui.widgets.countdown import Countdown
from tui.widgets.facts import facts, heading, source_facts
from tui.widgets.timeline import reason_words, status_label


class GroupDetailScreen(DetailScreen):
    """Detail of the group called ``name``."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name_ = name

    def build(self, snapshot: Snapshot) -> tuple[str, list[Widget]]:
        """Status, apps with their breaks, assignments naming the group, audit."""
        group = snapshot.groups.get(self.name_)
        if group is None:
            return "Group not found", [Static("This group is no longer in the store.", markup=False)]
        row = snapshot.timeline.group(group.name)
        widgets: list[Widget] = [
            Static(
                facts(
                    [
                        ("Kind", group.kind),
                        ("Description", "built in" if group.builtin else group.description),
                        ("Status", status_label(row.status) if row else "—"),
                        *source_facts(group.intune),
                    ]
                )
            ),
        ]
        if row is not None and row.breaks_at is not None:
            widgets.insert(
                0,
                Horizontal(
                    Static("Breaks in     ", classes="label"),
                    Countdown(row.breaks_at, snapshot.now),
                    classes="line",
                ),
            )
        apps = []
        for item in row.items if row else ():
            app = snapshot.apps.get(item.app)
            label = snapshot.target_label("profile", item.profile) if item.profile else None
            words = reason_words(item.reason, label, item.breaks_at <= snapshot.now)
            apps.append((app.name if app else item.app, f"{until(item.breaks_at, snapshot.now)} · {words}"))
        assignments = [
            (how, f"{kind} {label}") for how, kind, label in snapshot.assignments_of_group(group.name)
        ]
        widgets += [
            heading("Apps in this group"),
            Static(facts(apps or [("—", "no app reaches this group")])),
            heading("Assignments naming it"),
            Static(facts(assignments or [("—", "none")])),
            heading("Audit history"),
            AuditHistory(f"group:{group.name}"),
        ]
        return f"Group · {group.name}", widgets
