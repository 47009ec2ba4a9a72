"""The cursor (issue 10, bug 4): ``g G j k`` the same in every list, the ▶ always in sight.

"In sight" is checked on what is drawn: the ▶ must be on one of the list's lines that are
really on screen (not under a scrollbar, not scrolled away).
"""

from __future__ import annotations

from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.screens.profile_detail import ProfileDetailScreen
from tui.widgets.cursor_list import CursorList
from tui.widgets.record_table import RecordTable
from tui.widgets.timeline import TimelineView


def cursor_on_screen(view: CursorList) -> bool:
    """The ▶ is drawn on a line inside the visible part of the list."""
    lines = range(view.HEADER_LINES, view.HEADER_LINES + view.visible_lines)
    return any(view.render_line(y).text.startswith("▶") for y in lines)


async def test_g_then_j_twenty_times_keeps_the_cursor_in_sight(demo_app: ProvdeskApp) -> None:
    """Screen 6, ``g``, ``j``×20: the row used to sit under the horizontal scrollbar."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        table = demo_app.screen.query_one(RecordTable)
        assert table.row_count > 21
        await pilot.press("g", *["j"] * 20)
        await settle(pilot)
        assert table.cursor_row == 20
        assert cursor_on_screen(table)


async def test_G_highlights_the_last_row_and_k_enter_opens_the_one_before(demo_app: ProvdeskApp) -> None:
    """Screen 2, ``G k Enter``: the second-to-last profile opens, and every step shows a ▶."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = demo_app.screen.query_one(RecordTable)
        await pilot.press("G")
        await settle(pilot)
        assert table.cursor_row == table.row_count - 1
        assert cursor_on_screen(table)
        await pilot.press("k")
        await settle(pilot)
        assert cursor_on_screen(table)
        wanted = table.shown[-2].uuid
        await pilot.press("enter")
        await settle(pilot)
        screen = demo_app.screen
        assert isinstance(screen, ProfileDetailScreen)
        assert screen.uuid == wanted


async def test_g_and_G_work_on_the_overview(demo_app: ProvdeskApp) -> None:
    """The overview's timeline takes the same keys as the tables."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        timeline = demo_app.screen.query_one(TimelineView)
        await pilot.press("G")
        await settle(pilot)
        assert timeline.cursor_row == timeline.row_count - 1
        assert cursor_on_screen(timeline)
        await pilot.press("k", "g")
        await settle(pilot)
        assert timeline.cursor_row == 0
        await pilot.press("j")
        assert timeline.cursor_row == 1
        assert cursor_on_screen(timeline)


async def test_a_cursor_shows_as_soon_as_the_demo_loads(empty_app: ProvdeskApp) -> None:
    """``d`` on the empty store: the first group is highlighted without another key."""
    async with empty_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        timeline = empty_app.screen.query_one(TimelineView)
        assert timeline.row_count > 0
        assert timeline.render_line(1).text.startswith("▶")
        assert empty_app.focused is timeline


async def test_the_header_shows_the_sort_arrow_and_the_columns_off_screen(demo_app: ProvdeskApp) -> None:
    """``Name ↑`` until ``s`` sorts by the next column; ``+N →`` counts the columns cut off."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = demo_app.screen.query_one(RecordTable)
        header = table.render_line(0).text
        assert "Name ↑" in header
        assert header.rstrip().endswith("+2 →")
        await pilot.press("s")
        await settle(pilot)
        assert "Expires in ↑" in table.render_line(0).text
        await pilot.press("right")
        await settle(pilot)
        assert table.render_line(0).text.startswith("←")
