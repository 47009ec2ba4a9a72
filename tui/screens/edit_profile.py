"""Rename a profile or change its description: the two fields Intune's pane lets you edit."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label

from tui.host import host
from tui.screens.changes import run_change


class EditProfileScreen(ModalScreen[None]):
    """Display name and description of one profile; ctrl+s saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "app.pop_screen", "Cancel"),
    ]

    def __init__(self, uuid: str) -> None:
        super().__init__()
        self.uuid = uuid

    def compose(self) -> ComposeResult:
        """Two inputs prefilled from the snapshot."""
        snapshot = host(self).snapshot
        profile = snapshot.profiles.get(self.uuid) if snapshot else None
        with Vertical(id="form-box"):
            yield Label("Name", markup=False)
            yield Input(value=profile.label if profile else "", id="name")
            yield Label("Description", markup=False)
            yield Input(value=profile.description if profile else "", id="description")
        yield Footer(compact=True, show_command_palette=False)

    def action_save(self) -> None:
        """Save both fields in the app's change worker and close."""
        name = self.query_one("#name", Input).value.strip()
        description = self.query_one("#description", Input).value
        uuid = self.uuid
        run_change(
            self,
            f"Saved profile '{name}'",
            lambda store: store.update_profile(uuid, display_name=name or None, description=description),
        )
        self.dismiss(None)
