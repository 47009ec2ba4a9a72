"""The overview's timeline: one row per group, most urgent first, with a live countdown.

Each row says the status in a word and a symbol (colour only adds to it), the group,
the countdown to its next break, a bar across the coming months, and on a second line
the app and reason that drive the break. Enter on a row asks to open that app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ListItem, ListView, Static

from store.rules.suggestions import at_risk, warning_horizon
from tui.snapshot import Snapshot
from tui.text import literal
from tui.widgets.countdown import Countdown
from tui.widgets.expiry_bar import expiry_bar, month_ruler
from tui.widgets.vim_lists import VimList

STATUS_LABEL = {
    "expired": "✖ EXPIRED",
    "critical": "▲ CRITICAL",
    "warning": "● WARNING",
    "ok": "✓ OK",
}


def status_label(status: str) -> str:
    """The status as symbol + word, so it reads on a monochrome terminal."""
    return STATUS_LABEL.get(status, f"? {status.upper()}")


class ExpiryBar(Widget):
    """The bar of one group, drawn at whatever width the row leaves it."""

    DEFAULT_CSS = "ExpiryBar { width: 1fr; height: 1; }"

    def __init__(self, now: datetime, marks: list[tuple[datetime, str]]) -> None:
        super().__init__()
        self.now = now
        self.marks = marks

    def render(self) -> Text:
        """Today at the left edge, a year to the right edge."""
        return expiry_bar(self.now, self.marks, max(self.size.width, 2))


class MonthRuler(Widget):
    """Month initials aligned with the bars below."""

    DEFAULT_CSS = "MonthRuler { width: 1fr; height: 1; }"

    def __init__(self, now: datetime) -> None:
        super().__init__()
        self.now = now

    def render(self) -> Text:
        """Month initials at the cells where each month begins."""
        return month_ruler(self.now, max(self.size.width, 2))


def _marks(group: Any, snapshot: Snapshot) -> list[tuple[datetime, str]]:
    """Profile and certificate expiry moments of every app behind a group."""
    marks: list[tuple[datetime, str]] = []
    for item in group.items:
        profile = snapshot.profiles.get(item.profile or "")
        if profile is not None:
            marks.append((profile.expires, "profile"))
        if item.certificate_expires is not None:
            marks.append((item.certificate_expires, "certificate"))
    if not group.items and group.profile in snapshot.profiles:
        marks.append((snapshot.profiles[group.profile].expires, "profile"))
    return marks


def reason_words(reason: str | None, profile_label: str | None, past: bool) -> str:
    """The timeline's reason code as the sentence an admin reads."""
    verb = "expired" if past else "expires"
    if reason == "certificate":
        return f"signing certificate {verb}: re-sign required"
    if reason == "profile":
        return f"profile '{profile_label}' {verb}" if profile_label else f"profile {verb}"
    if reason == "no-profile":
        return "no assigned profile covers it"
    return "nothing is assigned to this group"


def reason_line(group: Any, snapshot: Snapshot) -> Text:
    """``↳ 3 at risk · App name: reason`` (names literal: they come from files)."""
    text = Text("  ↳ ", style="dim", no_wrap=True, overflow="ellipsis")
    risk = len(at_risk(group, warning_horizon(snapshot.fleet, snapshot.now)))
    if risk > 1:
        text.append(f"{risk} at risk · ", style="bold")
    profile = snapshot.profiles.get(group.profile or "")
    label = profile.label if profile is not None else None
    past = group.breaks_at is not None and group.breaks_at <= snapshot.now
    if group.app is not None:
        app = snapshot.apps.get(group.app)
        text.append(literal(app.name if app else group.app, style="bold"))
        text.append(": ")
    elif group.profile is not None:
        text.append("no app yet; ", style="dim")
    text.append(literal(reason_words(group.reason, label, past)))
    return text


class GroupRow(ListItem):
    """Two lines for one group of the timeline; ``▶`` marks the highlighted one (no colour needed)."""

    def watch_highlighted(self, value: bool) -> None:
        """Keep ListView's class, and show the marker."""
        super().watch_highlighted(value)
        for marker in self.query(".marker").results(Static):
            marker.update("▶" if value else " ")

    def __init__(self, group: Any, snapshot: Snapshot) -> None:
        super().__init__(classes=f"group-row -{group.status}")
        self.group = group
        self.snapshot = snapshot
        self.now = snapshot.now

    def compose(self) -> ComposeResult:
        """Status, group, countdown and bar; then the driving app and reason."""
        with Horizontal(classes="row-line"):
            yield Static("▶" if self.highlighted else " ", classes="marker")
            yield Static(status_label(self.group.status), classes="status")
            yield Static(literal(self.group.group), classes="group-name")
            if self.group.breaks_at is not None:
                yield Countdown(self.group.breaks_at, self.now, classes="countdown")
            else:
                yield Static("no break", classes="countdown")
            yield ExpiryBar(self.now, _marks(self.group, self.snapshot))
        yield Static(reason_line(self.group, self.snapshot), classes="reason")


class TimelineHeader(Horizontal):
    """Column titles and the month ruler, above the list."""

    def __init__(self, now: datetime) -> None:
        super().__init__(classes="row-line timeline-header")
        self.now = now

    def compose(self) -> ComposeResult:
        """Titles sized like the row columns."""
        yield Static(" ", classes="marker")
        yield Static("STATUS", classes="status")
        yield Static("GROUP", classes="group-name")
        yield Static("BREAKS IN", classes="countdown")
        yield MonthRuler(self.now)


class TimelineView(VimList):
    """The list of group rows; posts :class:`TimelineView.GroupChosen` on Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", show=True),
    ]

    @dataclass
    class GroupChosen(Message):
        """The admin pressed Enter on a group: open what drives its break."""

        group: Any

    def show(self, snapshot: Snapshot) -> None:
        """Replace the rows (called only when a new snapshot arrives, never on a timer)."""
        groups = snapshot.timeline.groups
        index = self.index
        self.clear()
        self.extend(GroupRow(group, snapshot) for group in groups)
        if groups:
            self.index = min(index or 0, len(groups) - 1)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        """Turn the generic selection into a message that carries the group."""
        event.stop()
        if isinstance(event.item, GroupRow):
            self.post_message(self.GroupChosen(event.item.group))
