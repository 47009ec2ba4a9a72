"""One group, actionable: its status and countdown, every app it would lose with when
(absolute and relative), why and under which profile, and the actions at hand.

The apps are a :class:`RecordTable`, so Enter opens an app and the keys act on the
highlighted one: ``a`` assign it, ``r`` flip its re-sign mark, ``t`` go to triage, and ``e``
edits the group itself (name, kind, description) unless it is built in. Other screens
(Intune status, integrity problems) extend it by adding rows to :func:`group_facts`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.model import Group
from store.rules.suggestions import at_risk, warning_horizon
from store.rules.timeline import AppBreak
from tui.host import host
from tui.screens.audit_history import AuditHistory
from tui.screens.navigation import open_app
from tui.snapshot import Snapshot
from tui.text import literal
from tui.timefmt import short_date
from tui.timefmt import table_until as until
from tui.widgets.countdown import Countdown
from tui.widgets.facts import facts, heading, source_facts
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.timeline import reason_words, status_label

BREAKS_COLUMN = 1


def group_facts(group: Group, snapshot: Snapshot) -> list[tuple[str, object]]:
    """Kind, description, status and how many of its apps are at risk."""
    row = snapshot.timeline.group(group.name)
    items = row.items if row else ()
    risky = at_risk(row, warning_horizon(snapshot.fleet, snapshot.now)) if row else ()
    return [
        ("Kind", group.kind),
        ("Description", "built in" if group.builtin else group.description or "—"),
        ("Status", status_label(row.status) if row else "—"),
        ("At risk", f"{len(risky)} of {len(items)} apps break within the warning window"),
        *source_facts(group.intune),
    ]


def app_columns(snapshot: Snapshot) -> list[Column[AppBreak]]:
    """App, break date, time left, reason, covering profile."""

    def name(item: AppBreak) -> str:
        app = snapshot.apps.get(item.app)
        return app.name if app else item.app

    def profile(item: AppBreak) -> str:
        return snapshot.target_label("profile", item.profile) if item.profile else "none covers it"

    def reason(item: AppBreak) -> str:
        app = snapshot.apps.get(item.app)
        if item.reason == "certificate":
            return "certificate: re-sign" + (" (marked)" if app and app.needs_resign else "")
        return reason_words(item.reason, None, item.breaks_at <= snapshot.now)

    return [
        Column("App", 16, lambda i: literal(name(i)), lambda i: name(i).casefold()),
        Column("Breaks", 10, lambda i: literal(short_date(i.breaks_at)), lambda i: i.breaks_at),
        Column("In", 11, lambda i: literal(until(i.breaks_at, snapshot.now)), None),
        Column("Reason", 20, lambda i: literal(reason(i)), lambda i: i.reason),
        Column("Profile", 22, lambda i: literal(profile(i)), profile),
    ]


class GroupDetailScreen(Screen[None]):
    """Detail of the group called ``name``; Escape goes back."""

    DEFAULT_CSS = """
    GroupDetailScreen #group-apps { height: 1fr; min-height: 4; }
    GroupDetailScreen #group-more { height: 7; }
    GroupDetailScreen .line { height: 1; }
    GroupDetailScreen .label { width: 14; text-style: bold; }
    GroupDetailScreen #no-break { width: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.go_back", "Back"),
        Binding("a", "assign", "Assign app"),
        Binding("r", "resign", "Re-sign flag"),
        Binding("t", "triage", "Triage"),
        Binding("e", "edit", "Edit group"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name_ = name
        self.renamed_to: str | None = None

    def compose(self) -> ComposeResult:
        """Title, countdown, facts, the app table, assignments and audit below."""
        yield Static(id="detail-title")
        with Horizontal(classes="line"):
            yield Static("Breaks in     ", classes="label")
            yield Static("no break", id="no-break")
        yield Static(id="group-facts")
        yield RecordTable[AppBreak]([], lambda i: i.app, lambda i: i.app, id="group-apps")
        with VerticalScroll(id="group-more"):
            yield heading("Assignments naming it")
            yield Static(id="group-assignments")
            yield heading("Audit history")
            yield AuditHistory(f"group:{self.name_}")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Render from the current snapshot and every later one; the app table has focus."""
        table = self.query_one("#group-apps", RecordTable)
        table.sort_index = BREAKS_COLUMN  # most urgent first
        self.watch(self.app, "snapshot", self._snapshot_changed, init=True)
        table.focus()

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        if self.name_ not in snapshot.groups and self.renamed_to in snapshot.groups:
            self.name_ = str(self.renamed_to)
        group = snapshot.groups.get(self.name_)
        title = self.query_one("#detail-title", Static)
        if group is None:
            title.update(literal("Group not found: it is no longer in the store", style="bold"))
            return
        title.update(literal(f"Group · {group.name}", style="bold"))
        row = snapshot.timeline.group(group.name)
        line = self.query_one(".line", Horizontal)
        for old in line.query(Countdown):
            old.remove()
        self.query_one("#no-break", Static).display = row is None or row.breaks_at is None
        if row is not None and row.breaks_at is not None:
            line.mount(Countdown(row.breaks_at, snapshot.now))
            self.call_after_refresh(host(self).ticker.poke)  # type: ignore[attr-defined]
        self.query_one("#group-facts", Static).update(facts(group_facts(group, snapshot)))
        table: RecordTable[AppBreak] = self.query_one("#group-apps", RecordTable)
        table.configure(app_columns(snapshot))
        table.set_records(list(row.items) if row else [])
        naming = snapshot.assignments_of_group(group.name)
        assignments = [(how, f"{kind} {label}") for how, kind, label in naming]
        self.query_one("#group-assignments", Static).update(facts(assignments or [("—", "none")]))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``e`` only for a group that is not built in; app actions only with an app highlighted."""
        snapshot = host(self).snapshot
        group = snapshot.groups.get(self.name_) if snapshot else None
        if action == "edit":
            return group is not None and not group.builtin
        if action in ("assign", "resign"):
            return self._current() is not None
        return True

    def _current(self) -> str | None:
        """The bundle ID of the highlighted app."""
        return self.query_one("#group-apps", RecordTable).current_key()

    @on(RecordTable.Chosen)
    def _chosen(self, message: RecordTable.Chosen) -> None:
        open_app(self.app, message.key)

    def action_assign(self) -> None:
        """Assign the highlighted app to groups."""
        from tui.screens.assign import AssignScreen

        bundle = self._current()
        if bundle is not None:
            self.app.push_screen(AssignScreen("app", bundle))

    def action_resign(self) -> None:
        """Mark (or unmark) the highlighted app as needing a re-sign."""
        from tui.screens.changes import run_change

        snapshot = host(self).snapshot
        bundle = self._current()
        app = snapshot.apps.get(bundle) if snapshot and bundle else None
        if app is None:
            return
        flag = not app.needs_resign
        summary = f"{app.name} {'marked' if flag else 'no longer marked'} as needing re-signing"
        run_change(self, summary, lambda store: store.set_needs_resign(app.bundle_id, flag))

    def action_triage(self) -> None:
        """Go to triage, where every app at risk has its fix."""
        self.app.pop_screen()
        self.app.action_section("triage")  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        """Edit the group's name, kind and description."""
        from tui.screens.group_form import GroupFormScreen

        snapshot = host(self).snapshot
        group = snapshot.groups.get(self.name_) if snapshot else None
        if group is not None and not group.builtin:
            self.app.push_screen(GroupFormScreen(group), self._edited)

    def _edited(self, name: str | None) -> None:
        """Remember the name the form saved, so the screen follows a rename once it lands."""
        self.renamed_to = name
