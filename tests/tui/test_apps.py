"""Apps: add one from a real .ipa through the keyboard, see its detail, delete it after a yes."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.tui.conftest import FIXTURES
from tests.tui.helpers import settle, shown
from tui.app import ProvdeskApp
from tui.screens.add_app import AddAppScreen
from tui.widgets.record_table import RecordTable

IPA = FIXTURES / "real" / "apps" / "app_info__embedded.ipa"


async def test_add_open_and_delete_an_app(real_app: ProvdeskApp) -> None:
    """A real enterprise .ipa becomes an app; Enter shows its signing certificate; x then y removes it."""
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await real_app.push_screen(AddAppScreen(start=IPA.parent))
        await settle(pilot)
        real_app.screen.query_one("#path", Input).value = str(IPA)
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = real_app.screen.query_one("#apps", RecordTable)
        assert table.row_count == 1
        bundle = table.current_key()
        assert bundle == "com.icyleaf.test.Demo"
        await pilot.press("enter")
        await settle(pilot)
        assert "App · " in shown(real_app.screen.query_one("#detail-title", Static))
        await pilot.press("x", "y")
        await settle(pilot)
        assert real_app.store.fleet().apps == ()
