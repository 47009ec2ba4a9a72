"""The pure helpers behind the screens: countdown wording, tick rate, literal text."""

from __future__ import annotations

from datetime import timedelta

from store.model import parse_iso
from tui.text import literal, sanitize
from tui.timefmt import countdown_text, table_until, tick_seconds
from tui.widgets.expiry_bar import expiry_bar

DAY = 86_400


def test_countdown_wording_by_distance() -> None:
    """Seconds only in the last hour; days and hours close by; one coarse unit further out."""
    assert countdown_text(42 * 60 + 7) == "42 min 07 s"
    assert countdown_text(5 * 3600 + 12 * 60) == "5 h 12 min"
    assert countdown_text(3 * DAY + 4 * 3600) == "3 days 4 h"
    assert countdown_text(1 * DAY + 30) == "1 day 0 h"
    assert countdown_text(20 * DAY) == "20 days"
    assert countdown_text(150 * DAY) == "5 months"
    assert countdown_text(800 * DAY) == "2 years"
    assert countdown_text(-3 * DAY) == "3 days ago"
    assert countdown_text(-90) == "1 min ago"


def test_tables_never_show_seconds() -> None:
    """A table cell does not tick, so it must not look precise to the second."""
    now = parse_iso("2026-01-01T00:00:00Z")
    assert now is not None
    assert table_until(now + timedelta(minutes=39, seconds=58), now) == "39 min"


def test_tick_every_second_only_inside_the_last_hour() -> None:
    """Idle consoles tick once a minute."""
    assert tick_seconds([4000.0, 90_000.0]) == 60.0
    assert tick_seconds([4000.0, 1200.0]) == 1.0
    assert tick_seconds([-5.0]) == 60.0
    assert tick_seconds([]) == 60.0


def test_control_characters_become_visible() -> None:
    """ESC, BEL, DEL and C1 controls are shown, never sent to the terminal."""
    assert sanitize("a\x1b[2Jb\x07\x7f\x9b") == "a␛[2Jb␇␡\\x9b"
    assert literal("[bold red]x[/]").plain == "[bold red]x[/]"
    assert not literal("[bold red]x[/]").spans


def test_expiry_bar_marks_today_profiles_and_certificates() -> None:
    """Today at the left, P and C where they fall, ◆ for both in one cell, › beyond a year."""
    now = parse_iso("2026-01-01T00:00:00Z")
    assert now is not None
    marks = [
        (now + timedelta(days=180), "profile"),
        (now + timedelta(days=180), "certificate"),
        (now + timedelta(days=30), "profile"),
        (now + timedelta(days=500), "certificate"),
        (now - timedelta(days=3), "profile"),
    ]
    bar = expiry_bar(now, marks, 25).plain
    assert len(bar) == 25
    assert bar[0] == "┃" and bar[-1] == "›"
    assert "◆" in bar and bar.count("P") == 1
