"""One audit event in full: when, who, from where, what, and the values before and after.

Opened from the audit log when the event's subject no longer exists (a deleted profile, app
or group) or is not a record (settings), so Enter always shows something.
"""

from __future__ import annotations

import json
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.model import AuditEvent
from tui.audit_names import change_text
from tui.text import literal, literal_lines
from tui.timefmt import stamp
from tui.widgets.facts import facts, heading


def _json(value: object) -> str:
    return "—" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


class AuditEventScreen(Screen[None]):
    """The event; Escape goes back to the log."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.go_back", "Back")]

    def __init__(self, event: AuditEvent, subject: str) -> None:
        super().__init__()
        self.event = event
        self.subject = subject

    def compose(self) -> ComposeResult:
        """Title, the facts, before and after."""
        event = self.event
        yield Static(literal(f"Audit event · {event.action}", style="bold"), id="detail-title")
        with VerticalScroll(id="detail-body", can_focus=True):
            yield Static(facts([
                ("When", stamp(event.at)), ("Who", f"{event.actor}@{event.client or 'local'}"),
                ("Action", event.action), ("Subject", self.subject), ("Id", event.subject),
                ("Change", change_text(event)),
            ]))
            yield heading("Before")
            yield Static(literal_lines(_json(event.before)))
            yield heading("After")
            yield Static(literal_lines(_json(event.after)))
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Focus the body so the keys scroll it."""
        self.query_one("#detail-body").focus()
