"""The command palette: human names only, and "delete" / "export" find their actions."""

from __future__ import annotations

from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.providers.actions import ConsoleCommands


async def test_the_palette_reads_as_people_talk(demo_app: ProvdeskApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        provider = ConsoleCommands(demo_app.screen)
        everything = [hit async for hit in provider.discover()]
        words = [f"{hit.display} {hit.help}" for hit in everything]
        assert not any("action:" in w or "section(" in w or "Scroll" in w for w in words), words
        assert "Go to Triage key 5" in words
        deletes = [str(hit.text) async for hit in provider.search("delete")]
        assert deletes and all("Delete" in d for d in deletes)
        exports = [str(hit.text) async for hit in provider.search("export")]
        assert exports == ["Export the store as JSON to your home folder"]
