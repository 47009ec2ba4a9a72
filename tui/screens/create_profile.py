"""Create profile, as Intune's pane: Name, Description and the file, with a preview first.

The file is picked with a keyboard file browser (only folders and ``.mobileprovision``
files) or typed as a path. Each pick is previewed in a worker through
``store.preview_profile``; ctrl+s imports through ``store.import_profiles``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DirectoryTree, Footer, Input, Label, Static

from store.errors import ProvdeskError
from tui.host import host
from tui.messages import StoreChanged
from tui.screens.form import cancel_form
from tui.screens.import_preview import Preview, preview_text, read_preview
from tui.text import literal
from tui.widgets.file_picker import FileBrowser, FilePicker, PathInput, remember_folder, start_folder

MAX_BYTES = 4 * 1024 * 1024


def read_file(path: Path) -> bytes:
    """The file's bytes; a directory, a missing file or a huge file is a plain-word error."""
    if not path.is_file():
        raise ProvdeskError("not-a-file", f"{path} is not a file")
    if path.stat().st_size > MAX_BYTES:
        raise ProvdeskError("too-large", f"{path.name} is larger than 4 MB: not a provisioning profile")
    return path.read_bytes()


class CreateProfileScreen(Screen[None]):
    """Name, Description, File (browser or path), preview, save."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "focus_files", "Files"),
        Binding("escape", "cancel", "Cancel"),
    ]
    IS_FORM = True

    @dataclass
    class Previewed(Message):
        """A file was read and checked (nothing written)."""

        path: str
        preview: Preview

    @dataclass
    class Saved(Message):
        """The import ran: ``outcome`` says imported, unchanged or failed."""

        outcome: Any

    @dataclass
    class Failed(Message):
        """The file could not be read at all."""

        path: str
        error: ProvdeskError

    def __init__(self, start: Path | None = None, path: Path | None = None) -> None:
        super().__init__()
        self.start = start
        self.initial_path = path
        self.preview: Preview | None = None

    def compose(self) -> ComposeResult:
        """Form on the left, preview on the right."""
        yield Static(Text("Create profile", style="bold"), id="detail-title")
        with Horizontal(id="create-columns"):
            with Vertical(id="create-form"):
                yield Label("Name", markup=False)
                yield Input(placeholder="as admins will see it", id="name", compact=True)
                yield Label("Description", markup=False)
                yield Input(placeholder="optional", id="description", compact=True)
                yield Label("File: path + Enter (Tab completes), or ctrl+o", markup=False)
                yield PathInput(placeholder="/path/to/file.mobileprovision", id="path", compact=True)
                yield FileBrowser(start_folder(self.start), (".mobileprovision",))
            with VerticalScroll(id="create-preview"):
                yield Static("Pick a .mobileprovision file to see what it holds.", id="preview", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Start in the Name field, or preview the path given to the screen."""
        self.query_one("#name", Input).focus()
        if self.initial_path is not None:
            self.query_one("#path", Input).value = str(self.initial_path)
            self._preview(str(self.initial_path))

    def action_focus_files(self) -> None:
        """Jump to the file browser."""
        self.query_one(FilePicker).focus()

    def action_cancel(self) -> None:
        """Escape: close, asking first when a field holds something."""
        cancel_form(self, any(field.value.strip() for field in self.query(Input)))

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self._preview(str(event.path))

    @on(Input.Submitted, "#path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if typed and Path(typed).expanduser().is_dir():
            self.query_one(FileBrowser).go(Path(typed).expanduser())
        elif typed:
            self._preview(typed)

    @work(thread=True, exclusive=True, group="preview")
    def _preview(self, path: str) -> None:
        try:
            data = read_file(Path(path).expanduser())
            preview = read_preview(host(self).store, path, data)
        except (OSError, ProvdeskError) as error:
            wrapped = error if isinstance(error, ProvdeskError) else ProvdeskError("unreadable", str(error))
            self.post_message(self.Failed(path, wrapped))
            return
        self.post_message(self.Previewed(path, preview))

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        self.preview = message.preview
        self.query_one("#preview", Static).update(preview_text(message.preview, host(self).clock()))
        profile = message.preview.outcome.profile or message.preview.facts
        if profile is not None:
            self.query_one("#name", Input).placeholder = f"empty: {profile.name}"

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.preview = None
        text = Text("✖ CANNOT READ THIS FILE\n", style="bold red")
        text.append(literal(f"{message.error.message} ({message.error.code})"))
        self.query_one("#preview", Static).update(text)

    def action_save(self) -> None:
        """Import the previewed file with the Name and Description given."""
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self.notify("Pick a file first (ctrl+o for the file browser).", severity="warning")
            return
        name = self.query_one("#name", Input).value.strip()
        description = self.query_one("#description", Input).value.strip()
        remember_folder(Path(path).expanduser())
        self._save(path, name, description)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, path: str, name: str, description: str) -> None:
        try:
            data = read_file(Path(path).expanduser())
            outcomes = host(self).store.import_profiles(
                [(Path(path).name, data)],
                display_name=name or None,
                description=description or None,
            )
        except (OSError, ProvdeskError) as error:
            wrapped = error if isinstance(error, ProvdeskError) else ProvdeskError("unreadable", str(error))
            self.post_message(self.Failed(path, wrapped))
            return
        self.post_message(self.Saved(outcomes[0]))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        outcome = message.outcome
        if outcome.status == "imported":
            self.app.post_message(StoreChanged(f"Imported profile '{outcome.profile.label}'"))
            self.dismiss(None)
        elif outcome.status == "unchanged":
            self.notify(
                "This file is already in the store: nothing changed.", severity="warning", markup=False
            )
        else:
            error = outcome.error
            self.notify(error.message, title=f"Not imported: {error.code}", severity="error", markup=False)
            self._previewed(
                self.Previewed(outcome.file_name, Preview(outcome.file_name, outcome, outcome.profile))
            )
