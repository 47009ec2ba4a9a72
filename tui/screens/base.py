"""What every screen shares: the nav bar, the footer, and redrawing when a snapshot arrives.

Screens do not read the store to draw. They watch the app's ``snapshot`` and render
from it; store changes go through their own workers and end with ``host(self).reload()``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from tui.host import host
from tui.readonly import allows, is_read_only
from tui.snapshot import Snapshot
from tui.widgets.filter_bar import FilterBar
from tui.widgets.navbar import NavBar
from tui.widgets.record_table import RecordTable


class SnapshotScreen(Screen[None]):
    """A screen that re-renders from each new :class:`Snapshot` the app publishes."""

    SECTION = "overview"
    AUTO_FOCUS = "RecordTable, TimelineView"

    def compose(self) -> ComposeResult:
        """Nav bar, the screen's body, and a compact footer of the keys that apply."""
        yield NavBar(self.SECTION, read_only=is_read_only(self))
        yield from self.compose_body()
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets (between nav bar and footer)."""
        yield from ()

    def on_mount(self) -> None:
        """Render now if a snapshot exists, and again whenever a new one is published."""
        self.watch(self.app, "snapshot", self._snapshot_changed, init=True)

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        if snapshot is not None:
            self.show_snapshot(snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Redraw from ``snapshot`` (only called when a new one arrives, never on a timer)."""

    @property
    def snapshot(self) -> Snapshot | None:
        """The latest published snapshot (``None`` until the first load finishes)."""
        return host(self).snapshot

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No editing keys on a read-only store."""
        return allows(self, action)


class FilteredListScreen(SnapshotScreen):
    """A list screen whose one :class:`RecordTable` is filtered as you type after ``/``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("slash", "filter", "Filter")]

    def action_filter(self) -> None:
        """``/``: open the filter box."""
        self.query_one(FilterBar).open()

    @on(FilterBar.FilterChanged)
    def _filter(self, message: FilterBar.FilterChanged) -> None:
        self.query_one(RecordTable).set_filter(message.text)

    @on(FilterBar.FilterDone)
    def _filter_done(self, message: FilterBar.FilterDone) -> None:
        self.query_one(RecordTable).focus()
