"""The first screen: what breaks next, for whom, and why, as a live timeline of groups.

On an empty store it says so and offers one key to load the demo data set.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from store.rules.problems import fleet_problems
from tui.screens.base import SnapshotScreen
from tui.screens.navigation import open_group
from tui.snapshot import Snapshot
from tui.widgets.timeline import TimelineView

STATUSES = ("expired", "critical", "warning", "ok")
BAR_LEGEND = (
    "Bar, today to a year out: ┃ today · P a profile expires · C a certificate expires · "
    "◆ both in one cell · › something further out"
)
HINT = " l legend"
EMPTY_TEXT = (
    "The store is empty: no profiles and no apps yet.\n\n"
    "Press d to load the demo data set (a fictional company's profiles, apps and groups),\n"
    "or n to create a profile from a .mobileprovision file."
)


def summary(snapshot: Snapshot, styles: dict[str, Style]) -> Text:
    """One line of counts by status, words first so it reads without colour.

    ``styles`` are the timeline's status styles, so the counts take the theme's colours
    (which are checked for contrast) rather than fixed ones.
    """
    counts = {"expired": 0, "critical": 0, "warning": 0, "ok": 0}
    for group in snapshot.timeline.groups:
        counts[group.status] = counts.get(group.status, 0) + 1
    text = Text(f" {len(snapshot.timeline.groups)} groups: ", no_wrap=True)
    for status in STATUSES:
        style = styles[status] + Style(reverse=False) if counts[status] else ""
        text.append(f"{counts[status]} {status}", style=style)
        text.append("  ")
    text.append(f"· {len(snapshot.fleet.profiles)} profiles · {len(snapshot.fleet.apps)} apps")
    return text


class OverviewScreen(SnapshotScreen):
    """The timeline of groups, most urgent first."""

    SECTION = "overview"
    DEFAULT_CSS = """
    OverviewScreen #legend { display: none; height: auto; color: $text-muted; }
    OverviewScreen.-legend #legend { display: block; }
    OverviewScreen #problems-banner { height: 1; }
    OverviewScreen.-empty #problems-banner { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "create", "New profile"),
        Binding("d", "load_demo", "Load demo"),
        Binding("l", "legend", "Legend"),
        Binding("p", "problems", "Problems"),
    ]

    class ProblemsCounted(Message):
        """How many problems the rules found in one snapshot."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def compose_body(self) -> ComposeResult:
        """Summary, header and the timeline; the empty-store notice replaces them when empty."""
        yield Static(id="summary")
        yield Static(BAR_LEGEND, id="legend", markup=False)
        yield Static(HINT, id="problems-banner")
        yield TimelineView(id="timeline")
        yield Static(EMPTY_TEXT, id="empty", markup=False)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Redraw the timeline, or the empty notice."""
        self.set_class(snapshot.empty, "-empty")
        self._count_problems(snapshot)
        timeline = self.query_one(TimelineView)
        styles = {s: timeline.get_component_rich_style(f"timeline--{s}", partial=True) for s in STATUSES}
        self.query_one("#summary", Static).update(summary(snapshot, styles))
        timeline.show(snapshot)
        if not snapshot.empty:
            timeline.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``d`` (load demo) applies only while the store is empty; no edits on a read-only store."""
        if not super().check_action(action, parameters):
            return False
        if action == "load_demo":
            snapshot = self.snapshot
            return snapshot is not None and snapshot.empty
        return True

    @on(TimelineView.GroupChosen)
    def _group_chosen(self, message: TimelineView.GroupChosen) -> None:
        open_group(self.app, message.group.group)

    @work(thread=True, exclusive=True, group="problems")
    def _count_problems(self, snapshot: Snapshot) -> None:
        self.post_message(self.ProblemsCounted(len(fleet_problems(snapshot.fleet, snapshot.now))))

    @on(ProblemsCounted)
    def _problems_counted(self, message: ProblemsCounted) -> None:
        # The row is always there, so a count arriving later repaints one line, never shifts the list.
        banner = self.query_one("#problems-banner", Static)
        text = Text(HINT, no_wrap=True, overflow="ellipsis")
        if message.count:
            words = "1 problem" if message.count == 1 else f"{message.count} problems"
            text.append(f"  ! {words}: p lists them (exclusions that do nothing, failed preflight)",
                        style="bold")
        else:
            text.append("  no problems", style="dim")
        banner.update(text)

    def action_problems(self) -> None:
        """``p``: the list of problems."""
        from tui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen())

    def action_legend(self) -> None:
        """``l``: show or hide what the bar's marks mean."""
        self.toggle_class("-legend")

    def action_create(self) -> None:
        """Open the Create profile pane."""
        from tui.screens.create_profile import CreateProfileScreen

        self.app.push_screen(CreateProfileScreen())

    def action_load_demo(self) -> None:
        """Load the demo data set into the empty store (in a worker)."""
        self.notify("Loading the demo data…")
        self.app.load_demo()  # type: ignore[attr-defined]
