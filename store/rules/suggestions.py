"""Suggestions: for an app about to break, which stored profiles would save it, and where to assign them.

Why: knowing an app breaks in nine days is only half the answer; the admin's next
question is "do I already have a profile that would work, and which groups still need
it?". A profile qualifies when it passes preflight for the app (for a whole group)
and lasts longer than the app's current break. An app whose certificate is the cause
gets no suggestion: no profile outlives the certificate, only re-signing helps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from store.model import Fleet
from store.rules.coverage import Coverage
from store.rules.timeline import timeline_from


@dataclass(frozen=True)
class Suggestion:
    """A profile (by UUID) keeping the app running until ``expires``, and the groups it still lacks."""

    profile_uuid: str
    expires: datetime
    missing_groups: frozenset[str]


def suggest(fleet: Fleet, now: datetime, bundle_id: str) -> tuple[Suggestion, ...]:
    """Profiles that would carry ``bundle_id`` past its current break, latest expiry first.

    Only for an app that breaks within the warning window for a profile reason (or has no
    profile at all); ``missing_groups`` are the groups the app reaches that the profile is
    not yet assigned to. An unknown app, or one not at risk, gets an empty tuple.
    """
    app = next((a for a in fleet.apps if a.bundle_id == bundle_id), None)
    if app is None:
        return ()
    coverage = Coverage(fleet, now)
    timeline = timeline_from(coverage)
    horizon = now + timedelta(days=fleet.thresholds.warning_days)
    at_risk = [
        item
        for row in timeline.groups
        for item in row.items
        if item.app == bundle_id and item.breaks_at < horizon and item.reason != "certificate"
    ]
    if not at_risk:
        return ()
    current = min(item.breaks_at for item in at_risk)
    cert = app.signing_certificate
    if cert is not None and cert.not_after <= current:
        return ()
    reached = coverage.app_groups.get(bundle_id, frozenset())
    found: list[Suggestion] = []
    for profile in coverage.covering(app):
        if profile.expires <= current:
            continue
        missing = reached - coverage.profile_groups.get(profile.uuid, frozenset())
        if missing:
            found.append(Suggestion(profile.uuid, profile.expires, frozenset(missing)))
    found.sort(key=lambda s: (s.expires, s.profile_uuid), reverse=True)
    return tuple(found)
