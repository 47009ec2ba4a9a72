"""The file browser: last folder or home, its folder named, g/G, a typed folder + Enter, Tab completes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.tui.conftest import PROFILES
from tests.tui.helpers import settle, shown
from tui.app import ProvdeskApp
from tui.screens.add_app import AddAppScreen
from tui.screens.create_profile import CreateProfileScreen
from tui.widgets import file_picker
from tui.widgets.file_picker import FilePicker


async def test_the_browser_opens_at_home_then_at_the_last_folder_used(
    real_app: ProvdeskApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_picker, "_last_folder", [])
    monkeypatch.setenv("HOME", str(tmp_path))
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await real_app.push_screen(CreateProfileScreen())
        await settle(pilot)
        assert Path(real_app.screen.query_one(FilePicker).path) == tmp_path
        assert shown(real_app.screen.query_one(".browser-root", Static)) == f"in {tmp_path}"
        adhoc = PROFILES / "app_info__ios_adhoc.mobileprovision"
        real_app.screen.query_one("#path", Input).value = str(adhoc)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await real_app.push_screen(AddAppScreen())
        await settle(pilot)
        assert Path(real_app.screen.query_one(FilePicker).path) == PROFILES


async def test_a_typed_folder_moves_the_browser_tab_completes_and_G_goes_last(
    real_app: ProvdeskApp, tmp_path: Path
) -> None:
    (tmp_path / "downloads").mkdir()
    for name in ("a.ipa", "b.ipa", "c.ipa"):
        (tmp_path / "downloads" / name).write_bytes(b"x")
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await real_app.push_screen(AddAppScreen(start=PROFILES))
        await settle(pilot)
        await pilot.press(*f"{tmp_path}/dow", "tab")
        await settle(pilot)
        field = real_app.screen.query_one("#path", Input)
        assert field.value == f"{tmp_path}/downloads/"
        await pilot.press("enter")
        await settle(pilot)
        picker = real_app.screen.query_one(FilePicker)
        assert Path(picker.path) == tmp_path / "downloads"
        assert shown(real_app.screen.query_one(".browser-root", Static)).endswith("downloads")
        await pilot.press("ctrl+o", "G")
        await settle(pilot)
        assert picker.cursor_line == picker.last_line == 3
        await pilot.press("g")
        assert picker.cursor_line == 0
