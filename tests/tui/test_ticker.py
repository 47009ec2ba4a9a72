"""The live countdown: it follows the clock, ticks fast only inside the last hour, and a
group whose countdown crosses zero turns expired without anyone pressing a key."""

from __future__ import annotations

from datetime import datetime, timedelta

from store.db import Store
from tests.tui.conftest import DEMO_NOW, moment
from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.widgets.countdown import Countdown
from tui.widgets.timeline import GroupRow


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
        row = app.screen.query(GroupRow).first()
        countdown = row.query_one(Countdown)
        left = countdown.seconds_left(clock.now)
        assert 0 < left < 3600, "the demo's most urgent group breaks within the hour"
        assert " s" in countdown.text
        assert app.ticker.timer is not None
        clock.now += timedelta(seconds=30)
        app.ticker.tick()
        assert countdown.text.endswith(" s") and countdown.seconds_left(clock.now) == left - 30
        clock.now += timedelta(seconds=left)
        app.ticker.tick()
        await settle(pilot)
        assert app.snapshot is not None
        group = app.snapshot.timeline.group(row.group.group)
        assert group is not None and group.status == "expired"
