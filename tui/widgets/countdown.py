"""A narrow live countdown: the only thing on screen that changes while the console idles.

Its text is a ``reactive`` string, so setting the same text again costs nothing and a
new text repaints these few cells only. The app's ticker (``tui/ticker.py``) calls
:meth:`Countdown.tick`; nothing ever updates a table cell on a timer.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.timefmt import until


class Countdown(Widget):
    """Time left until ``deadline``, e.g. ``3 days 4 h``; past deadlines read ``… ago``."""

    DEFAULT_CSS = """
    Countdown { width: 16; height: 1; }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(self, deadline: datetime, now: datetime, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.deadline = deadline
        self.set_reactive(Countdown.text, until(deadline, now))

    def deadlines(self) -> list[datetime]:
        """The one moment this countdown runs to (the ticker's protocol, ``tui/ticker.py``)."""
        return [self.deadline]

    def seconds_left(self, now: datetime) -> float:
        """Seconds until the deadline (negative once past), for choosing the tick rate."""
        return (self.deadline - now).total_seconds()

    def tick(self, now: datetime) -> None:
        """Recompute the text; the reactive repaints only if it changed."""
        self.text = until(self.deadline, now)

    def render(self) -> Text:
        """The countdown text, right-aligned so digits line up down a column."""
        return Text(self.text, no_wrap=True, overflow="ellipsis")
