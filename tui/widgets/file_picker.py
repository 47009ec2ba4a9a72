"""A keyboard file browser that shows only folders and the files a form can take.

Labels are file names, which anyone can choose: they are shown literally, never as
markup (``Tree.process_label`` would otherwise parse ``[red]``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DirectoryTree

from tui.text import sanitize


class FilePicker(DirectoryTree):
    """A DirectoryTree filtered to visible folders and files ending in one of ``suffixes``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("backspace", "parent", "Up a folder"),
    ]

    def __init__(self, path: Path, suffixes: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(path, **kwargs)  # type: ignore[arg-type]
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
