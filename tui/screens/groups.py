"""Groups: the Intune groups profiles and apps are assigned to, with their status today."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from store.model import Group
from tui.screens.base import SnapshotScreen
from tui.screens.changes import confirm_and_run
from tui.screens.navigation import open_group
from tui.snapshot import Snapshot
from tui.text import literal
from tui.timefmt import table_until as until
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.timeline import status_label


def group_columns(snapshot: Snapshot) -> list[Column[Group]]:
    """Name, kind, status, breaks in, description."""
    rows = {g.group: g for g in snapshot.timeline.groups}

    def status(group: Group) -> str:
        row = rows.get(group.name)
        return status_label(row.status) if row else "—"

    def breaks(group: Group) -> str:
        row = rows.get(group.name)
        return until(row.breaks_at, snapshot.now) if row and row.breaks_at else "—"

    return [
        Column("Name", 20, lambda g: literal(g.name), lambda g: (not g.builtin, g.name.casefold())),
        Column("Kind", 6, lambda g: literal(g.kind), lambda g: g.kind),
        Column("Status", 10, lambda g: literal(status(g)), status),
        Column("Breaks in", 13, lambda g: literal(breaks(g)), None),
        Column("Description", 40, lambda g: literal("built in" if g.builtin else g.description), None),
    ]


class GroupsScreen(SnapshotScreen):
    """The group table: Enter for detail, ``n`` new group, ``x`` delete."""

    SECTION = "groups"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "New group"),
        Binding("e", "edit", "Edit"),
        Binding("x", "delete", "Delete"),
    ]

    def compose_body(self) -> ComposeResult:
        """The table."""
        yield RecordTable[Group]([], lambda g: g.name, lambda g: g.name, id="groups")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Rebuild the rows."""
        table: RecordTable[Group] = self.query_one("#groups", RecordTable)
        table.configure(group_columns(snapshot), lambda g: f"{g.name} {g.kind} {g.description}")
        table.set_records(sorted(snapshot.fleet.groups, key=lambda g: (not g.builtin, g.name.casefold())))
        if self.focused is None:
            table.focus()

    def _current(self) -> Group | None:
        key = self.query_one("#groups", RecordTable).current_key()
        snapshot = self.snapshot
        return snapshot.groups.get(key) if snapshot and key else None

    @on(RecordTable.Chosen)
    def _chosen(self, message: RecordTable.Chosen) -> None:
        open_group(self.app, message.key)

    def action_add(self) -> None:
        """A form for a new group: name, kind, description."""
        from tui.screens.group_form import GroupFormScreen

        self.app.push_screen(GroupFormScreen())

    def action_edit(self) -> None:
        """Edit the highlighted group's name, kind and description (built-ins stay as they are)."""
        group = self._current()
        if group is None or group.builtin:
            self.notify("Built-in groups cannot be edited.", severity="warning")
            return
        from tui.screens.group_form import GroupFormScreen

        self.app.push_screen(GroupFormScreen(group))

    def action_delete(self) -> None:
        """Delete after confirmation; a group still assigned is removed from assignments too."""
        group = self._current()
        if group is None:
            return
        if group.builtin:
            self.notify("All users and All devices are built in and cannot be deleted.", severity="warning")
            return
        name = group.name
        used = len(self.snapshot.assignments_of_group(name)) if self.snapshot else 0
        extra = f" It is named in {used} assignments; they drop it." if used else ""
        confirm_and_run(
            self,
            f"Delete group '{name}'?{extra}",
            f"Deleted group '{name}'",
            lambda store: store.delete_group(name, force=True),
        )
