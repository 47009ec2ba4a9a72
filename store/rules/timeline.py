"""The timeline: for every group, which app it loses first, when, and why.

Why: this is the question the console exists to answer. An app in a group keeps
launching until the earlier of (a) its signing certificate's expiry and (b) the latest
expiry among the profiles that cover it there: profiles assigned to that group that
pass preflight for it, plus its own embedded profile when that passes (it ships to
every device with the app). When the certificate is the cause no profile can help:
"re-sign required". When nothing covers it the app is broken already ("no-profile").

Decisions where the issue is silent, kept here so screens and verbs agree:
- An uncovered app breaks at ``now`` (or at its certificate's expiry if that came first,
  reason ``certificate``); its ``profile`` is ``None``.
- An app whose integrity fails (a code signature or the seal is broken, read from its
  ``.ipa``) cannot launch under any profile: it breaks at ``now``, reason ``integrity``,
  re-sign (or rebuild) required, unless its certificate expired earlier.
- A tie between certificate and profile expiry is blamed on the certificate.
- An app pulled from Intune without its ``.ipa`` is covered until Intune's expiry for it
  too (reason ``profile``, no profile named), since its embedded profile ships with it.
- A group with profiles but no apps counts down to the *last* of its profiles to become
  unusable (each profile ends at its expiry or when its last certificate expires).
- A group with nothing has status ``ok`` and ``None`` everywhere; such groups sort last.
- ``seconds_left`` never goes below 0; ``breaks_at`` says when an expired group broke.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Literal

from store.model import App, Fleet, GroupKind, Profile, Thresholds
from store.rules.coverage import Coverage
from store.rules.preflight import integrity_failures

Reason = Literal["profile", "certificate", "no-profile", "integrity"]
Status = Literal["expired", "critical", "warning", "ok"]
DAY = 86_400
_URGENCY = attrgetter("breaks_at", "app")


@dataclass(frozen=True)
class AppBreak:
    """When one app stops launching in a group, why, under which profile (UUID), and whether to re-sign."""

    app: str
    breaks_at: datetime
    reason: Reason
    profile: str | None
    certificate_expires: datetime | None
    resign_required: bool


@dataclass(frozen=True)
class GroupTimeline:
    """One group's countdown: its most urgent break (app by bundle ID, profile by UUID) and all its apps."""

    group: str
    kind: GroupKind
    status: Status
    breaks_at: datetime | None
    seconds_left: int | None
    reason: Reason | None
    app: str | None
    profile: str | None
    items: tuple[AppBreak, ...]


@dataclass(frozen=True)
class Timeline:
    """Every group at ``now``, most urgent first (earliest break first, groups that never break last)."""

    now: datetime
    groups: tuple[GroupTimeline, ...]

    def group(self, name: str) -> GroupTimeline | None:
        """One group's row by name, if the fleet has that group."""
        return next((g for g in self.groups if g.group == name), None)


def intune_embedded_until(app: App) -> datetime | None:
    """The expiry Intune reports for an app pulled without its ``.ipa`` (its embedded profile's, unseen)."""
    origin = app.intune
    if app.embedded_profile is not None or origin is None or origin.gone:
        return None
    return origin.expires


def app_break(app: App, best: Profile | None, now: datetime) -> AppBreak:
    """The break of ``app`` given the latest-expiring profile covering it (``None``: nothing covers it).

    An app pulled from Intune without its ``.ipa`` is also covered until the expiry Intune
    reports for it (its embedded profile, which provdesk has not seen): no profile is named then.
    """
    cert_expires = app.signing_certificate.not_after if app.signing_certificate is not None else None
    if integrity_failures(app) and (cert_expires is None or cert_expires > now):
        return AppBreak(app.bundle_id, now, "integrity", None, cert_expires, True)
    covered_until, uuid = (best.expires, best.uuid) if best is not None else (now, None)
    covered = best is not None
    embedded = intune_embedded_until(app)
    if embedded is not None and embedded > covered_until:
        covered_until, uuid, covered = embedded, None, True
    if cert_expires is not None and cert_expires <= covered_until:
        return AppBreak(app.bundle_id, cert_expires, "certificate", uuid, cert_expires, True)
    reason: Reason = "profile" if covered else "no-profile"
    return AppBreak(app.bundle_id, covered_until, reason, uuid, cert_expires, False)


def status_of(breaks_at: datetime | None, now: datetime, thresholds: Thresholds) -> tuple[Status, int | None]:
    """Status and seconds left for a break moment, by the fleet's critical/warning thresholds."""
    if breaks_at is None:
        return "ok", None
    left = int((breaks_at - now).total_seconds())
    if left <= 0:
        return "expired", 0
    if left < thresholds.critical_days * DAY:
        return "critical", left
    if left < thresholds.warning_days * DAY:
        return "warning", left
    return "ok", left


def profile_end(profile: Profile) -> tuple[datetime, Reason]:
    """When a profile stops being usable on its own: its expiry, or its last certificate's if earlier."""
    if profile.certificates:
        last_cert = max(c.not_after for c in profile.certificates)
        if last_cert < profile.expires:
            return last_cert, "certificate"
    return profile.expires, "profile"


def _group_row(
    name: str,
    kind: GroupKind,
    items: list[AppBreak],
    profiles: Mapping[str, list[str]],
    coverage: Coverage,
) -> GroupTimeline:
    """One group's row: its most urgent app, else the last of its profiles to run out, else nothing."""
    now, thresholds = coverage.now, coverage.fleet.thresholds
    if items:
        items.sort(key=_URGENCY)
        head = items[0]
        status, left = status_of(head.breaks_at, now, thresholds)
        return GroupTimeline(
            name, kind, status, head.breaks_at, left, head.reason, head.app, head.profile, tuple(items)
        )
    uuids = profiles.get(name)
    if uuids:
        ends = sorted(((*profile_end(coverage.profiles[u]), u) for u in uuids), reverse=True)
        breaks_at, reason, uuid = ends[0]
        status, left = status_of(breaks_at, now, thresholds)
        return GroupTimeline(name, kind, status, breaks_at, left, reason, None, uuid, ())
    return GroupTimeline(name, kind, "ok", None, None, None, None, None, ())


def timeline_from(coverage: Coverage) -> Timeline:
    """:func:`build_timeline` over an already built :class:`Coverage` (suggestions reuse one)."""
    fleet = coverage.fleet
    apps = {a.bundle_id: a for a in fleet.apps}
    items: dict[str, list[AppBreak]] = defaultdict(list)
    for bundle in coverage.app_groups:
        app = apps.get(bundle)
        if app is None:
            continue
        shared: dict[str | None, AppBreak] = {}
        for group, best in coverage.best_by_group(app).items():
            key = best.uuid if best is not None else None
            item = shared.get(key)
            if item is None:
                item = shared[key] = app_break(app, best, coverage.now)
            items[group].append(item)
    profiles = coverage.profiles_reaching(name for name in coverage.kinds if name not in items)
    rows = [
        _group_row(name, kind, items.get(name, []), profiles, coverage)
        for name, kind in coverage.kinds.items()
    ]
    rows.sort(key=lambda r: (r.breaks_at is None, r.breaks_at or coverage.now, r.group))
    return Timeline(coverage.now, tuple(rows))


def build_timeline(fleet: Fleet, now: datetime) -> Timeline:
    """The whole fleet's timeline at ``now``, groups sorted by urgency.

    Each assignment is resolved once and each (profile, app) pair preflighted at most
    once, so this stays fast for thousands of groups, apps and profiles.
    """
    return timeline_from(Coverage(fleet, now))
