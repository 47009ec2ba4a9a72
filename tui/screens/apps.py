"""Apps: every in-house app, when it breaks first, and whether it needs re-signing."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from store.model import App
from tui.screens.base import FilteredListScreen
from tui.screens.changes import confirm_and_run, run_change
from tui.screens.navigation import open_app
from tui.snapshot import Snapshot
from tui.text import literal
from tui.timefmt import table_until as until
from tui.widgets.filter_bar import FilterBar
from tui.widgets.record_table import Column, RecordTable


def first_breaks(snapshot: Snapshot) -> dict[str, object]:
    """The earliest break of each app across its groups."""
    found: dict[str, object] = {}
    for row in snapshot.timeline.groups:
        for item in row.items:
            if item.app not in found or item.breaks_at < found[item.app]:  # type: ignore[operator]
                found[item.app] = item.breaks_at
    return found


def app_columns(snapshot: Snapshot) -> list[Column[App]]:
    """Name, breaks in, version, re-sign flag, groups, bundle ID."""
    breaks = first_breaks(snapshot)
    now = snapshot.now

    def breaks_in(app: App) -> str:
        moment = breaks.get(app.bundle_id)
        return "not assigned" if moment is None else until(moment, now)  # type: ignore[arg-type]

    return [
        Column("Name", 18, lambda a: literal(a.name), lambda a: a.name.casefold()),
        Column("Breaks in", 13, lambda a: literal(breaks_in(a)), lambda a: str(breaks.get(a.bundle_id, "~"))),
        Column("Version", 9, lambda a: literal(a.version or "—"), lambda a: a.version),
        Column(
            "Re-sign", 7, lambda a: literal("YES" if a.needs_resign else "—"), lambda a: not a.needs_resign
        ),
        Column("Groups", 14, lambda a: literal(snapshot.groups_text("app", a.bundle_id)), None),
        Column("Bundle ID", 30, lambda a: literal(a.bundle_id), lambda a: a.bundle_id),
    ]


class AppsScreen(FilteredListScreen):
    """The app table: Enter for detail, ``n`` add from an .ipa, ``r`` re-sign flag, ``x`` delete."""

    SECTION = "apps"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Add .ipa"),
        Binding("a", "assign", "Assign"),
        Binding("r", "resign", "Re-sign flag"),
        Binding("x", "delete", "Delete"),
    ]

    def compose_body(self) -> ComposeResult:
        """Filter bar and table."""
        yield FilterBar(placeholder="filter apps: name, bundle ID…", id="filter")
        yield RecordTable[App]([], lambda a: a.bundle_id, lambda a: a.name, id="apps")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Rebuild the rows from the snapshot."""
        table: RecordTable[App] = self.query_one("#apps", RecordTable)
        table.configure(app_columns(snapshot), lambda a: f"{a.name} {a.bundle_id} {a.version}")
        table.set_records(sorted(snapshot.fleet.apps, key=lambda a: a.name.casefold()))
        if self.focused is None:
            table.focus()

    def _current(self) -> App | None:
        key = self.query_one("#apps", RecordTable).current_key()
        snapshot = self.snapshot
        return snapshot.apps.get(key) if snapshot and key else None

    @on(RecordTable.Chosen)
    def _chosen(self, message: RecordTable.Chosen) -> None:
        open_app(self.app, message.key)

    def action_add(self) -> None:
        """Add an app by picking its .ipa."""
        from tui.screens.add_app import AddAppScreen

        self.app.push_screen(AddAppScreen())

    def action_assign(self) -> None:
        """Include/exclude groups for the highlighted app."""
        app = self._current()
        if app is not None:
            from tui.screens.assign import AssignScreen

            self.app.push_screen(AssignScreen("app", app.bundle_id))

    def action_resign(self) -> None:
        """Toggle the needs-re-signing flag of the highlighted app."""
        app = self._current()
        if app is None:
            return
        flag, bundle = not app.needs_resign, app.bundle_id
        run_change(
            self,
            f"{app.name}: needs re-signing {'on' if flag else 'off'}",
            lambda store: store.set_needs_resign(bundle, flag),
        )

    def action_delete(self) -> None:
        """Delete the highlighted app after confirmation."""
        app = self._current()
        if app is None:
            return
        bundle = app.bundle_id
        confirm_and_run(
            self,
            f"Delete app '{app.name}' ({bundle})?",
            f"Deleted app '{app.name}'",
            lambda store: store.delete_app(bundle),
        )
