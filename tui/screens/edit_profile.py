"""Rename a profile or change its description: the two fields Intune's pane lets you edit.

The save is checked against the profile's revision when the form opened; a change made
meanwhile opens the conflict screen, which can reapply just the fields edited here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label

from store.errors import ConflictError
from store.model import Profile
from store.rules.rebase import rebase_fields
from tui.host import host
from tui.screens.changes import run_change
from tui.screens.conflict import Reapply, Resolver, StoreCall
from tui.screens.form import cancel_form


class EditProfileScreen(ModalScreen[None]):
    """Display name and description of one profile; ctrl+s saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    IS_FORM = True

    def __init__(self, uuid: str) -> None:
        super().__init__()
        self.uuid = uuid
        self.revision: int | None = None
        self.opened: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        """Two inputs prefilled from the snapshot."""
        snapshot = host(self).snapshot
        profile = snapshot.profiles.get(self.uuid) if snapshot else None
        if profile is not None:
            self.revision, self.opened = profile.revision, _fields(profile)
        with Vertical(id="form-box"):
            yield Label("Name", markup=False)
            yield Input(value=profile.label if profile else "", id="name", select_on_focus=False)
            yield Label("Description", markup=False)
            yield Input(value=profile.description if profile else "", id="description", select_on_focus=False)
        yield Footer(compact=True, show_command_palette=False)

    def edited(self) -> dict[str, str]:
        """The two fields as typed."""
        return {"name": self.query_one("#name", Input).value.strip(),
                "description": self.query_one("#description", Input).value}

    def action_cancel(self) -> None:
        """Escape: close, asking first when a field was changed."""
        cancel_form(self, self.edited() != self.opened)

    def action_save(self) -> None:
        """Save both fields in the app's change worker and close."""
        edited = self.edited()
        name = edited["name"]
        run_change(self, f"Saved profile '{name}'", _save(self.uuid, edited, self.revision),
                   _resolver(self.uuid, self.opened, edited))
        self.dismiss(None)


def _fields(profile: Profile) -> dict[str, str]:
    """The two fields the form edits, as they stand in ``profile``."""
    return {"name": profile.label, "description": profile.description}


def _save(uuid: str, fields: dict[str, str], revision: int | None) -> StoreCall:
    """The store call saving both fields, if the profile is still at ``revision``."""

    def call(store: Any) -> object:
        return store.update_profile(uuid, display_name=fields["name"] or None,
                                    description=fields["description"], expected_revision=revision)

    return call


def _resolver(uuid: str, opened: dict[str, str], edited: dict[str, str]) -> Resolver:
    """On a conflict: the fields edited here, on top of the profile as it is now."""

    def resolve(error: ConflictError) -> Reapply:
        current: Profile = error.current  # type: ignore[assignment]
        merged = rebase_fields(opened, edited, _fields(current))

        def shown(fields: dict[str, str]) -> str:
            return f"name {fields['name']!r}, description {fields['description']!r}"

        return Reapply(shown(_fields(current)), shown(merged), _save(uuid, merged, current.revision))

    return resolve
