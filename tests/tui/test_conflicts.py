"""Console forms never overwrite a change made underneath them (issue 10, bug 1).

Before revisions, the Assign pane saved its ticks as the whole truth and another process's
Sales vanished with no warning: ``test_assign_shows_the_conflict_and_keeps_sales`` failed then.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from store.clock import fixed_clock
from store.db import Store
from tests.tui.conftest import DEMO_NOW, moment
from tests.tui.helpers import settle, shown
from tests.tui.test_flows import highlight
from tui.app import ProvdeskApp
from tui.screens.assign import AssignScreen, GroupChoice
from tui.screens.conflict import ConflictScreen
from tui.screens.edit_profile import EditProfileScreen
from tui.screens.group_form import GroupFormScreen


def other_process(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The same store opened by another admin (its own Store, its own actor)."""
    monkeypatch.setenv("SUDO_USER", "bob")
    return Store.open(store.root, fixed_clock(moment(DEMO_NOW)))


def unassigned_profile(app: ProvdeskApp) -> str:
    """A demo profile whose assignment names neither Sales nor Engineering."""
    snapshot = app.snapshot
    assert snapshot is not None
    for profile in snapshot.fleet.profiles:
        assignment = snapshot.assignment("profile", profile.uuid)
        if not {"Sales", "Engineering"} & (assignment.include | assignment.exclude):
            return profile.uuid
    raise AssertionError("no such demo profile")


@pytest.mark.parametrize("answer", ["r", "d"])
async def test_assign_shows_the_conflict_and_keeps_sales(
    demo_app: ProvdeskApp, demo_store: Store, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """Assign open, Sales added from elsewhere, Engineering ticked, ctrl+s: who/when shown, Sales kept."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        uuid = unassigned_profile(demo_app)
        before = demo_store.fleet().assignment_for("profile", uuid)
        await demo_app.push_screen(AssignScreen("profile", uuid))
        await settle(pilot)
        other_process(demo_store, monkeypatch).assign("profile", uuid, ["Sales"], [])
        await highlight(pilot, demo_app.screen.query_one("#include", GroupChoice), "Engineering")
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(demo_app.screen, ConflictScreen)
        text = shown(demo_app.screen.query_one("#conflict-text", Static))
        assert "changed by bob" in text and "2026-11-29" in text
        assert "Now: include " in text and "Sales" in text
        assert demo_store.fleet().assignment_for("profile", uuid).include == before.include | {"Sales"}
        await pilot.press(answer)
        await settle(pilot)
        include = demo_store.fleet().assignment_for("profile", uuid).include
        extra = {"Sales", "Engineering"} if answer == "r" else {"Sales"}
        assert include == before.include | extra
        assert not isinstance(demo_app.screen, ConflictScreen)


async def test_profile_edit_reapplies_only_the_edited_field(
    demo_app: ProvdeskApp, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another admin renamed the profile; this one changed the description: both survive."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        uuid = unassigned_profile(demo_app)
        await demo_app.push_screen(EditProfileScreen(uuid))
        await settle(pilot)
        other_process(demo_store, monkeypatch).update_profile(uuid, display_name="Theirs")
        demo_app.screen.query_one("#description", Input).value = "mine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(demo_app.screen, ConflictScreen)
        assert demo_store.resolve_profile(uuid).label == "Theirs"
        await pilot.press("r")
        await settle(pilot)
        profile = demo_store.resolve_profile(uuid)
        assert (profile.label, profile.description) == ("Theirs", "mine")


async def test_group_edit_conflict_is_shown(
    demo_app: ProvdeskApp, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group's description changed elsewhere; this form's rename waits for the admin's word."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        group = demo_store.resolve_group("Sales")
        await demo_app.push_screen(GroupFormScreen(group))
        await settle(pilot)
        other_process(demo_store, monkeypatch).update_group("Sales", description="theirs")
        demo_app.screen.query_one("#name", Input).value = "Field Sales"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(demo_app.screen, ConflictScreen)
        assert demo_store.resolve_group("Sales").description == "theirs"
        await pilot.press("r")
        await settle(pilot)
        renamed = demo_store.resolve_group("Field Sales")
        assert renamed.description == "theirs"
