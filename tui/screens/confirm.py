"""A yes/no question before anything is deleted or broken: ``ModalScreen[bool]``, only ``y`` says yes.

Enter, ``n`` and Escape all say no, so a stray ``x Enter`` never deletes anything.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.text import literal_lines


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with ``True`` only on an explicit yes."""

    IS_FORM = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("enter", "answer(False)", "No", show=False),
        Binding("escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question, line by line (each literal: it may quote names from files), and the keys."""
        with Vertical(id="confirm-box"):
            yield Static(literal_lines(self.question), id="confirm-question")
            yield Static("y yes · n, Enter or Esc no", id="confirm-keys")
        yield Footer(compact=True, show_command_palette=False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
