"""The Assign preview judged by the resulting status (issue 10, bug 2).

Adding the real ``app_info__iphone.ipa`` (profile expired 2017) and including Engineering
used to read "▲ Engineering · AppInfoDemo: not in group → 2017-04-14 (past)" in green, and
saved without a word; this test failed then.
"""

from __future__ import annotations

from textual.widgets import Static

from store.db import Store
from tests.tui.conftest import FIXTURES
from tests.tui.helpers import settle, shown
from tests.tui.test_flows import highlight
from tui.app import ProvdeskApp
from tui.screens.assign import AssignScreen, GroupChoice
from tui.screens.confirm import ConfirmScreen

IPHONE_IPA = FIXTURES / "real" / "apps" / "app_info__iphone.ipa"
BUNDLE = "com.icyleaf.AppInfoDemo"


async def test_an_expired_app_included_reads_as_a_break_and_asks(
    demo_app: ProvdeskApp, demo_store: Store
) -> None:
    demo_store.add_app_from_ipa(IPHONE_IPA.name, IPHONE_IPA.read_bytes())
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await demo_app.push_screen(AssignScreen("app", BUNDLE))
        await settle(pilot)
        await highlight(pilot, demo_app.screen.query_one("#include", GroupChoice), "Engineering")
        await pilot.press("space")
        await settle(pilot)
        effect = shown(demo_app.screen.query_one("#effect", Static))
        line = next(row for row in effect.splitlines() if "Engineering · AppInfoDemo" in row)
        assert "worse" in line and "✖ EXPIRED" in line and "▲" not in line and "better" not in line
        assert "Engineering becomes EXPIRED" in effect and "cannot launch in Engineering" in effect
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(demo_app.screen, ConfirmScreen)
        assert "Engineering becomes EXPIRED" in demo_app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(demo_app.screen, AssignScreen)
        assert demo_store.fleet().assignment_for("app", BUNDLE).include == frozenset()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert demo_store.fleet().assignment_for("app", BUNDLE).include == {"Engineering"}
        assert not isinstance(demo_app.screen, AssignScreen)
