"""A group crossing into critical or expired while the console is open says so: a toast and the bell."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store.db import Store
from store.rules.alerts import crossed
from tests.tui.conftest import DEMO_NOW, moment
from tests.tui.helpers import settle
from tests.tui.test_ticker import MovableClock
from tui.app import ProvdeskApp


@pytest.mark.parametrize("bell", [True, False])
async def test_a_group_expiring_under_the_admins_eyes_is_announced(demo_store: Store, bell: bool) -> None:
    clock = MovableClock(moment(DEMO_NOW))
    app = ProvdeskApp(demo_store, clock, mouse=False, bell=bell)
    rings: list[None] = []
    app.bell = lambda: rings.append(None)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.snapshot is not None
        first = app.snapshot.timeline.groups[0]
        assert first.status == "critical" and first.seconds_left is not None
        clock.now += timedelta(seconds=first.seconds_left + 1)
        app.ticker.tick()
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert f"{first.group} is now EXPIRED" in messages
        assert len(rings) == (1 if bell else 0)
        app.reload()  # nothing crossed since: no second announcement
        await settle(pilot)
        assert [n.message for n in app._notifications].count(f"{first.group} is now EXPIRED") == 1


def test_only_a_worse_status_of_a_known_group_is_announced(demo_store: Store) -> None:
    from store.rules.timeline import build_timeline

    fleet = demo_store.fleet()
    now = moment(DEMO_NOW)
    before, after = build_timeline(fleet, now), build_timeline(fleet, now + timedelta(days=8))
    found = dict(crossed(before, after))
    assert found and all(status in ("critical", "expired") for status in found.values())
    assert crossed(after, before) == []
