"""SVG snapshots of every screen at 80x24: frozen clock, reproducible demo store, fixed actor.

Regenerate with ``pytest tests/tui/test_snapshots.py --snapshot-update`` after a deliberate
change, and look at the report before committing the new baselines.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from store.db import Store
from tests.tui.conftest import ENTERPRISE, PROFILES, TAMPERED
from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.screens.assign import AssignScreen
from tui.screens.create_profile import CreateProfileScreen

SIZE = (80, 24)


def relative(path: Path) -> Path:
    """``profiles/<file>``: what the Create pane shows must not depend on where the repo is."""
    return Path("profiles") / path.name
Before = Callable[[Pilot[Any]], Awaitable[None]]


def keys(*pressed: str) -> Before:
    """Settle, press the keys, settle again."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if pressed:
            await pilot.press(*pressed)
        await settle(pilot)

    return run


def test_overview(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """The timeline: groups by urgency, countdowns, bars, reasons."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys())


def test_overview_empty_store(snap_compare: Any, empty_app: ProvdeskApp) -> None:
    """An empty store says so and offers d for the demo."""
    assert snap_compare(empty_app, terminal_size=SIZE, run_before=keys())


def test_profiles(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """The profile table."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("2"))


def test_profiles_filtered(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """The filter bar open with text typed."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("2", "slash", *"wild"))


def test_profile_detail(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """Every fact of one profile."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("2", "enter"))


def test_apps(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """The app table."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("3"))


def test_app_detail(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """One app: signing certificate, breaks per group."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("3", "enter"))


def test_groups(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """The group table with status words."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("4"))


def test_group_detail(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """One group: its apps and the assignments naming it."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("4", "j", "j", "enter"))


def test_triage(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """Apps breaking within the warning window, with the action at hand."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("5"))


def test_audit(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """The audit log."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("6"))


def test_help(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """The key list."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("question_mark"))


async def open_sales_assign(pilot: Pilot[Any], app: ProvdeskApp) -> str:
    """Open the Assign pane on the profile that keeps Sales alive; returns its UUID."""
    await settle(pilot)
    snapshot = app.snapshot
    assert snapshot is not None
    sales = snapshot.timeline.group("Sales")
    assert sales is not None and sales.profile is not None
    await app.push_screen(AssignScreen("profile", sales.profile))
    await settle(pilot)
    return sales.profile


def test_assign(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """Include/exclude lists and the effect, with Sales excluded from the Sales profile."""

    async def run(pilot: Pilot[Any]) -> None:
        await open_sales_assign(pilot, demo_app)
        demo_app.screen.query_one("#exclude").select("Sales")  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)


def test_create_ready(snap_compare: Any, real_app: ProvdeskApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Create pane previewing a real Apple-signed enterprise profile."""
    monkeypatch.chdir(PROFILES.parent)  # relative paths: the same picture wherever the repo lives

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await real_app.push_screen(CreateProfileScreen(start=Path("profiles"), path=relative(ENTERPRISE)))
        await settle(pilot)

    assert snap_compare(real_app, terminal_size=SIZE, run_before=run)


def test_create_refused(snap_compare: Any, real_app: ProvdeskApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Create pane refusing a file whose signature does not match."""
    monkeypatch.chdir(PROFILES.parent)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await real_app.push_screen(CreateProfileScreen(start=Path("profiles"), path=relative(TAMPERED)))
        await settle(pilot)

    assert snap_compare(real_app, terminal_size=SIZE, run_before=run)


def test_overview_legend(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """``l`` on the overview: what the bar's marks mean."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("l"))


def test_problems(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """``p``: the problems no countdown shows."""
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys("p"))


def test_conflict(snap_compare: Any, demo_app: ProvdeskApp) -> None:
    """The Assign pane's save refused: the assignment changed underneath it."""

    async def run(pilot: Pilot[Any]) -> None:
        uuid = await open_sales_assign(pilot, demo_app)
        other = Store.open(demo_app.store.root, demo_app.clock)
        other.assign("profile", uuid, ["Finance"], [])
        demo_app.screen.query_one("#exclude").select("Executives")  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)
