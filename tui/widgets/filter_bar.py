"""``/`` to filter as you type: an Input that hides itself when it is not needed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """Posts ``FilterChanged`` per keystroke and ``FilterDone`` on Enter or Escape."""

    DEFAULT_CSS = """
    FilterBar { display: none; height: 1; border: none; padding: 0 1; }
    FilterBar.-open { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Clear filter"),
        Binding("enter", "submit", "Keep filter, back to the list"),
    ]

    @dataclass
    class FilterChanged(Message):
        """The filter text changed (empty means show everything)."""

        text: str

    @dataclass
    class FilterDone(Message):
        """The admin left the filter; focus goes back to the list."""

        cleared: bool

    def __init__(self, placeholder: str = "filter…", **kwargs: object) -> None:
        super().__init__(placeholder=placeholder, compact=True, **kwargs)  # type: ignore[arg-type]
        self.can_focus = False  # hidden until ``/``: never the screen's first focus

    def open(self) -> None:
        """Show and focus the filter (keeps the text already typed)."""
        self.can_focus = True
        self.add_class("-open")
        self.focus()

    def action_close(self) -> None:
        """Escape: clear the filter and hide it."""
        self.value = ""
        self.remove_class("-open")
        self.can_focus = False
        self.post_message(self.FilterChanged(""))
        self.post_message(self.FilterDone(cleared=True))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.FilterChanged(event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.value:
            self.remove_class("-open")
            self.can_focus = False
        self.post_message(self.FilterDone(cleared=False))
