"""Suggestions: for an app about to break, which stored profiles would save it, and where to assign them.

Why: knowing an app breaks in nine days is only half the answer; the admin's next
question is "do I already have a profile that would work, and which groups still need
it?". A profile qualifies when it passes preflight for the app (for a whole group)
and lasts longer than the app's current break. An app whose certificate is the cause
gets no suggestion: no profile outlives the certificate, only re-signing helps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from store.model import App, Fleet
from store.rules.coverage import Coverage
from store.rules.timeline import AppBreak, GroupTimeline, Timeline, timeline_from


@dataclass(frozen=True)
class Suggestion:
    """A profile (by UUID) keeping the app running until ``expires``, and the groups it still lacks."""

    profile_uuid: str
    expires: datetime
    missing_groups: frozenset[str]


def breaking_within(timeline: Timeline, horizon: datetime) -> list[tuple[str, AppBreak]]:
    """Every (group, app break) before ``horizon``, in the timeline's urgency order.

    The one definition of "breaks within the window" that ``check``, triage and the
    suggestions share.
    """
    return [(row.group, item) for row in timeline.groups for item in at_risk(row, horizon)]


@dataclass(frozen=True)
class FixOutcome:
    """What assigning the first suggestion buys an app: its break moves from ``before`` to ``after``.

    ``then`` is what ends it next (``certificate``: only a re-sign helps then), ``outlasts_window``
    whether ``after`` is past the warning window (else the app is back in triage soon), and
    ``others`` how many other passing profiles it was chosen over (for lasting longer).
    """

    before: datetime
    after: datetime
    then: Literal["certificate", "profile"]
    outlasts_window: bool
    others: int


def fix_outcome(fleet: Fleet, now: datetime, app: App, before: datetime,
                found: tuple[Suggestion, ...]) -> FixOutcome | None:
    """The outcome of assigning ``found[0]`` (suggestions come latest-expiring first), if any."""
    if not found:
        return None
    best = found[0]
    cert = app.signing_certificate
    ends_by_cert = cert is not None and cert.not_after <= best.expires
    after = cert.not_after if cert is not None and ends_by_cert else best.expires
    return FixOutcome(before, after, "certificate" if ends_by_cert else "profile",
                      after > warning_horizon(fleet, now), len(found) - 1)


def at_risk(row: GroupTimeline, horizon: datetime) -> tuple[AppBreak, ...]:
    """The apps of one group that break before ``horizon`` (the overview counts them per group)."""
    return tuple(item for item in row.items if item.breaks_at < horizon)


def warning_horizon(fleet: Fleet, now: datetime) -> datetime:
    """The end of the warning window: what breaks before it is at risk."""
    return now + timedelta(days=fleet.thresholds.warning_days)


def suggest(fleet: Fleet, now: datetime, bundle_id: str) -> tuple[Suggestion, ...]:
    """Profiles that would carry ``bundle_id`` past its current break, latest expiry first.

    Only for an app that breaks within the warning window for a profile reason (or has no
    profile at all); ``missing_groups`` are the groups the app reaches that the profile is
    not yet assigned to. An unknown app, or one not at risk, gets an empty tuple.
    """
    return suggest_many(fleet, now, (bundle_id,)).get(bundle_id, ())


def suggest_many(
    fleet: Fleet, now: datetime, bundle_ids: Iterable[str]
) -> dict[str, tuple[Suggestion, ...]]:
    """:func:`suggest` for several apps from one coverage and one timeline (triage lists many)."""
    coverage = Coverage(fleet, now)
    at_risk: dict[str, list[AppBreak]] = defaultdict(list)
    horizon = warning_horizon(fleet, now)
    for _group, item in breaking_within(timeline_from(coverage), horizon):
        if item.reason != "certificate":
            at_risk[item.app].append(item)
    apps = {a.bundle_id: a for a in fleet.apps}
    return {
        bundle_id: _rescues(coverage, apps[bundle_id], at_risk[bundle_id])
        for bundle_id in bundle_ids
        if bundle_id in apps and at_risk.get(bundle_id)
    }


def _rescues(coverage: Coverage, app: App, at_risk: list[AppBreak]) -> tuple[Suggestion, ...]:
    """The covering profiles outlasting the app's earliest break, with the groups they lack."""
    current = min(item.breaks_at for item in at_risk)
    cert = app.signing_certificate
    if cert is not None and cert.not_after <= current:
        return ()
    reached = coverage.app_groups.get(app.bundle_id, frozenset())
    found: list[Suggestion] = []
    for profile in coverage.covering(app):
        if profile.expires <= current:
            continue
        missing = reached - coverage.profile_groups.get(profile.uuid, frozenset())
        if missing:
            found.append(Suggestion(profile.uuid, profile.expires, frozenset(missing)))
    found.sort(key=lambda s: (s.expires, s.profile_uuid), reverse=True)
    return tuple(found)
