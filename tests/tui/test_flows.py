"""Assign with an exclusion, filter as you type, a triage action, literal names."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.tui.helpers import settle, shown, table_column
from tui.app import ProvdeskApp
from tui.screens.assign import AssignScreen, GroupChoice
from tui.widgets.record_table import RecordTable
from tui.widgets.timeline import TimelineView


async def highlight(pilot: Pilot[Any], choice: GroupChoice, value: str) -> None:
    """Move down a group list with j until ``value`` is highlighted."""
    choice.focus()
    await pilot.press("home")
    for _ in range(choice.option_count):
        if choice.highlighted is not None and choice.get_option_at_index(choice.highlighted).value == value:
            return
        await pilot.press("j")
    raise AssertionError(f"{value} not in the list")


async def test_assign_with_an_exclusion_changes_the_timeline(demo_app: ProvdeskApp) -> None:
    """Excluding Sales from the profile that keeps Sales alive: the effect says so, the row changes."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        snapshot = demo_app.snapshot
        assert snapshot is not None
        sales = snapshot.timeline.group("Sales")
        assert sales is not None and sales.profile is not None
        before = sales.breaks_at
        await demo_app.push_screen(AssignScreen("profile", sales.profile))
        await settle(pilot)
        exclude = demo_app.screen.query_one("#exclude", GroupChoice)
        await highlight(pilot, exclude, "Sales")
        await pilot.press("space")
        await settle(pilot)
        effect = shown(demo_app.screen.query_one("#effect", Static))
        assert "Sales · " in effect
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = demo_app.snapshot.timeline.group("Sales")  # type: ignore[union-attr]
        assert after is not None and after.breaks_at != before
        assert "Sales" in demo_app.store.fleet().assignment_for("profile", sales.profile).exclude
        row = next(g for g in demo_app.screen.query_one(TimelineView).groups if g.group == "Sales")
        assert row.breaks_at == after.breaks_at


async def test_filter_as_you_type(demo_app: ProvdeskApp) -> None:
    """``/`` then letters narrow the profile table to matching rows; Escape clears it."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = demo_app.screen.query_one("#profiles", RecordTable)
        total = table.row_count
        await pilot.press("slash", *"kiosk")
        rows = [" ".join(cell.plain for cell in table.get_row_at(i)) for i in range(table.row_count)]
        assert 0 < len(rows) < total
        assert all("kiosk" in row.lower() for row in rows)
        await pilot.press("escape")
        assert table.row_count == total
        assert demo_app.focused is table


async def test_triage_marks_an_app_for_resigning(demo_app: ProvdeskApp) -> None:
    """``r`` on the most urgent app sets its needs-re-signing flag in the store."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        table = demo_app.screen.query_one("#triage", RecordTable)
        assert table.row_count > 0
        bundle = table.current_key()
        assert bundle is not None
        assert not demo_app.store.resolve_app(bundle).needs_resign
        await pilot.press("r")
        await settle(pilot)
        assert demo_app.store.resolve_app(bundle).needs_resign


async def test_triage_assigns_a_suggested_profile(demo_app: ProvdeskApp) -> None:
    """``u`` then ``y`` assigns the suggestion to the groups that lacked it."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen: Any = demo_app.screen
        table = screen.query_one("#triage", RecordTable)
        with_fix = [key for key, item in screen.items.items() if item.suggestion is not None]
        assert with_fix, "the demo data has an app a stored profile can rescue"
        table.move_cursor(row=table.get_row_index(with_fix[0]))
        item = screen.items[with_fix[0]]
        await pilot.press("u")
        question = demo_app.screen.question  # type: ignore[attr-defined]
        assert " → " in question and ", then " in question, "the question says what the fix buys"
        # Its lines are lines on screen: the box once read "…for Warehouse Scan?␊Warehouse Scanners: …".
        await settle(pilot)
        box = demo_app.screen.query_one("#confirm-question", Static)
        rendered = [box.render_line(y).text.strip() for y in range(box.size.height)]
        assert not any("␊" in line for line in rendered)
        assert any(line.startswith("Chosen over") or line.startswith("The only") for line in rendered)
        assert "passing profile" in question or "only stored profile" in question
        await pilot.press("y")
        await settle(pilot)
        include = demo_app.store.fleet().assignment_for("profile", item.suggestion.profile_uuid).include
        assert set(item.suggestion.missing_groups) <= include


async def test_markup_and_escapes_in_a_name_are_shown_literally(demo_app: ProvdeskApp) -> None:
    """A display name with Rich markup and an ESC shows those characters, with ESC as ␛."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        snapshot = demo_app.snapshot
        assert snapshot is not None
        uuid = snapshot.fleet.profiles[0].uuid
        demo_app.store.update_profile(uuid, display_name="[bold red]x[/]\x1b[2J")
        demo_app.reload()
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = demo_app.screen.query_one("#profiles", RecordTable)
        assert "[bold red]x[/]␛[2J" in table_column(table, 0)
        table.move_cursor(row=table.get_row_index(uuid))
        await pilot.press("enter")
        await settle(pilot)
        title = shown(demo_app.screen.query_one("#detail-title", Static))
        assert title == "Profile · [bold red]x[/]␛[2J"
        svg = demo_app.export_screenshot()
        assert "x[/]␛[2J" in svg


