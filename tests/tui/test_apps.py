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


async def test_an_app_whose_profile_was_deleted_names_it_not_its_uuid(demo_app: ProvdeskApp) -> None:
    """Deleting 'Bluefin Badge Access' left Badge Access's breaks reading "profile 'DF849C2E-…'
    expires" while the Embedded line above still named it: the app's own copy has the name."""
    store = demo_app.store
    uuid = next(p.uuid for p in store.fleet().profiles if p.label == "Bluefin Badge Access")
    store.delete_profile(uuid)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = demo_app.screen.query_one(RecordTable)
        table.move_cursor(row=next(r for r in range(table.row_count)
                                   if table.get_row_at(r)[0].plain.startswith("Badge Access")))
        await pilot.press("enter")
        await settle(pilot)
        text = "\n".join(shown(s) for s in demo_app.screen.query(Static))
        assert "Breaks, per group" in text and uuid not in text
        assert "profile 'Bluefin Badge Access' expires" in text
