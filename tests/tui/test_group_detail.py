"""The overview opens a group; the group detail lists its apps and acts on them; the bar has a legend."""

from __future__ import annotations

from textual.widgets import Input, Static

from store.db import Store
from tests.tui.conftest import FIXTURES
from tests.tui.helpers import settle, shown, table_column
from tui.app import ProvdeskApp
from tui.screens.add_app import AddAppScreen
from tui.screens.assign import AssignScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.group_detail import GroupDetailScreen
from tui.screens.group_form import GroupFormScreen
from tui.screens.help import HelpScreen
from tui.widgets.record_table import RecordTable
from tui.widgets.timeline import TimelineView

IPA = FIXTURES / "real" / "apps" / "app_info__embedded.ipa"


async def test_enter_on_the_overview_opens_the_group_with_all_its_apps(demo_app: ProvdeskApp) -> None:
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = demo_app.screen.query_one(TimelineView).groups[0]
        await pilot.press("enter")
        await settle(pilot)
        screen = demo_app.screen
        assert isinstance(screen, GroupDetailScreen) and screen.name_ == first.group
        table = screen.query_one("#group-apps", RecordTable)
        assert table.row_count == len(first.items)
        dates = table_column(table, 1)
        assert dates == sorted(dates)  # most urgent first
        assert "At risk" in shown(screen.query_one("#group-facts", Static))
        bundle = table.current_key()
        await pilot.press("r")
        await settle(pilot)
        assert demo_app.store.resolve_app(bundle).needs_resign
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(demo_app.screen, AssignScreen) and demo_app.screen.target == bundle
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert demo_app.current_mode == "triage"


async def test_a_group_is_edited_from_its_detail_and_the_screen_follows_the_rename(
    demo_app: ProvdeskApp,
) -> None:
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await demo_app.push_screen(GroupDetailScreen("All users"))
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(demo_app.screen, GroupDetailScreen)  # built in: no edit
        await pilot.press("escape")
        await demo_app.push_screen(GroupDetailScreen("Sales"))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(demo_app.screen, GroupFormScreen)
        demo_app.screen.query_one("#name", Input).value = "Field Sales"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = demo_app.screen
        assert isinstance(screen, GroupDetailScreen) and screen.name_ == "Field Sales"
        assert "Field Sales" in shown(screen.query_one("#detail-title", Static))


async def test_group_rows_count_apps_at_risk_and_the_legend_is_one_key_away(demo_app: ProvdeskApp) -> None:
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        timeline = demo_app.screen.query_one(TimelineView)
        reasons = [timeline.render_line(2 + 2 * row).text for row in range(timeline.row_count)]
        counted = [line for line in reasons if " at risk · " in line]
        assert counted, "the demo has a group with several apps at risk"
        legend = demo_app.screen.query_one("#legend", Static)
        assert not legend.display
        await pilot.press("l")
        assert legend.display and "P a profile expires" in shown(legend)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(demo_app.screen, HelpScreen)
        assert "◆ both in one cell" in shown(demo_app.screen.query_one("#help-text", Static))


async def test_adding_a_stored_bundle_asks_to_replace_it(real_app: ProvdeskApp) -> None:
    store: Store = real_app.store
    first = store.add_app_from_ipa(IPA.name, IPA.read_bytes())
    store.assign("app", first.bundle_id, ["All users"], [])
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await real_app.push_screen(AddAppScreen(start=IPA.parent))
        await settle(pilot)
        await pilot.press(*str(IPA), "enter")
        await settle(pilot)
        preview = shown(real_app.screen.query_one("#add-result", Static))
        assert "IS STORED AS 'Demo': ctrl+s asks to replace" in preview and "Bundle ID" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(real_app.screen, ConfirmScreen) and "Replace its build" in real_app.screen.question
        await pilot.press("y")
        await settle(pilot)
        app = store.resolve_app(first.bundle_id)
        assert app.revision == first.revision + 1
        assert store.fleet().assignment_for("app", app.bundle_id).include == {"All users"}
        assert not isinstance(real_app.screen, AddAppScreen)


async def test_a_bad_file_keeps_the_add_pane_open_with_the_reason(real_app: ProvdeskApp) -> None:
    bad = FIXTURES / "real" / "expected.json"
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await real_app.push_screen(AddAppScreen(start=IPA.parent))
        await settle(pilot)
        await pilot.press(*str(bad), "enter")
        await settle(pilot)
        assert "CANNOT READ THIS FILE" in shown(real_app.screen.query_one("#add-result", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(real_app.screen, AddAppScreen)
        assert "NOT ADDED" in shown(real_app.screen.query_one("#add-result", Static))
