"""The live countdown: it follows the clock, ticks fast only inside the last hour, and a
group whose countdown crosses zero turns expired without anyone pressing a key."""

from __future__ import annotations

from datetime import datetime, timedelta

from store.db import Store
from tests.tui.conftest import DEMO_NOW, moment
from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.widgets.timeline import TimelineView


class MovableClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_countdown_follows_the_clock_and_expiry_reloads(demo_store: Store) -> None:
    """Ticking rewrites only the countdown text; past zero the group becomes expired."""
    clock = MovableClock(moment(DEMO_NOW))
    app = ProvdeskApp(demo_store, clock, mouse=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        timeline = app.screen.query_one(TimelineView)
        first = timeline.groups[0]
        assert first.breaks_at is not None
        left = (first.breaks_at - clock.now).total_seconds()
        assert 0 < left < 3600, "the demo's most urgent group breaks within the hour"
        assert " s" in timeline.countdowns[0]
        assert app.ticker.timer is not None
        before = timeline.countdowns[0]
        clock.now += timedelta(seconds=30)
        app.ticker.tick()
        assert timeline.countdowns[0].endswith(" s") and timeline.countdowns[0] != before
        clock.now += timedelta(seconds=left)
        app.ticker.tick()
        await settle(pilot)
        assert app.snapshot is not None
        group = app.snapshot.timeline.group(first.group)
        assert group is not None and group.status == "expired"
