"""Problems: what is wrong in the fleet that no countdown shows (``store.rules.problems``).

The same warnings ``provdesk timeline`` prints on stderr: exclusions that exclude nobody,
profiles assigned with an app they fail preflight for. Enter opens the profile or app.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.rules.problems import Problem, fleet_problems
from tui.host import host
from tui.screens.navigation import open_app, open_profile
from tui.snapshot import Snapshot
from tui.text import literal
from tui.widgets.record_table import Column, RecordTable

COLUMNS: list[Column[Problem]] = [
    Column("Kind", 10, lambda p: literal(p.kind), lambda p: p.kind),
    Column("Problem", 200, lambda p: literal(p.message), lambda p: p.message),
]


class ProblemsScreen(Screen[None]):
    """The list of problems, worked out in a worker from each new snapshot."""

    DEFAULT_CSS = """
    ProblemsScreen #problems { height: 1fr; }
    ProblemsScreen #problem-text { height: auto; max-height: 6; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.go_back", "Back")]

    class Found(Message):
        """The rules listed the problems of one snapshot."""

        def __init__(self, problems: tuple[Problem, ...]) -> None:
            super().__init__()
            self.problems = problems

    def compose(self) -> ComposeResult:
        """Title, the table, the footer."""
        yield Static(literal("Problems", style="bold"), id="detail-title")
        yield RecordTable[Problem](COLUMNS, self._key, lambda p: p.message, id="problems")
        yield Static("", id="problem-text")
        yield Footer(compact=True, show_command_palette=False)

    @staticmethod
    def _key(problem: Problem) -> str:
        return f"{problem.target_kind}:{problem.target}:{problem.message}"

    def on_mount(self) -> None:
        """Work the list out now and for every later snapshot."""
        self.watch(self.app, "snapshot", self._snapshot_changed, init=True)
        table = self.query_one(RecordTable)
        self.watch(table, "cursor_row", self._show_current)
        table.focus()

    def _show_current(self, _: int = 0) -> None:
        """The highlighted problem in full, wrapped (the table cuts long lines at the edge)."""
        key = self.query_one(RecordTable).current_key()
        problem = getattr(self, "problems", {}).get(key) if key else None
        self.query_one("#problem-text", Static).update(literal(problem.message) if problem else "")

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        if snapshot is not None:
            self._find(snapshot)

    @work(thread=True, exclusive=True)
    def _find(self, snapshot: Snapshot) -> None:
        self.post_message(self.Found(fleet_problems(snapshot.fleet, snapshot.now)))

    @on(Found)
    def _found(self, message: Found) -> None:
        self.problems = {self._key(p): p for p in message.problems}
        title = f"Problems · {len(message.problems)}" if message.problems else "Problems · none"
        self.query_one("#detail-title", Static).update(literal(title, style="bold"))
        self.query_one(RecordTable).set_records(list(message.problems))
        self._show_current()

    @on(RecordTable.Chosen)
    def _chosen(self, message: RecordTable.Chosen) -> None:
        problem = getattr(self, "problems", {}).get(message.key)
        if problem is None:
            return
        snapshot = host(self).snapshot
        if problem.target_kind == "profile" and snapshot and problem.target in snapshot.profiles:
            open_profile(self.app, problem.target)
        elif problem.target_kind == "app" and snapshot and problem.target in snapshot.apps:
            open_app(self.app, problem.target)
