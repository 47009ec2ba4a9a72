"""Add an app from its .ipa: type a path (or pick one in the browser) and see what it is, then
ctrl+s: the store reads it in a worker and keeps it. A file the store refuses keeps the
pane open with the reason in it; a bundle ID already stored asks (default no) whether the
new build replaces the stored one, which keeps that app's assignments and history
(``store.add_app_from_ipa(replace_existing=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DirectoryTree, Footer, Input, Label, Static

from store.errors import ProvdeskError
from tui.host import host
from tui.messages import StoreChanged
from tui.screens.confirm import ConfirmScreen
from tui.screens.form import cancel_form
from tui.screens.ipa_preview import ipa_preview
from tui.text import literal
from tui.widgets.file_picker import FileBrowser, FilePicker, PathInput, remember_folder, start_folder


class AddAppScreen(Screen[None]):
    """A path field and a file browser showing .ipa files; Enter on a file or ctrl+s adds it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Add"),
        Binding("ctrl+o", "focus_files", "Files"),
        Binding("escape", "cancel", "Cancel"),
    ]
    IS_FORM = True

    @dataclass
    class Done(Message):
        """The store took the file (``replaced``: as a new build of a stored app)."""

        name: str
        replaced: bool

    @dataclass
    class Previewed(Message):
        """What the file holds, read before anything is saved (``text`` is ready to show)."""

        text: Text

    @dataclass
    class Refused(Message):
        """The store refused the file (``duplicate-app``: its bundle ID is stored already)."""

        path: Path
        error: ProvdeskError

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        """Title, path, the store's answer, browser."""
        yield Static(Text("Add app from .ipa", style="bold"), id="detail-title")
        yield Label("File: type a path + Enter (Tab completes), or ctrl+o to pick below", markup=False)
        yield PathInput(placeholder="/path/to/app.ipa", id="path", compact=True)
        yield Static("", id="add-result")
        yield FileBrowser(start_folder(self.start), (".ipa",))
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
        path = Path(event.value.strip()).expanduser()
        if path.is_dir():
            self.query_one(FileBrowser).go(path)
        elif event.value.strip():
            self._preview(path)

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self._preview(Path(event.path))

    @work(thread=True, exclusive=True, group="add-app-preview")
    def _preview(self, path: Path) -> None:
        store = host(self).store
        snapshot = host(self).snapshot
        try:
            from store.formats.ipa import read_ipa

            report = read_ipa(path, store.fleet().anchors)
        except (OSError, ProvdeskError) as error:
            code = error.code if isinstance(error, ProvdeskError) else "unreadable-file"
            message = error.message if isinstance(error, ProvdeskError) else str(error)
            self.post_message(self.Previewed(Text("✖ CANNOT READ THIS FILE: ", style="bold red")
                                             + literal(f"{message} ({code})")))
            return
        stored = snapshot.apps.get(report.app.bundle_id) if snapshot else None
        now = host(self).clock()
        self.post_message(self.Previewed(ipa_preview(report.app, report.checks, stored, now)))

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        self._show(message.text)

    def action_save(self) -> None:
        """Read and add the .ipa in a worker; the pane stays open until the store takes it."""
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.is_file():
            self._show(Text(f"✖ {path} is not a file: pick an .ipa", style="bold red"))
            return
        self._show(Text(f"reading {path.name}…", style="dim"))
        remember_folder(path)
        self._add(path, False)

    @work(thread=True, exclusive=True, group="add-app")
    def _add(self, path: Path, replace_existing: bool) -> None:
        try:
            app = host(self).store.add_app_from_ipa(path.name, path, replace_existing=replace_existing)
        except ProvdeskError as error:
            self.post_message(self.Refused(path, error))
            return
        self.post_message(self.Done(app.name, replace_existing))

    @on(Done)
    def _done(self, message: Done) -> None:
        verb = "Replaced the build of" if message.replaced else "Added app"
        self.app.post_message(StoreChanged(f"{verb} {message.name}"))
        self.dismiss(None)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        error = message.error
        self._show(Text("✖ NOT ADDED: ", style="bold red") + literal(f"{error.message} ({error.code})"))
        if error.code != "duplicate-app":
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._show(Text(f"replacing with {message.path.name}…", style="dim"))
                self._add(message.path, True)

        question = (f"{error.message.split(';')[0]}.\n\nReplace its build with {message.path.name}? "
                    "Its assignments and audit history are kept.")
        self.app.push_screen(ConfirmScreen(question), answered)

    def _show(self, text: Text) -> None:
        self.query_one("#add-result", Static).update(text)
