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
        self._intune = ""

    def on_mount(self) -> None:
        """With a tenant configured, follow the snapshot and the minutes since the last pull."""
        self.watch(self.app, "snapshot", self._follow, init=False)
        self.set_interval(60, self._follow, name="intune-age")

    def _follow(self, *_: object) -> None:
        """Repaint only when the Intune words changed (a minute passing, a new pull)."""
        words = self.intune_words()
        if words != self._intune:
            self._intune = words
            self.refresh()

    def intune_words(self) -> str:
        """``pulled 12 min ago`` (or ``not pulled yet``) when the store has a tenant; else empty."""
        snapshot = getattr(self.app, "snapshot", None)
        if snapshot is None or not snapshot.intune_tenant:
            return ""
        from tui.intune_console import ago

        if snapshot.intune_pulled_at is None:
            return "not pulled yet"
        clock = getattr(self.app, "clock", None)
        return "pulled " + ago(snapshot.intune_pulled_at, clock() if callable(clock) else snapshot.now)

    def render(self) -> Text:
        """The sections, then the Intune status when a tenant is configured (shortened to fit)."""
        text = Text(" provdesk ", style="bold", no_wrap=True, overflow="ellipsis")
        if self.read_only:
            text.append("read-only ", style="reverse")
        for key, mode, title in SECTIONS:
            text.append(" ")
            style = "reverse bold" if mode == self.current else ""
            text.append(f"{key} {title}", style=style)
        words = self._intune = self.intune_words()
        room = self.size.width - len(text.plain)
        if not words:
            text.append("  ? help")
        elif room >= len(words) + 18:
            text.append(f"  ? help  Intune: {words}")
        elif room >= len(words) + 10:
            text.append(f"  Intune: {words}")
        else:
            short = words.removeprefix("pulled ").replace(" min ago", "m").replace(" h ago", "h")
            text.append(f"  Intune {short.replace(' days ago', 'd')}")
        return text
