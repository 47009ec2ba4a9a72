"""Add a group, or edit one that is not built in: name, kind (user/device), description.

An edit goes through ``store.update_group`` (a rename moves the group in every
assignment), checked against the revision the form opened with: a change made meanwhile
opens the conflict screen, which can reapply just the fields edited here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select

from store.errors import ConflictError
from store.model import Group
from store.rules.rebase import rebase_fields
from tui.screens.changes import run_change
from tui.screens.conflict import Reapply, Resolver, StoreCall
from tui.screens.form import cancel_form

KINDS = [
    ("user: people (All users covers it)", "user"),
    ("device: devices (All devices covers it)", "device"),
]


class GroupFormScreen(ModalScreen[str | None]):
    """ctrl+s saves (the screen closes with the group's name), Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    IS_FORM = True

    def __init__(self, group: Group | None = None) -> None:
        super().__init__()
        self.group = group

    def compose(self) -> ComposeResult:
        """Name, kind, description."""
        group = self.group
        with Vertical(id="form-box"):
            yield Label("Name", markup=False)
            yield Input(value=group.name if group else "", id="name", select_on_focus=False)
            yield Label("Kind", markup=False)
            yield Select(KINDS, value=group.kind if group else "user", allow_blank=False, id="kind")
            yield Label("Description", markup=False)
            yield Input(value=group.description if group else "", id="description", select_on_focus=False)
        yield Footer(compact=True, show_command_palette=False)

    def edited(self) -> dict[str, str]:
        """The three fields as given."""
        return {
            "name": self.query_one("#name", Input).value.strip(),
            "kind": str(self.query_one("#kind", Select).value),
            "description": self.query_one("#description", Input).value.strip(),
        }

    def action_cancel(self) -> None:
        """Escape: close, asking first when a field was changed."""
        opened = _fields(self.group) if self.group else {"name": "", "kind": "user", "description": ""}
        cancel_form(self, self.edited() != opened)

    def action_save(self) -> None:
        """Add the group, or save the edit, in the app's change worker."""
        edited = self.edited()
        name = edited["name"]
        if not name:
            self.notify("A group needs a name.", severity="warning")
            return
        group = self.group
        if group is None:
            run_change(self, f"Added group '{name}'",
                       lambda store: store.add_group(name, edited["kind"], edited["description"]),
                       close=lambda: self.dismiss(name))
        else:
            run_change(self, f"Saved group '{name}'", _save(group.name, edited, group.revision),
                       _resolver(group.name, _fields(group), edited), close=lambda: self.dismiss(name))


def _fields(group: Group) -> dict[str, str]:
    """The three fields the form edits, as they stand in ``group``."""
    return {"name": group.name, "kind": group.kind, "description": group.description}


def _save(name: str, fields: dict[str, str], revision: int) -> StoreCall:
    """The store call saving the fields of group ``name``, if it is still at ``revision``."""

    def call(store: Any) -> object:
        return store.update_group(name, new_name=fields["name"], kind=fields["kind"],
                                  description=fields["description"], expected_revision=revision)

    return call


def _resolver(name: str, opened: dict[str, str], edited: dict[str, str]) -> Resolver:
    """On a conflict: the fields edited here, on top of the group as it is now."""

    def resolve(error: ConflictError) -> Reapply:
        current: Group = error.current  # type: ignore[assignment]
        merged = rebase_fields(opened, edited, _fields(current))

        def shown(fields: dict[str, str]) -> str:
            return f"{fields['name']} ({fields['kind']}): {fields['description'] or 'no description'}"

        return Reapply(shown(_fields(current)), shown(merged), _save(current.name, merged, current.revision))

    return resolve
