"""Drives the live countdowns at the slowest rate that keeps them right.

Once a minute normally; every second only while some countdown on screen is inside
its last hour. Each tick sets the countdowns' reactive text, which repaints only the
ones whose text changed. When a countdown crosses zero the store is re-read, so the
group's status (and its colour and word) follows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from textual.app import App, ScreenStackError
from textual.timer import Timer
from textual.widget import Widget

from store.clock import Clock
from tui.timefmt import tick_seconds


@runtime_checkable
class Ticking(Protocol):
    """A widget that counts down: a lone :class:`Countdown`, or the overview's timeline."""

    def deadlines(self) -> list[datetime]:
        """The moments it counts down to."""

    def tick(self, now: datetime) -> None:
        """Redraw for ``now``, repainting only text that changed."""


class Ticker:
    """Owns the single timer behind every countdown of the visible screen."""

    def __init__(self, app: App[Any], clock: Clock) -> None:
        self.app = app
        self.clock = clock
        self.timer: Timer | None = None
        self.last: datetime | None = None

    def poke(self) -> None:
        """Tick now and reschedule (a new screen or snapshot may need a faster rate)."""
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.app.set_timer(0.01, self.tick, name="countdown-ticker")

    def tick(self) -> None:
        """Update every countdown of the visible screen, then schedule the next tick."""
        if not self.app.screen_stack:
            return  # the console is closing: a snapshot that arrived meanwhile has nothing to tick
        now = self.clock()
        lefts: list[float] = []
        crossed = False
        try:
            screen = self.app.screen
        except ScreenStackError:  # a mode switch in flight (or the app closing): no screen to tick yet
            self.timer = self.app.set_timer(1.0, self.tick, name="countdown-ticker")
            return
        for widget in screen.query(Widget):
            if not isinstance(widget, Ticking):
                continue
            for deadline in widget.deadlines():
                if self.last is not None and self.last < deadline <= now:
                    crossed = True
                lefts.append((deadline - now).total_seconds())
            widget.tick(now)
        self.last = now
        if crossed:
            self.app.call_later(self.app.action_reload)  # type: ignore[attr-defined]
        self.timer = self.app.set_timer(tick_seconds(lefts), self.tick, name="countdown-ticker")
