"""The overview: timeline rows from the demo store, the empty store's one-key demo, Escape."""

from __future__ import annotations

from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.screens.overview import OverviewScreen
from tui.widgets.timeline import TimelineView


async def test_overview_lists_groups_most_urgent_first(demo_app: ProvdeskApp) -> None:
    """One row per group, in the timeline's order, each with a countdown and a status word."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        timeline = demo_app.screen.query_one(TimelineView)
        snapshot = demo_app.snapshot
        assert snapshot is not None
        assert [g.group for g in timeline.groups] == [g.group for g in snapshot.timeline.groups]
        assert timeline.countdowns[0]
        first = timeline.render_line(1).text
        assert any(word in first for word in ("EXPIRED", "CRITICAL"))


async def test_empty_store_offers_the_demo_on_one_key(empty_app: ProvdeskApp) -> None:
    """An empty store says so; d loads the demo data and the timeline appears."""
    async with empty_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = empty_app.screen
        assert isinstance(screen, OverviewScreen)
        assert screen.has_class("-empty")
        await pilot.press("d")
        await settle(pilot)
        assert not screen.has_class("-empty")
        assert screen.query_one(TimelineView).row_count > 0


async def test_sections_by_digit_and_escape_back(demo_app: ProvdeskApp) -> None:
    """Digits switch sections; Escape returns to the overview."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert demo_app.current_mode == "profiles"
        await pilot.press("escape")
        assert demo_app.current_mode == "overview"
        await pilot.press("question_mark")
        assert type(demo_app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        assert isinstance(demo_app.screen, OverviewScreen)


async def test_ansi16_theme_starts(demo_store: object) -> None:
    """The 16-colour theme loads (its stylesheet variables are complete) and shows the timeline."""
    from store.clock import fixed_clock
    from tests.tui.conftest import DEMO_NOW, moment

    app = ProvdeskApp(demo_store, fixed_clock(moment(DEMO_NOW)), mouse=False, theme="ansi16")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "provdesk-ansi16"
        assert app.screen.query_one(TimelineView).row_count > 0


async def test_a_change_by_another_process_shows_after_the_poll(demo_app: ProvdeskApp) -> None:
    """Another Store on the same directory (another admin) adds a group: the poll reloads it."""
    from store.db import Store

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        other = Store.open(demo_app.store.root, demo_app.clock)
        other.add_group("Night shift", "user", "added elsewhere")
        demo_app._poll()  # what the 2-second interval runs
        await settle(pilot)
        assert demo_app.snapshot is not None
        assert "Night shift" in demo_app.snapshot.groups


async def test_command_palette_reaches_a_section(demo_app: ProvdeskApp) -> None:
    """ctrl+p, a few letters, Enter: the palette holds the actions."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"go to triage")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert demo_app.current_mode == "triage"
