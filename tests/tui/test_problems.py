"""Problems in the console: the overview counts them, p lists them, Enter opens the profile."""

from __future__ import annotations

from textual.widgets import Static

from tests.tui.helpers import settle, shown
from tui.app import ProvdeskApp
from tui.screens.problems import ProblemsScreen
from tui.screens.profile_detail import ProfileDetailScreen
from tui.widgets.record_table import RecordTable


async def test_the_overview_counts_problems_and_p_lists_them(demo_app: ProvdeskApp) -> None:
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        banner = demo_app.screen.query_one("#problems-banner", Static)
        assert banner.display and "2 problems" in shown(banner)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(demo_app.screen, ProblemsScreen)
        table = demo_app.screen.query_one(RecordTable)
        rows = [" ".join(c.plain for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert any("excludes nobody" in row for row in rows)
        assert any("fails preflight" in row for row in rows)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(demo_app.screen, ProfileDetailScreen)
