"""The audit log: every change to the store, newest first, who made it and from where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message

from store.errors import ProvdeskError
from store.model import AuditEvent
from tui.host import host
from tui.screens.base import FilteredListScreen
from tui.snapshot import Snapshot
from tui.text import literal
from tui.timefmt import stamp
from tui.widgets.filter_bar import FilterBar
from tui.widgets.record_table import Column, RecordTable

LIMIT = 1000


def event_key(event: AuditEvent) -> str:
    """A row key unique enough for one listing."""
    return f"{event.at.isoformat()}|{event.action}|{event.subject}|{id(event)}"


COLUMNS: list[Column[AuditEvent]] = [
    Column("When", 17, lambda e: literal(stamp(e.at)), lambda e: e.at),
    Column("Who", 14, lambda e: literal(f"{e.actor}@{e.client or 'local'}"), lambda e: e.actor),
    Column("Action", 16, lambda e: literal(e.action), lambda e: e.action),
    Column("Subject", 40, lambda e: literal(e.subject), lambda e: e.subject),
]


class AuditScreen(FilteredListScreen):
    """The newest :data:`LIMIT` events, filterable."""

    SECTION = "audit"

    @dataclass
    class Loaded(Message):
        """Events read from the store."""

        events: list[AuditEvent]

    def compose_body(self) -> ComposeResult:
        """Filter bar and table."""
        yield FilterBar(placeholder="filter: action, subject, who…", id="filter")
        yield RecordTable[AuditEvent](COLUMNS, event_key, lambda e: e.action, id="audit")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Re-read the log whenever the store changed."""
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        store: Any = host(self).store
        try:
            events = list(store.audit(limit=LIMIT))
        except (ProvdeskError, AttributeError):
            events = []
        self.post_message(self.Loaded(events))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        table: RecordTable[AuditEvent] = self.query_one("#audit", RecordTable)
        table.configure(COLUMNS, lambda e: f"{e.action} {e.subject} {e.actor} {e.client}")
        if not getattr(self, "_sorted_once", False):
            table.sort_reverse = True  # newest first, until the admin sorts otherwise
            self._sorted_once = True
        table.set_records(message.events)
        if self.focused is None:
            table.focus()

