"""Create profile: a real Apple-signed file imports with its name; a tampered one is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from tests.tui.conftest import ENTERPRISE, PROFILES, TAMPERED
from tests.tui.helpers import settle, shown
from tui.app import ProvdeskApp
from tui.screens.create_profile import CreateProfileScreen


async def test_create_from_a_real_enterprise_profile(real_app: ProvdeskApp) -> None:
    """Preview says it will import; Name and Description typed; ctrl+s stores it under that name."""
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await real_app.push_screen(CreateProfileScreen(start=PROFILES, path=ENTERPRISE))
        await settle(pilot)
        preview = shown(real_app.screen.query_one("#preview", Static))
        assert "READY TO IMPORT" in preview
        assert "com.icyleaf.test.Demo" in preview
        await pilot.press(*"Demo app")
        real_app.screen.query_one("#description", Input).focus()
        await pilot.press(*"for testers")
        await pilot.press("ctrl+s")
        await settle(pilot)
        profile = real_app.store.resolve_profile("1f67e425-350e-434c-9077-9e0791347bbf")
        assert profile.display_name == "Demo app"
        assert profile.description == "for testers"
        assert not isinstance(real_app.screen, CreateProfileScreen)
        assert real_app.snapshot is not None and len(real_app.snapshot.fleet.profiles) == 1


async def test_tampered_file_is_refused_with_its_message(real_app: ProvdeskApp) -> None:
    """An invalid signature is shown as a problem in words, and saving imports nothing."""
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await real_app.push_screen(CreateProfileScreen(start=PROFILES, path=TAMPERED))
        await settle(pilot)
        preview = shown(real_app.screen.query_one("#preview", Static))
        assert "WILL NOT IMPORT" in preview
        assert "signature-mismatch" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(real_app.screen, CreateProfileScreen)
        assert real_app.store.is_empty()
        assert any("signature-mismatch" in n.title for n in real_app._notifications)


async def test_file_browser_shows_only_profiles(real_app: ProvdeskApp) -> None:
    """The browser lists .mobileprovision files; picking one with Enter previews it."""
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await real_app.push_screen(CreateProfileScreen(start=PROFILES.parent))
        await settle(pilot)
        await pilot.press("ctrl+o")
        tree = real_app.screen.query_one("#files")
        labels = [str(node.label) for node in tree.root.children]  # type: ignore[attr-defined]
        assert "profiles" in labels and "expected.json" not in labels


async def test_file_names_in_the_browser_are_literal(real_app: ProvdeskApp, tmp_path: Path) -> None:
    """A file called ``[red]x\\x1b.mobileprovision`` is listed with its brackets and a visible ␛."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "[red]x\x1b.mobileprovision").write_bytes(b"not a profile")
    async with real_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await real_app.push_screen(CreateProfileScreen(start=folder))
        await settle(pilot)
        tree: Any = real_app.screen.query_one("#files")
        labels = [str(node.label) for node in tree.root.children]
        assert labels == ["[red]x␛.mobileprovision"]
        await pilot.press("ctrl+o", "down", "enter")
        await settle(pilot)
        preview = shown(real_app.screen.query_one("#preview", Static))
        assert "(not-a-profile)" in preview
        assert "File  [red]x␛.mobileprovision" in preview


async def test_the_preview_says_what_a_non_inhouse_profile_is(real_app: ProvdeskApp) -> None:
    """Ad hoc, development, macOS and expired profiles are not "ready to import" (issue 10)."""
    cases = {
        "app_info__ios_development.mobileprovision": ["development profile"],
        "app_info__macos_development.provisionprofile.mobileprovision": ["OSX profile, not iOS"],
        "app_info__ios_adhoc.mobileprovision": ["ad hoc profile", "already expired on 2020-10-24"],
    }
    async with real_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for name, words in cases.items():
            await real_app.push_screen(CreateProfileScreen(start=PROFILES, path=PROFILES / name))
            await settle(pilot)
            preview = shown(real_app.screen.query_one("#preview", Static))
            assert "READY TO IMPORT" not in preview and "KEEPS NO IN-HOUSE APP ALIVE" in preview
            assert all(word in preview for word in words), (name, preview)
            real_app.pop_screen()
            await settle(pilot)
