"""Add an app from its .ipa: pick the file, the store reads it (in a worker) and keeps it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DirectoryTree, Footer, Input, Label, Static

from tui.screens.changes import run_change
from tui.screens.form import cancel_form
from tui.widgets.file_picker import FilePicker


class AddAppScreen(Screen[None]):
    """A path field and a file browser showing .ipa files; Enter on a file or ctrl+s adds it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Add"),
        Binding("ctrl+o", "focus_files", "Files"),
        Binding("escape", "cancel", "Cancel"),
    ]
    IS_FORM = True

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.cwd()

    def compose(self) -> ComposeResult:
        """Title, path, browser."""
        yield Static(Text("Add app from .ipa", style="bold"), id="detail-title")
        yield Label("File: type a path + Enter, or ctrl+o to pick below", markup=False)
        yield Input(placeholder="/path/to/app.ipa", id="path", compact=True)
        yield FilePicker(self.start, (".ipa",), id="files")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Start in the path field, as the prompt says."""
        self.query_one("#path", Input).focus()

    def action_focus_files(self) -> None:
        """Jump to the file browser."""
        self.query_one(FilePicker).focus()

    def action_cancel(self) -> None:
        """Escape: close, asking first when a path was typed or picked."""
        cancel_form(self, bool(self.query_one("#path", Input).value.strip()))

    @on(Input.Submitted, "#path")
    def _typed(self, event: Input.Submitted) -> None:
        self.action_save()

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self.action_save()

    def action_save(self) -> None:
        """Read and add the .ipa in the app's change worker."""
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.is_file():
            self.notify("Pick an .ipa file first.", severity="warning")
            return
        run_change(
            self,
            f"Added app from {path.name}",
            lambda store: store.add_app_from_ipa(path.name, path.read_bytes()),
        )
        self.dismiss(None)