async def test_typing_in_a_field_never_triggers_keys(demo_app: ProvdeskApp) -> None:
    """Letters and digits typed into the filter stay there: q does not quit, 3 does not switch."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", "q", "3", "d")
        await settle(pilot)
        assert demo_app.current_mode == "profiles"
        assert demo_app.is_running
        assert demo_app.screen.query_one("#filter").value == "q3d"  # type: ignore[attr-defined]


async def test_add_and_delete_a_group_with_confirmation(demo_app: ProvdeskApp) -> None:
    """n opens the form, ctrl+s adds; x asks first, n keeps it, x then y deletes it."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4", "n", *"Night shift", "ctrl+s")
        await settle(pilot)
        assert demo_app.store.resolve_group("Night shift").kind == "user"
        table = demo_app.screen.query_one("#groups", RecordTable)
        table.move_cursor(row=table.get_row_index("Night shift"))
        await pilot.press("x")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await settle(pilot)
        assert demo_app.store.resolve_group("Night shift")
        await pilot.press("x", "y")
        await settle(pilot)
        assert "Night shift" not in {g.name for g in demo_app.store.fleet().groups}


async def test_a_refused_new_group_keeps_its_form_open(demo_app: ProvdeskApp) -> None:
    """A name already taken closed the form with only a toast, losing what was typed;
    the form stays open, with its fields, until the store takes the group."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4", "n", *"Sales", "tab", "tab", *"night crew", "ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "GroupFormScreen"
        assert demo_app.screen.edited()["description"] == "night crew"  # type: ignore[attr-defined]
        await pilot.press("shift+tab", "shift+tab", "end", *" night", "ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "GroupsScreen"
        assert demo_app.store.resolve_group("Sales night").description == "night crew"


async def test_assign_warns_about_an_exclusion_of_the_other_kind(demo_app: ProvdeskApp) -> None:
    """Excluding a device group under All users excludes nobody, and the pane says so before saving."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        snapshot = demo_app.snapshot
        assert snapshot is not None
        uuid = snapshot.fleet.profiles[0].uuid
        await demo_app.push_screen(AssignScreen("profile", uuid))
        await settle(pilot)
        include = demo_app.screen.query_one("#include", GroupChoice)
        await highlight(pilot, include, "All users")
        if "All users" not in include.selected:
            await pilot.press("space")
        for other in [name for name in include.selected if name != "All users"]:
            await highlight(pilot, include, other)
            await pilot.press("space")
        exclude = demo_app.screen.query_one("#exclude", GroupChoice)
        await highlight(pilot, exclude, "Kiosk iPads")
        await pilot.press("space")
        await settle(pilot)
        effect = shown(demo_app.screen.query_one("#effect", Static))
        assert "'Kiosk iPads' is a device group" in effect
        assert "excludes nobody" in effect


async def test_sort_cycles_through_columns(demo_app: ProvdeskApp) -> None:
    """s sorts the profile table by the next column: Expires in, soonest first."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = demo_app.screen.query_one("#profiles", RecordTable)
        names = [p.label for p in table.shown_records()]
        assert names == sorted(names, key=str.casefold)
        await pilot.press("s")
        expires = [p.expires for p in table.shown_records()]
        assert expires == sorted(expires)
        assert demo_app.snapshot is not None
        assert table.current_key() in demo_app.snapshot.profiles



async def test_an_expired_profile_says_expired_not_expires_in(demo_app: ProvdeskApp) -> None:
    """The detail's first line reads "Expired  3 days ago", never "Expires in  3 days ago"."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        snapshot = demo_app.snapshot
        assert snapshot is not None
        for expired in (True, False):
            profile = next(p for p in snapshot.fleet.profiles if (p.expires <= snapshot.now) is expired)
            await pilot.press("2")
            await settle(pilot)
            table = demo_app.screen.query_one("#profiles", RecordTable)
            table.move_cursor(row=table.get_row_index(profile.uuid))
            await pilot.press("enter")
            await settle(pilot)
            labels = [shown(s) for s in demo_app.screen.query("Static.label").results(Static)]
            assert labels[0].strip() == ("Expired" if expired else "Expires in")
            await pilot.press("escape")
            await settle(pilot)
