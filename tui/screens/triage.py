"""Triage: everything that breaks inside the warning window, with the action at hand.

``u`` assigns the suggested profile (one that passes preflight) to the groups that lack
it, ``r`` marks the app as needing re-signing (the fix when its certificate is the
cause) or, on a certificate break when an identity file is configured, offers to re-sign
it now (refusals are shown before anything is written), Enter opens the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from tui.screens.base import SnapshotScreen
from tui.screens.changes import confirm_and_run, run_change
from tui.screens.navigation import open_app
from tui.screens.resign_now import ResignChoice, ResignNowScreen
from tui.screens.triage_items import TriageItem, action_hint, fix_question, triage_items
from tui.snapshot import Snapshot
from tui.text import literal
from tui.timefmt import table_until as until
from tui.widgets.record_table import Column, RecordTable

REASONS = {
    "profile": "profile expires", "certificate": "cert expires", "no-profile": "no profile",
    "integrity": "signature broken",
}


def triage_columns(snapshot: Snapshot) -> list[Column[TriageItem]]:
    """Breaks in, app, reason, groups, action."""
    now = snapshot.now
    return [
        Column(
            "Breaks in",
            13,
            lambda i: literal(until(i.breaks_at, now), style="bold" if i.breaks_at > now else "bold red"),
            lambda i: i.breaks_at,
        ),
        Column("App", 16, lambda i: literal(i.name), lambda i: i.name.casefold()),
        Column("Reason", 15, lambda i: literal(REASONS.get(i.reason, i.reason)), lambda i: i.reason),
        Column("Action", 26, lambda i: literal(action_hint(i)), None),
        Column("Groups", 30, lambda i: literal(", ".join(i.groups)), None),
    ]


class TriageScreen(SnapshotScreen):
    """Apps at risk, most urgent first."""

    SECTION = "triage"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "use_suggestion", "Assign suggested"),
        Binding("r", "resign", "Mark re-sign"),
    ]

    @dataclass
    class ItemsReady(Message):
        """The rules listed the apps at risk and their suggestions."""

        snapshot: Snapshot
        items: list[TriageItem]

    def compose_body(self) -> ComposeResult:
        """A one-line summary and the table."""
        yield Static("working out what breaks…", id="triage-summary", markup=False)
        yield RecordTable[TriageItem]([], lambda i: i.bundle_id, lambda i: i.name, id="triage")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Suggestions take a moment: compute them in a worker."""
        self._compute(snapshot)

    @work(thread=True, exclusive=True)
    def _compute(self, snapshot: Snapshot) -> None:
        self.post_message(self.ItemsReady(snapshot, triage_items(snapshot)))

    @on(ItemsReady)
    def _ready(self, message: ItemsReady) -> None:
        self.items = {i.bundle_id: i for i in message.items}
        days = message.snapshot.fleet.thresholds.warning_days
        summary = (
            f"{len(message.items)} apps break within {days} days. u assign suggested · r re-sign · Enter open"
        )
        self.query_one("#triage-summary", Static).update(summary)
        table: RecordTable[TriageItem] = self.query_one("#triage", RecordTable)
        table.configure(
            triage_columns(message.snapshot), lambda i: f"{i.name} {i.bundle_id} {' '.join(i.groups)}"
        )
        table.set_records(message.items)
        if self.focused is None:
            table.focus()

    def _current(self) -> TriageItem | None:
        key = self.query_one("#triage", RecordTable).current_key()
        return getattr(self, "items", {}).get(key) if key else None

    @on(RecordTable.Chosen)
    def _chosen(self, message: RecordTable.Chosen) -> None:
        open_app(self.app, message.key)

    def action_use_suggestion(self) -> None:
        """Assign the suggested profile to the groups that still lack it (after a yes)."""
        item = self._current()
        if item is None or item.suggestion is None:
            self.notify("No stored profile passes preflight for this app.", severity="warning")
            return
        uuid = item.suggestion.profile_uuid
        groups = sorted(item.suggestion.missing_groups)
        where = ", ".join(groups) or "its current groups"
        snapshot = self.snapshot
        days = snapshot.fleet.thresholds.warning_days if snapshot else 0
        confirm_and_run(
            self,
            fix_question(item, snapshot.now if snapshot else item.breaks_at, days),
            f"Assigned '{item.suggestion_label}' to {where}",
            lambda store: store.assign("profile", uuid, groups, []),
        )

    def action_resign(self) -> None:
        """Offer "re-sign now" on a certificate break when an identity is configured; else toggle the mark."""
        item = self._current()
        if item is None:
            return
        snapshot = self.snapshot
        identity = snapshot.identity_path if snapshot is not None else None
        if item.reason != "certificate" or identity is None or snapshot is None:
            self._toggle_mark(item)
            return
        bundle, now = item.bundle_id, snapshot.now

        def chosen(choice: ResignChoice | None) -> None:
            if choice is None:
                return
            if not choice.resign:
                self._toggle_mark(item)
                return
            from store.signing.stored import resign_with_configured_identity

            password = choice.password
            run_change(
                self, f"{item.name} re-signed with {identity.name}, verified and stored",
                lambda store: resign_with_configured_identity(store, bundle, password, now),
            )

        self.app.push_screen(ResignNowScreen(item.name, identity), chosen)

    def _toggle_mark(self, item: TriageItem) -> None:
        """Mark (or unmark) the app as needing re-signing."""
        flag = not item.needs_resign
        bundle = item.bundle_id
        summary = f"{item.name} {'marked' if flag else 'no longer marked'} as needing re-signing"
        run_change(self, summary, lambda store: store.set_needs_resign(bundle, flag))
