"""A keyboard file browser that shows only folders and the files a form can take, and the
path field beside it that completes on Tab and moves the browser when it names a folder.

Labels are file names, which anyone can choose: they are shown literally, never as
markup (``Tree.process_label`` would otherwise parse ``[red]``). The browser starts in
the folder last used in this console session, else the home directory.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Input, Static

from tui.text import sanitize

_last_folder: list[Path] = []  # this session's last folder a file was taken from


def start_folder(given: Path | None) -> Path:
    """Where a browser opens: the folder given, else the last one used, else home."""
    return given or (_last_folder[-1] if _last_folder else Path.home())


def remember_folder(path: Path) -> None:
    """The folder of a file just picked or typed becomes where the next browser opens."""
    folder = path if path.is_dir() else path.parent
    _last_folder[:] = [folder]


class FilePicker(DirectoryTree):
    """A DirectoryTree filtered to visible folders and files ending in one of ``suffixes``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
        Binding("backspace", "parent", "Up a folder"),
    ]

    def __init__(self, path: Path, suffixes: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self.suffixes = suffixes

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        """Folders (not hidden) and matching files only."""
        kept = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                is_dir = path.is_dir()
            except OSError:
                continue
            if is_dir or path.name.lower().endswith(self.suffixes):
                kept.append(path)
        return kept

    def process_label(self, label: str | Text) -> Text:
        """File names literally (sanitized), whatever brackets or escapes they contain."""
        if isinstance(label, str):
            return Text(sanitize(label), no_wrap=True, overflow="ellipsis")
        return label

    def action_parent(self) -> None:
        """Show the folder above the current root."""
        root = Path(self.path)
        if root.parent != root:
            self.path = root.parent

    def action_first(self) -> None:
        """``g``: the first line."""
        self.cursor_line = 0

    def action_last(self) -> None:
        """``G``: the last line."""
        self.cursor_line = self.last_line


class FileBrowser(Vertical):
    """The browser under a line naming the folder it shows (the tree's root has no name)."""

    DEFAULT_CSS = "FileBrowser { height: 1fr; } FileBrowser .browser-root { height: 1; color: $text-muted; }"

    def __init__(self, path: Path, suffixes: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start = path
        self.suffixes = suffixes

    def compose(self) -> ComposeResult:
        """Folder line, tree."""
        yield Static(classes="browser-root")
        yield FilePicker(self.start, self.suffixes, id="files")

    def on_mount(self) -> None:
        """Name the folder now and whenever the tree moves."""
        self.watch(self.query_one(FilePicker), "path", self._moved, init=True)

    def _moved(self, path: str | Path) -> None:
        self.query_one(".browser-root", Static).update(Text(f"in {sanitize(str(path))}", no_wrap=True))

    def go(self, folder: Path) -> None:
        """Show ``folder`` (a directory path typed into the form)."""
        self.query_one(FilePicker).path = folder


class PathSuggester(Suggester):
    """Completes a typed path from the file system: the one entry its last part begins."""

    async def get_suggestion(self, value: str) -> str | None:
        """The completion of ``value`` when exactly one folder entry starts with its last part."""
        typed = Path(value).expanduser()
        folder, stem = (typed, "") if value.endswith("/") else (typed.parent, typed.name)
        try:
            names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir()
                           if p.name.startswith(stem) and not p.name.startswith("."))
        except OSError:
            return None
        if len(names) != 1:
            return None
        head = value if value.endswith("/") else value[: len(value) - len(stem)]
        return head + names[0]


class PathInput(Input):
    """A path field: Tab takes the completion shown (else moves on as Tab does)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("tab", "complete", "Complete", show=False)]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(suggester=PathSuggester(use_cache=False, case_sensitive=True), **kwargs)

    def action_complete(self) -> None:
        """Accept the suggestion, or move focus on when there is none."""
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
