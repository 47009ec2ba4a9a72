"""Bytes over the wire (issue 10): a key costs what changed on screen, and nothing animates.

Counted in-process: every frame the app would write goes through ``tests/tui/paint.py``,
which renders it as the real driver does and feeds it to an emulated terminal. ``make
bench`` (``bench/tui_bytes.py``) measures the same from the far side of a real pty.
"""

from __future__ import annotations

from tests.tui.helpers import settle
from tests.tui.paint import PaintLog, full_frame, painted
from tui.app import ProvdeskApp
from tui.widgets.cursor_list import SIDE_STEP
from tui.widgets.record_table import RecordTable
from tui.wire import Wire

LISTS = ("2", "3", "4", "5", "6")


async def _cost(pilot: object, log: PaintLog, key: str) -> tuple[int, int]:
    raw, sent = log.raw_bytes, log.bytes
    await pilot.press(key)  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    return log.raw_bytes - raw, log.bytes - sent


async def test_a_cursor_move_repaints_two_rows_in_every_list(demo_app: ProvdeskApp) -> None:
    """``j`` on the overview and in each list: Textual itself is asked to repaint ≤ 1 KB.

    Before: the overview's ListView restyled every row (12 KB per ``j``) and the tables
    refreshed the whole widget (4.5–5.3 KB).
    """
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with painted(demo_app) as log:
            raw, _ = await _cost(pilot, log, "j")
            assert raw <= 1024, f"overview j: {raw} B"
            for digit in LISTS:
                await _cost(pilot, log, digit)
                raw, _ = await _cost(pilot, log, "j")
                assert raw <= 1024, f"screen {digit} j: {raw} B"


async def test_the_wire_sends_only_what_changed_and_the_terminal_matches(demo_app: ProvdeskApp) -> None:
    """Switching screens costs ≤ 8 KB; the emulated terminal then shows exactly the frame."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with painted(demo_app) as log:
            await pilot.press("j")
            await settle(pilot)
            for digit in (*LISTS, "1", "5", "1"):
                _, sent = await _cost(pilot, log, digit)
                assert sent <= 8192, f"screen {digit}: {sent} B"
            fresh = PaintLog(demo_app)
            fresh.send(full_frame(demo_app))
            assert log.text() == fresh.text()
            assert "▶" in log.text()


def test_a_frame_that_changes_nothing_sends_nothing(demo_app: ProvdeskApp) -> None:
    """The same full frame twice: the second costs 0 bytes (idle stays 0 B/s)."""

    async def run() -> None:
        async with demo_app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            wire = Wire()
            assert wire.update(full_frame(demo_app), demo_app.console) is not None
            assert wire.update(full_frame(demo_app), demo_app.console) is None
            wire.forget()
            assert wire.update(full_frame(demo_app), demo_app.console) is not None

    import asyncio

    asyncio.run(run())


async def test_sideways_scrolling_does_not_animate(demo_app: ProvdeskApp) -> None:
    """→ on a wide table moves at once: animations are off (a scroll used to glide for 0.5 s)."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = demo_app.screen.query_one("#profiles", RecordTable)
        await pilot.press("right")
        await pilot.pause()
        assert table.scroll_offset.x == SIDE_STEP
        assert demo_app.animation_level == "none"
