"""A yes/no question before anything is deleted: ``ModalScreen[bool]``, y/Enter or n/Escape."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.text import literal


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with ``True`` only on an explicit yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("enter", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question (literal: it may quote names from files) and the keys."""
        with Vertical(id="confirm-box"):
            yield Static(literal(self.question), id="confirm-question")
            yield Static("y yes · n no", id="confirm-keys")
        yield Footer(compact=True, show_command_palette=False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
