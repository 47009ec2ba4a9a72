"""Add a group, or change a group's description: name, kind (user/device), description.

Groups are keyed by name, so an edit changes only the description, and only through
``store.update_group`` when the store has it; otherwise the edit says it cannot.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select

from store.model import Group
from tui.screens.changes import run_change

KINDS = [
    ("user: people (All users covers it)", "user"),
    ("device: devices (All devices covers it)", "device"),
]


class GroupFormScreen(ModalScreen[None]):
    """ctrl+s saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "app.pop_screen", "Cancel"),
    ]

    def __init__(self, group: Group | None = None) -> None:
        super().__init__()
        self.group = group

    def compose(self) -> ComposeResult:
        """Name, kind, description."""
        group = self.group
        with Vertical(id="form-box"):
            yield Label("Name" + (" (cannot change)" if group else ""), markup=False)
            yield Input(value=group.name if group else "", id="name", disabled=group is not None)
            yield Label("Kind", markup=False)
            yield Select(
                KINDS, value=group.kind if group else "user", allow_blank=False, id="kind",
                disabled=group is not None,
            )
            yield Label("Description", markup=False)
            yield Input(value=group.description if group else "", id="description")
        yield Footer(compact=True, show_command_palette=False)

    def action_save(self) -> None:
        """Add the group (or replace its description) in the app's change worker."""
        name = self.query_one("#name", Input).value.strip()
        description = self.query_one("#description", Input).value.strip()
        kind = str(self.query_one("#kind", Select).value)
        if not name:
            self.notify("A group needs a name.", severity="warning")
            return
        if self.group is None:
            run_change(self, f"Added group '{name}'", lambda store: store.add_group(name, kind, description))
        else:
            run_change(self, f"Saved group '{name}'", _redescribe(name, kind, description))
        self.dismiss(None)


def _redescribe(name: str, kind: str, description: str) -> Any:
    """A store call that changes a group's description, by the store's update if it has one."""

    def call(store: Any) -> object:
        update = getattr(store, "update_group", None)
        if update is not None:
            return update(name, description=description)
        from store.errors import StoreError

        raise StoreError("not-supported", "this store cannot edit a group yet; delete and add it again")

    return call
