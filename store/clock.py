"""The clock is passed in, never read from a global, so tests and screenshots can freeze it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, timezone-aware UTC: the clock of a real session."""
    return datetime.now(UTC)


def fixed_clock(moment: datetime) -> Clock:
    """A clock stopped at ``moment`` (what ``--now`` gives every verb and screen)."""
    frozen = moment.astimezone(UTC)
    return lambda: frozen
