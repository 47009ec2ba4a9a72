"""The console on a PostgreSQL store: another host's change shows within a second, a server restart
is survived with a notice, and a read-only role gets every screen but no edits."""

from __future__ import annotations

import time
from typing import Any

from textual.pilot import Pilot

from store.clock import fixed_clock
from store.db import Store
from tests.pgserver import PgCluster
from tests.tui.conftest import DEMO_NOW, moment
from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.widgets.navbar import NavBar


async def _until(pilot: Pilot[Any], seconds: float, ready: Any) -> float:
    """Let the console run until ``ready()`` holds; returns how long that took (fails past ``seconds``)."""
    began = time.monotonic()
    while not ready():
        assert time.monotonic() - began < seconds, "the console did not show the change in time"
        await pilot.pause(0.02)
    return time.monotonic() - began


def _groups(app: ProvdeskApp) -> set[str]:
    return {g.name for g in app.snapshot.fleet.groups} if app.snapshot else set()


async def test_a_change_on_another_connection_shows_within_a_second(pg_url: str) -> None:
    clock = fixed_clock(moment(DEMO_NOW))
    app = ProvdeskApp(Store.open(pg_url, clock), clock, mouse=False)
    other_host = Store.open(pg_url, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        other_host.add_group("Night shift", "user")
        await _until(pilot, 1.0, lambda: "Night shift" in _groups(app))


async def test_a_server_restart_is_survived_with_a_notice(pg_cluster: PgCluster, pg_url: str) -> None:
    clock = fixed_clock(moment(DEMO_NOW))
    app = ProvdeskApp(Store.open(pg_url, clock), clock, mouse=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pg_cluster.restart()
        Store.open(pg_url, clock).add_group("After restart", "device")
        await _until(pilot, 5.0, lambda: "After restart" in _groups(app))
        await _until(pilot, 2.0, lambda: any("reconnected" in n.message for n in app._notifications))


async def test_a_read_only_role_sees_everything_and_is_offered_no_edits(
    pg_cluster: PgCluster, pg_url: str
) -> None:
    clock = fixed_clock(moment(DEMO_NOW))
    database = pg_url.split("/")[3].split("?")[0]
    writer_url, reader_url = pg_cluster.grant_roles(database, "s3cret-pw")
    Store.open(writer_url, clock).add_group("Sales", "user")
    store = Store.open(reader_url, clock)
    assert store.read_only
    app = ProvdeskApp(store, clock, mouse=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "read-only" in str(app.screen.query_one(NavBar).render())
        await pilot.press("4")
        await settle(pilot)
        assert "Sales" in _groups(app)
        keys = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled}
        assert not keys & {"n", "x", "e"}
        await pilot.press("n")
        await settle(pilot)
        assert len(app.screen_stack) == 1  # no form opened
