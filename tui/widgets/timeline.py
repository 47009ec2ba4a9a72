"""The overview's timeline: one row per group, most urgent first, with a live countdown.

Each row says the status in a word and a symbol (colour only adds to it), the group,
the countdown to its next break, a bar across the coming months, and on a second line
the app and reason that drive the break. Enter on a row asks to open that app.

It is one :class:`CursorList` drawn line by line, not a ListView of widgets: a cursor
move repaints the two rows concerned (a ListView restyled and repainted every row, 12 KB
per ``j``), and a countdown tick repaints its own 14 cells only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from store.rules.suggestions import at_risk, warning_horizon
from tui.snapshot import Snapshot
from tui.text import literal
from tui.timefmt import until
from tui.widgets.cursor_list import CursorList
from tui.widgets.expiry_bar import expiry_bar, month_ruler
from tui.widgets.fit import fit
from tui.widgets.record_table import without_colour

STATUS_LABEL = {
    "expired": "✖ EXPIRED",
    "critical": "▲ CRITICAL",
    "warning": "● WARNING",
    "ok": "✓ OK",
}


def status_label(status: str) -> str:
    """The status as symbol + word, so it reads on a monochrome terminal."""
    return STATUS_LABEL.get(status, f"? {status.upper()}")


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
    if reason == "integrity":
        return "its code signature or seal is broken: rebuild or re-sign"
    return "nothing is assigned to this group"


def reason_line(group: Any, snapshot: Snapshot) -> Text:
    """``↳ 3 at risk · App name: reason`` (names literal: they come from files)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("  ↳ ", style="dim")
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
        text.append("no app yet; ")
    text.append(literal(reason_words(group.reason, label, past)))
    return text


#: Cells of the columns left of the bar: marker, status, group, countdown.
MARKER, STATUS, GROUP, COUNTDOWN = 1, 11, 18, 14
BAR_AT = MARKER + STATUS + GROUP + COUNTDOWN


def _cell(text: str | Text, width: int, style: Style | str = "") -> Text:
    """``text`` cut to ``width`` cells with an ellipsis, padded to exactly ``width``."""
    cell = fit(text if isinstance(text, Text) else Text(text, style=style), width - 1)
    cell.truncate(width - 1, pad=True)
    cell.append(" ")
    return cell


