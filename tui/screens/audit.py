"""The audit log: every change to the store, newest first, who made it and from where.

Subjects are named as people call them (a deleted one by the name it had), each row says
what changed, and Enter opens the subject, or the event itself when the subject is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static

from store.errors import ProvdeskError
from store.model import AuditEvent
from tui.audit_names import change_text, recorded_names, subject_label
from tui.host import host
from tui.screens.base import FilteredListScreen
from tui.screens.navigation import open_app, open_group, open_profile
from tui.snapshot import Snapshot
from tui.text import literal
from tui.timefmt import stamp
from tui.widgets.filter_bar import FilterBar
from tui.widgets.record_table import Column, RecordTable

LIMIT = 1000


def event_key(event: AuditEvent) -> str:
    """A row key unique enough for one listing."""
    return f"{event.at.isoformat()}|{event.action}|{event.subject}|{id(event)}"


def audit_columns(label: Callable[[str], str]) -> list[Column[AuditEvent]]:
    """When, who, action, the subject by name, what changed."""
    return [
        Column("When", 17, lambda e: literal(stamp(e.at)), lambda e: e.at),
        Column("Who", 12, lambda e: literal(f"{e.actor}@{e.client or 'local'}"), lambda e: e.actor),
        Column("Action", 15, lambda e: literal(e.action), lambda e: e.action),
        Column("Subject", 26, lambda e: literal(label(e.subject)), lambda e: label(e.subject)),
        Column("Change", 60, lambda e: literal(change_text(e)), None),
    ]


class AuditScreen(FilteredListScreen):
    """The newest :data:`LIMIT` events, filterable."""

    SECTION = "audit"
    DEFAULT_CSS = """
    AuditScreen #audit-change { height: auto; max-height: 4; padding: 0 1; border-top: solid $primary; }
    """

    @dataclass
    class Loaded(Message):
        """Events read from the store."""

        events: list[AuditEvent]

    def compose_body(self) -> ComposeResult:
        """Filter bar and table."""
        yield FilterBar(placeholder="filter: action, subject, who…", id="filter")
        yield RecordTable[AuditEvent](audit_columns(str), event_key, lambda e: e.action, id="audit")
        yield Static("", id="audit-change")

    def on_mount(self) -> None:
        """Also follow the cursor: the highlighted event's change, in full, under the table."""
        super().on_mount()
        self.watch(self.query_one("#audit", RecordTable), "cursor_row", self._show_change)

    def _show_change(self, _: int = 0) -> None:
        key = self.query_one("#audit", RecordTable).current_key()
        event = getattr(self, "events", {}).get(key) if key else None
        text = f"{event.action}: {change_text(event)}" if event else ""
        self.query_one("#audit-change", Static).update(literal(text))

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
        snapshot = self.snapshot
        names = recorded_names(message.events)
        self.events = {event_key(e): e for e in message.events}

        def label(subject: str) -> str:
            return subject_label(subject, snapshot.fleet, names) if snapshot else subject

        table.configure(audit_columns(label),
                        lambda e: f"{e.action} {e.subject} {label(e.subject)} {e.actor} {e.client}")
        if not getattr(self, "_sorted_once", False):
            table.sort_reverse = True  # newest first, until the admin sorts otherwise
            self._sorted_once = True
        table.set_records(message.events)
        self._show_change()
        if self.focused is None:
            table.focus()


    @on(RecordTable.Chosen)
    def _chosen(self, message: RecordTable.Chosen) -> None:
        """The subject's detail while it exists; else (deleted, settings) the event itself."""
        event = getattr(self, "events", {}).get(message.key)
        snapshot = self.snapshot
        if event is None or snapshot is None:
            return
        kind, _, ident = event.subject.partition(":")
        if kind == "profile" and ident in snapshot.profiles:
            open_profile(self.app, ident)
        elif kind == "app" and ident in snapshot.apps:
            open_app(self.app, ident)
        elif kind == "group" and ident in snapshot.groups:
            open_group(self.app, ident)
        else:
            from tui.screens.audit_event import AuditEventScreen

            self.app.push_screen(AuditEventScreen(event, subject_label(event.subject, snapshot.fleet,
                                                                        recorded_names(self.events.values()))))
