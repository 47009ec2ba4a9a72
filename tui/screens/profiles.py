"""Profiles: every profile in the store, sortable, filtered as you type, Enter for the detail."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from store.model import Profile
from tui.screens.base import FilteredListScreen
from tui.screens.navigation import open_profile
from tui.snapshot import Snapshot
from tui.text import literal
from tui.timefmt import table_until as until
from tui.widgets.filter_bar import FilterBar
from tui.widgets.record_table import Column, RecordTable

TRUST_WORDS = {
    "apple": "Apple",
    "anchor": "anchor",
    "untrusted": "UNTRUSTED",
    "incomplete": "incomplete",
    "none": "—",
}


def trust_word(profile: Profile) -> str:
    """Trust in one word; an invalid or absent signature overrides it."""
    if profile.signature != "valid":
        return "BAD SIG" if profile.signature == "invalid" else "unsigned"
    return TRUST_WORDS.get(profile.trust, profile.trust)


def profile_columns(snapshot: Snapshot) -> list[Column[Profile]]:
    """Name, expires-in, type, trust, groups, app ID, team: the essentials first for 80 columns."""
    now = snapshot.now

    def expires(profile: Profile) -> Text:
        style = "bold red" if profile.expires <= now else ""
        return literal(until(profile.expires, now), style=style)

    return [
        Column("Name", 24, lambda p: literal(p.label), lambda p: p.label.casefold()),
        Column("Expires in", 12, expires, lambda p: p.expires),
        Column("Type", 10, lambda p: literal(p.type), lambda p: p.type),
        Column("Trust", 8, lambda p: literal(trust_word(p)), trust_word),
        Column("Groups", 20, lambda p: literal(snapshot.groups_text("profile", p.uuid)), None),
        Column("App ID", 28, lambda p: literal(p.app_id), lambda p: p.app_id),
        Column("Team", 24, lambda p: literal(f"{p.team_name} ({p.team_id})"), lambda p: p.team_name),
    ]


def search_text(snapshot: Snapshot) -> Callable[[Profile], str]:
    """What the filter matches: names, app ID, team, UUID, type, groups."""

    def text(p: Profile) -> str:
        groups = snapshot.groups_text("profile", p.uuid)
        return " ".join((p.label, p.name, p.app_id, p.team_name, p.team_id, p.uuid, p.type, groups))

    return text


class ProfilesScreen(FilteredListScreen):
    """The profile table with its filter bar."""

    SECTION = "profiles"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "create", "New"),
        Binding("a", "assign", "Assign"),
    ]

    def compose_body(self) -> ComposeResult:
        """Filter bar above the table; the table is rebuilt per snapshot."""
        yield FilterBar(placeholder="filter profiles: name, app ID, team, group…", id="filter")
        yield RecordTable[Profile]([], lambda p: p.uuid, lambda p: p.label, id="profiles")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Columns depend on ``now`` and the assignments, so they are rebound per snapshot."""
        table: RecordTable[Profile] = self.query_one("#profiles", RecordTable)
        table.configure(profile_columns(snapshot), search_text(snapshot))
        table.set_records(sorted(snapshot.fleet.profiles, key=lambda p: p.label.casefold()))
        if self.focused is None:
            table.focus()

    @on(RecordTable.Chosen)
    def _chosen(self, message: RecordTable.Chosen) -> None:
        open_profile(self.app, message.key)

    def action_create(self) -> None:
        """The Create profile pane."""
        from tui.screens.create_profile import CreateProfileScreen

        self.app.push_screen(CreateProfileScreen())

    def action_assign(self) -> None:
        """Assign the highlighted profile to groups."""
        key = self.query_one("#profiles", RecordTable).current_key()
        if key is not None:
            from tui.screens.assign import AssignScreen

            self.app.push_screen(AssignScreen("profile", key))