class TimelineView(CursorList):
    """The groups' rows under one header line; posts :class:`TimelineView.GroupChosen` on Enter."""

    ROW_LINES: ClassVar[int] = 2
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--header", "timeline--reason", "timeline--bar", "timeline--cursor",
        "timeline--expired", "timeline--critical", "timeline--warning", "timeline--ok",
    }
    DEFAULT_CSS = """
    TimelineView > .timeline--header { text-style: bold; color: $text-muted; }
    TimelineView > .timeline--reason { color: $text-muted; }
    TimelineView > .timeline--bar { color: $primary; }
    TimelineView > .timeline--expired { color: $error; text-style: bold reverse; }
    TimelineView > .timeline--critical { color: $error; text-style: bold; }
    TimelineView > .timeline--warning { color: $warning; text-style: bold; }
    TimelineView > .timeline--ok { color: $success; }
    TimelineView > .timeline--cursor { background: $block-cursor-blurred-background; }
    TimelineView:focus > .timeline--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    TimelineView:nocolor > .timeline--cursor { text-style: reverse; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open", show=True),
    ]

    @dataclass
    class GroupChosen(Message):
        """The admin pressed Enter on a group: open what drives its break."""

        group: Any

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.groups: list[Any] = []
        self.snapshot: Snapshot | None = None
        self.countdowns: list[str] = []

    @property
    def row_count(self) -> int:
        """One row per group."""
        return len(self.groups)

    def show(self, snapshot: Snapshot) -> None:
        """Replace the rows (called only when a new snapshot arrives, never on a timer).

        A cursor the admin moved stays on its group; one on the first row stays on the
        first row, which is always the most urgent group.
        """
        keep = self.groups[self.cursor_row].group if self.groups and self.cursor_row > 0 else None
        self.snapshot = snapshot
        self.groups = list(snapshot.timeline.groups)
        self.countdowns = [self._countdown(g, snapshot.now) for g in self.groups]
        self.virtual_size = Size(1, self.HEADER_LINES + self.ROW_LINES * len(self.groups))
        names = [g.group for g in self.groups]
        index = names.index(keep) if keep in names else 0
        self.set_reactive(TimelineView.cursor_row, min(index, max(len(names) - 1, 0)))
        self.show_row(self.cursor_row)
        self.refresh()

    @staticmethod
    def _countdown(group: Any, now: datetime) -> str:
        return until(group.breaks_at, now) if group.breaks_at is not None else "no break"

    # -- the ticker's protocol (tui/ticker.py) --------------------------------------------

    def deadlines(self) -> list[datetime]:
        """Every break this view counts down to."""
        return [g.breaks_at for g in self.groups if g.breaks_at is not None]

    def tick(self, now: datetime) -> None:
        """Recompute each countdown; repaint only the cells of those whose text changed."""
        for row, group in enumerate(self.groups):
            text = self._countdown(group, now)
            if text != self.countdowns[row]:
                self.countdowns[row] = text
                y = self.HEADER_LINES + row * self.ROW_LINES - int(self.scroll_offset.y)
                if self.HEADER_LINES <= y < self.size.height:
                    self.refresh(Region(MARKER + STATUS + GROUP, y, COUNTDOWN, 1))

    # -- keys and mouse -------------------------------------------------------------------

    def action_choose(self) -> None:
        """Enter: open what drives the highlighted group's break."""
        if self.groups:
            self.post_message(self.GroupChosen(self.groups[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        """A click highlights the row under the pointer."""
        row = self.row_at_line(event.y)
        if row is not None and row < len(self.groups):
            self.move_cursor(row)

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Line 0: titles and the month ruler; then two lines per group."""
        width = self.scrollable_content_region.width  # without the scrollbar gutter
        base = self.rich_style
        if y == 0 or self.snapshot is None:
            header = base + self.get_component_rich_style("timeline--header")
            return self._strip(self._header(width), header, width)
        row = self.row_at_line(y)
        if row is None or row >= len(self.groups):
            return Strip.blank(width, base)
        first_line = (int(self.scroll_offset.y) + y - self.HEADER_LINES) % self.ROW_LINES == 0
        group = self.groups[row]
        text = self._status_line(row, group, width) if first_line else self._reason_line(group)
        if row == self.cursor_row:
            return self._strip(text, self.cursor_style("timeline--cursor"), width, cursor=True)
        return self._strip(text, base, width)

    def _header(self, width: int) -> Text:
        now = self.snapshot.now if self.snapshot is not None else None
        text = Text(" ", no_wrap=True)
        for title, cells in (("STATUS", STATUS), ("GROUP", GROUP), ("BREAKS IN", COUNTDOWN)):
            text.append_text(_cell(title, cells))
        if now is not None:
            text.append_text(month_ruler(now, max(width - BAR_AT, 2)))
        return text

    def _status_line(self, row: int, group: Any, width: int) -> Text:
        assert self.snapshot is not None
        status = self.get_component_rich_style(f"timeline--{group.status}", partial=True)
        urgent = group.status in ("expired", "critical", "warning")
        text = Text("▶" if row == self.cursor_row else " ", no_wrap=True)
        text.append_text(_cell(status_label(group.status), STATUS, status))
        text.append_text(_cell(literal(group.group), GROUP))
        countdown_style = Style(color=status.color) if urgent else ""
        text.append_text(_cell(self.countdowns[row], COUNTDOWN, countdown_style))
        bar = expiry_bar(self.snapshot.now, _marks(group, self.snapshot), max(width - BAR_AT, 2))
        bar.stylize(self.get_component_rich_style("timeline--bar", partial=True), 0)
        text.append_text(bar)
        return text

    def _reason_line(self, group: Any) -> Text:
        assert self.snapshot is not None
        line = reason_line(group, self.snapshot)
        line.stylize(self.get_component_rich_style("timeline--reason", partial=True), 0)
        return line

    def _strip(self, text: Text, style: Style, width: int, *, cursor: bool = False) -> Strip:
        text.truncate(width, overflow="ellipsis")
        segments = list(text.render(self.app.console, end=""))
        if cursor:
            segments = [s._replace(style=without_colour(s.style)) for s in segments]
        return Strip(segments).apply_style(style).extend_cell_length(width, style).crop(0, width).simplify()
