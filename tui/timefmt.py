"""How long until something breaks, in the words an admin reads at a glance.

"3 days 4 h" close by, "5 months" further out, seconds only in the last hour: the text
changes rarely, so a countdown widget repaints rarely (see ``widgets/countdown.py``).
"""

from __future__ import annotations

from datetime import datetime

MINUTE = 60
HOUR = 3600
DAY = 86400


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _coarse(seconds: int) -> str:
    """A long span in one unit: days under two months, then months, then years."""
    if seconds < 60 * DAY:
        return _plural(seconds // DAY, "day")
    if seconds < 730 * DAY:
        return _plural(seconds // (30 * DAY), "month")
    return _plural(seconds // (365 * DAY), "year")


def countdown_text(seconds_left: float) -> str:
    """The countdown to a break ``seconds_left`` from now; past breaks read "... ago"."""
    seconds = int(seconds_left)
    if seconds <= 0:
        gone = -seconds
        if gone < HOUR:
            return f"{max(gone // MINUTE, 1)} min ago"
        if gone < DAY:
            return f"{gone // HOUR} h ago"
        return f"{_coarse(gone)} ago"
    if seconds < HOUR:
        minutes, rest = divmod(seconds, MINUTE)
        return f"{minutes} min {rest:02d} s"
    if seconds < DAY:
        hours, rest = divmod(seconds, HOUR)
        return f"{hours} h {rest // MINUTE:02d} min"
    if seconds < 14 * DAY:
        days, rest = divmod(seconds, DAY)
        return f"{_plural(days, 'day')} {rest // HOUR} h"
    return _coarse(seconds)


def until(deadline: datetime, now: datetime) -> str:
    """:func:`countdown_text` between two moments."""
    return countdown_text((deadline - now).total_seconds())


def table_until(deadline: datetime, now: datetime) -> str:
    """For table cells, which never tick: no seconds, so a stale cell is never precise-looking."""
    seconds = (deadline - now).total_seconds()
    if 0 < seconds < HOUR:
        return f"{max(int(seconds) // MINUTE, 1)} min"
    return countdown_text(seconds)


def tick_seconds(seconds_left: list[float]) -> float:
    """How long the console may wait before the next countdown text can change.

    Every second while any countdown is inside its last hour, else once a minute: an
    idle console over SSH writes almost nothing.
    """
    return 1.0 if any(0 < s < HOUR for s in seconds_left) else 60.0


def short_date(moment: datetime | None) -> str:
    """``2026-03-04``: the date column of tables (times are UTC throughout)."""
    return "—" if moment is None else moment.strftime("%Y-%m-%d")


def stamp(moment: datetime | None) -> str:
    """``2026-03-04 10:22Z``: when something happened, for audit rows."""
    return "—" if moment is None else moment.strftime("%Y-%m-%d %H:%MZ")
