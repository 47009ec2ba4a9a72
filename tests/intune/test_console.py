"""The console's Intune parts against the loopback tenant: header, palette pull, push with the diff."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from bench.loopback_tenant import include
from store.clock import fixed_clock
from store.db import Store
from store.intune.graph import GraphClient
from store.intune.mapping import target_key
from store.intune.sync import pull
from tests.intune.conftest import FIELD_UUID, NOW, TOKEN, World
from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.screens.confirm import ConfirmScreen
from tui.widgets.navbar import NavBar


def _app(store: Store, minutes: int = 0) -> ProvdeskApp:
    return ProvdeskApp(store, fixed_clock(NOW + timedelta(minutes=minutes)), mouse=False)


def _pulled(store: Store, world: World) -> None:
    with GraphClient(TOKEN, world.url) as client:
        pull(store, client)


def _detail_text(app: ProvdeskApp) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_header_says_when_intune_was_pulled(store: Store, world: World) -> None:
    store.set_intune_settings("contoso-test", "client", None)
    _pulled(store, world)
    app = _app(store, minutes=12)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Intune: pulled 12 min ago" in str(app.screen.query_one(NavBar).render())
    async with _app(store, minutes=12).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert str(pilot.app.screen.query_one(NavBar).render()).rstrip().endswith("Intune 12m")


async def test_no_tenant_no_intune_in_the_header(store: Store) -> None:
    async with _app(store).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Intune" not in str(pilot.app.screen.query_one(NavBar).render())


async def test_palette_pull_then_the_source_and_out_of_step_shown(store: Store, world: World) -> None:
    app = _app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_intune_pull()
        await settle(pilot)
        assert any(p.uuid == FIELD_UUID for p in store.fleet().profiles)
        from tui.screens.profile_detail import ProfileDetailScreen

        store.assign("profile", FIELD_UUID, ["Warehouse devices"], [])
        app.reload()
        await settle(pilot)
        app.push_screen(ProfileDetailScreen(FIELD_UUID))
        await settle(pilot)
        text = _detail_text(app)
        assert f"Source        Intune · {world.field}" in text
        assert "out of step with Intune" in text


async def test_push_from_the_console_confirms_the_diff_first(store: Store, world: World) -> None:
    _pulled(store, world)
    store.assign("profile", FIELD_UUID, [], [], clear=True)
    store.assign("profile", FIELD_UUID, ["Sales"], [])
    app = _app(store)
    from tui.screens.profile_detail import ProfileDetailScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ProfileDetailScreen(FIELD_UUID))
        await settle(pilot)
        app.action_intune_push()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert "- include Kiosk iPads" in question and "takes 2 assignment(s) away" in question
        await pilot.press("n")
        await settle(pilot)
        assert len(world.tenant.targets(world.field)) == 3  # said no: nothing sent
        app.action_intune_push()
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert world.tenant.targets(world.field) == [include(world.sales)]


async def test_assign_pane_offers_the_push_after_saving(store: Store, world: World) -> None:
    _pulled(store, world)
    app = _app(store)
    from tui.screens.assign import AssignScreen, GroupChoice

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(AssignScreen("profile", FIELD_UUID))
        await settle(pilot)
        app.screen.query_one("#include", GroupChoice).select("Warehouse devices")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "+ include Warehouse devices" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
    held = {target_key(t) for t in world.tenant.targets(world.field)}
    assert ("groupAssignmentTarget", world.warehouse) in held


async def test_pulled_apps_and_groups_show_their_source(store: Store, world: World) -> None:
    _pulled(store, world)
    app = _app(store)
    from tui.screens.app_detail import AppDetailScreen
    from tui.screens.group_detail import GroupDetailScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(GroupDetailScreen("Kiosk iPads"))
        await settle(pilot)
        assert f"Source        Intune · {world.kiosks}" in _detail_text(app)
        app.push_screen(AppDetailScreen("com.example.field"))
        await settle(pilot)
        text = _detail_text(app)
        assert "Source        Intune · app-field" in text and "Intune expiry" in text
