"""The frame of every detail screen: a title, a scrolling body rebuilt per snapshot, a footer.

Detail screens are pushed over a section; Escape (the app's ``back``) pops them.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from tui.host import host
from tui.readonly import allows
from tui.snapshot import Snapshot
from tui.text import literal


class DetailBody(VerticalScroll):
    """The scrolling body; j/k scroll it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]


class DetailScreen(Screen[None]):
    """A pushed screen showing one thing; subclasses build the body from the snapshot."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.go_back", "Back")]

    def compose(self) -> ComposeResult:
        """Title line, body, footer."""
        yield Static(id="detail-title")
        yield DetailBody(id="detail-body", can_focus=True)
        yield Footer(compact=True, show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No editing keys on a read-only store."""
        return allows(self, action)

    def on_mount(self) -> None:
        """Render from the current snapshot and from every later one."""
        self.watch(self.app, "snapshot", self._snapshot_changed, init=True)
        self.query_one(DetailBody).focus()

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        title, widgets = self.build(snapshot)
        self.query_one("#detail-title", Static).update(literal(title, style="bold"))
        body = self.query_one(DetailBody)
        keep = body.scroll_y  # a reload caused by another admin must not lose the reader's place
        body.remove_children()
        body.mount_all(widgets)
        body.call_after_refresh(body.scroll_to, y=keep, animate=False)
        host(self).ticker.poke()  # type: ignore[attr-defined]

    def build(self, snapshot: Snapshot) -> tuple[str, list[Widget]]:
        """The title and the body's widgets for this snapshot."""
        raise NotImplementedError

    @property
    def snapshot(self) -> Snapshot | None:
        """The latest snapshot."""
        return host(self).snapshot
