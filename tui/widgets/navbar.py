"""The one-line bar at the top: which screen this is and the digit that reaches each one.

A Header would take a line for a title and tick a clock; this shows the map of the
console instead, which is what a newcomer at 80x24 needs.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

SECTIONS = (
    ("1", "overview", "Overview"),
    ("2", "profiles", "Profiles"),
    ("3", "apps", "Apps"),
    ("4", "groups", "Groups"),
    ("5", "triage", "Triage"),
    ("6", "audit", "Audit"),
)


class NavBar(Widget):
    """``provdesk  1 Overview 2 Profiles …`` with the current section highlighted."""

    DEFAULT_CSS = """
    NavBar { height: 1; width: 1fr; background: $panel; }
    """

    def __init__(self, current: str, *, read_only: bool = False) -> None:
        super().__init__()
        self.current = current
        self.read_only = read_only

    def render(self) -> Text:
        """Static text: it never changes while this screen is shown."""
        text = Text(" provdesk ", style="bold", no_wrap=True, overflow="ellipsis")
        if self.read_only:
            text.append("read-only ", style="reverse")
        for key, mode, title in SECTIONS:
            text.append(" ")
            style = "reverse bold" if mode == self.current else ""
            text.append(f"{key} {title}", style=style)
        text.append("  ? help")
        return text
