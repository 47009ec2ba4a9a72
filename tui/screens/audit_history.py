"""The audit history of one subject, loaded in a worker for a detail screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.message import Message
from textual.widgets import Static

from store.errors import ProvdeskError
from store.model import AuditEvent
from tui.host import host
from tui.widgets.facts import audit_text


class AuditHistory(Static):
    """The changes recorded for ``subject`` (``profile:UUID``, ``app:BUNDLE``, ``group:NAME``)."""

    @dataclass
    class Loaded(Message):
        """The events arrived from the store."""

        events: list[AuditEvent]

    def __init__(self, subject: str) -> None:
        super().__init__("loading…", classes="audit-history")
        self.subject = subject

    def on_mount(self) -> None:
        """Start loading as soon as the widget is shown."""
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        store: Any = host(self).store
        try:
            events = list(store.audit(subject=self.subject, limit=50))
        except (ProvdeskError, AttributeError):
            events = []
        self.post_message(self.Loaded(events))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.update(audit_text(message.events))
