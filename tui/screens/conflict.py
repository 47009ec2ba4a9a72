"""A form's save refused because someone changed the record meanwhile: say who and when, show the
new state, and let the admin reapply their edit on top of it or discard it. Never overwrite silently.

A form passes a :data:`Resolver` with its save; the app calls it with the store's
``ConflictError`` (which carries the record as it is now) and shows this screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from store.errors import ConflictError
from tui.text import sanitize

StoreCall = Callable[[Any], object]


@dataclass(frozen=True)
class Reapply:
    """What the admin is offered: the record now, what reapplying saves, and the save itself."""

    now: str
    result: str
    call: StoreCall


Resolver = Callable[[ConflictError], Reapply]


class ConflictScreen(ModalScreen[bool]):
    """``r`` reapplies the admin's edit on the new state; ``d`` or Escape discards it."""

    IS_FORM = True
    DEFAULT_CSS = "ConflictScreen { align: center middle; }"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "answer(True)", "Reapply my edit"),
        Binding("d", "answer(False)", "Discard my edit"),
        Binding("escape", "answer(False)", "Discard", show=False),
    ]

    def __init__(self, error: ConflictError, reapply: Reapply) -> None:
        super().__init__()
        self.error = error
        self.reapply = reapply

    def compose(self) -> ComposeResult:
        """Who changed what and when, the state now, the result of reapplying, the keys."""
        text = Text("Changed underneath you\n", style="bold")
        text.append(sanitize(self.error.message) + "\n\n")
        text.append("Now: ", style="bold")
        text.append(sanitize(self.reapply.now) + "\n")
        text.append("Reapplying your edit saves: ", style="bold")
        text.append(sanitize(self.reapply.result))
        with Vertical(id="confirm-box"):
            yield Static(text, id="conflict-text")
            yield Static("r reapply my edit on top · d discard my edit", id="confirm-keys")
        yield Footer(compact=True, show_command_palette=False)

    def action_answer(self, reapply: bool) -> None:
        """Close with the admin's choice."""
        self.dismiss(reapply)
