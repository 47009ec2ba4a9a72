"""When to try a throttled GET again: Retry-After as Graph sends it, else backoff with jitter.

Graph's throttling sample sends ``Retry-After: 2.128`` (fractional seconds), the HTTP
spec allows a date, and Intune endpoints often send nothing at all. Waiting is bounded
in total, so a tenant that keeps throttling gets a clear error rather than a hang.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class RetryPolicy:
    """How many tries a GET gets, the backoff curve when no Retry-After is given, the total budget."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 8.0
    budget: float = 60.0


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait for a ``Retry-After`` of fractional seconds or an HTTP date; ``None`` if unusable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - now).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def backoff(attempt: int, policy: RetryPolicy, rng: random.Random) -> float:
    """Exponential backoff with jitter for try number ``attempt`` (0-based): half to all of the step."""
    step = min(policy.cap, policy.base * (2 ** attempt))
    return float(step * (0.5 + rng.random() / 2))
