"""Keys never fire by accident while an admin is typing (issue 10, bug 3).

Each of these failed before the fix: ``3 n q`` quit to the shell (the file tree had focus),
``x Enter`` deleted (Enter meant yes), Escape dropped an edited form without a word, and
Edit opened with the name selected so a stray letter replaced it.
"""

from __future__ import annotations

from textual.widgets import Input

from store.db import Store
from tests.tui.conftest import FIXTURES
from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.screens.add_app import AddAppScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.edit_profile import EditProfileScreen
from tui.screens.profile_detail import ProfileDetailScreen

IPA = FIXTURES / "real" / "apps" / "app_info__embedded.ipa"


async def test_3_n_q_types_into_the_path_field(real_app: ProvdeskApp) -> None:
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "n", "q")
        await settle(pilot)
        assert isinstance(real_app.screen, AddAppScreen) and real_app.is_running
        assert real_app.screen.query_one("#path", Input).value == "q"
        await pilot.press("ctrl+o", "q", "2")  # in the file tree now: still no quit, no section switch
        await settle(pilot)
        assert isinstance(real_app.screen, AddAppScreen) and real_app.is_running


async def test_x_enter_does_not_delete_and_y_does(real_app: ProvdeskApp) -> None:
    store: Store = real_app.store
    store.add_app_from_ipa(IPA.name, IPA.read_bytes())
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("x", "enter")
        await settle(pilot)
        assert len(store.fleet().apps) == 1
        await pilot.press("x", "y")
        await settle(pilot)
        assert store.fleet().apps == ()


async def test_q_does_not_quit_from_a_detail_screen(demo_app: ProvdeskApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        uuid = demo_app.store.fleet().profiles[0].uuid
        await demo_app.push_screen(ProfileDetailScreen(uuid))
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert demo_app.is_running and isinstance(demo_app.screen, ProfileDetailScreen)


async def test_edit_keeps_the_name_and_escape_asks_before_discarding(demo_app: ProvdeskApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        profile = demo_app.store.fleet().profiles[0]
        await demo_app.push_screen(ProfileDetailScreen(profile.uuid))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(demo_app.screen, EditProfileScreen)
        await pilot.press("z")
        assert demo_app.screen.query_one("#name", Input).value == profile.label + "z"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(demo_app.screen, ConfirmScreen)
        await pilot.press("enter")  # no: back to the form, the edit kept
        await settle(pilot)
        assert isinstance(demo_app.screen, EditProfileScreen)
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(demo_app.screen, ProfileDetailScreen)
        assert demo_app.store.resolve_profile(profile.uuid).label == profile.label
        await pilot.press("e", "escape")  # nothing changed: closes at once
        await settle(pilot)
        assert isinstance(demo_app.screen, ProfileDetailScreen)
