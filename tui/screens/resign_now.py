"""Re-sign now, or only mark: triage's ``r`` on a certificate break, when an identity is configured.

The identity file's path comes from the settings; its password is typed here into a field
that never echoes, and is handed to the re-sign worker in memory only. Enter re-signs,
ctrl+t only marks the app (as ``r`` does without an identity), Escape cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from tui.text import literal


@dataclass(frozen=True)
class ResignChoice:
    """What the admin chose: re-sign with this password, or only toggle the mark."""

    resign: bool
    password: bytes = b""


class ResignNowScreen(ModalScreen[ResignChoice | None]):
    """Dismisses with a :class:`ResignChoice`, or ``None`` on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "mark_only", "Only mark"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, app_name: str, identity: Path) -> None:
        super().__init__()
        self.app_name = app_name
        self.identity = identity

    def compose(self) -> ComposeResult:
        """The question, the password field and the keys."""
        with Vertical(id="form-box"):
            yield Static(
                literal(f"Re-sign {self.app_name} now with {self.identity.name}?"), id="resign-question"
            )
            yield Input(password=True, placeholder="password of the identity", id="resign-password")
            yield Static(
                "Enter re-sign now (verified before it is stored) · ctrl+t only mark · Esc cancel",
                id="confirm-keys",
            )
        yield Footer(compact=True, show_command_palette=False)

    @on(Input.Submitted)
    def _submitted(self, message: Input.Submitted) -> None:
        self.dismiss(ResignChoice(True, message.value.encode()))

    def action_mark_only(self) -> None:
        """Only toggle the re-sign mark."""
        self.dismiss(ResignChoice(False))

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)
