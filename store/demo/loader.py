"""Put the demo world into a store through the store's public API, as an admin would.

Going through ``Store`` (not around it) means the demo exercises the real import path:
every profile is read and its signature and chain verified against the demo root, which
is added first as a trust anchor of this store only, labelled as demo. Every change is
audited like any other. ``load_demo`` refuses a store that already holds data, so demo
profiles never mix with real ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from store.demo.dataset import ANCHOR_LABEL, DemoWorld, build_demo, cert_sha256
from store.errors import StoreError
from store.formats.trust import anchor_from_pem

if TYPE_CHECKING:
    from store.db import Store


@dataclass(frozen=True)
class DemoSummary:
    """What ``load_demo`` put in the store, for the one-paragraph report and for tests."""

    profiles: int
    apps: int
    groups: int
    assignments: int
    anchor_label: str
    anchor_sha256: str
    expired: int
    within_week: int
    within_month: int
    soonest_certificate: str
    soonest_certificate_expires: datetime

    def sentence(self) -> str:
        """The summary as one paragraph a person reads after ``provdesk demo``."""
        return (
            f"Loaded the demo: {self.profiles} enterprise profiles ({self.expired} already expired, "
            f"{self.within_week} expiring within 7 days, {self.within_month} more within 30 days), "
            f"{self.apps} apps, {self.groups} groups and {self.assignments} assignments. "
            f"They are signed by a demo CA that this store now trusts as \"{self.anchor_label}\"; "
            f"no other store does. The certificate \"{self.soonest_certificate}\" expires "
            f"{self.soonest_certificate_expires:%Y-%m-%d %H:%M} UTC: apps signed with it need re-signing."
        )


def summarize(world: DemoWorld) -> DemoSummary:
    """Count what the demo world holds, relative to its ``now``."""
    left = [p.expires - world.now for p in world.profiles]
    week, month = timedelta(days=7), timedelta(days=30)
    company = min(world.companies, key=lambda c: c.current.cert.not_valid_after_utc)
    return DemoSummary(
        profiles=len(world.profiles),
        apps=len(world.apps),
        groups=len(world.groups),
        assignments=len(world.assignments),
        anchor_label=ANCHOR_LABEL,
        anchor_sha256=cert_sha256(world.root.cert),
        expired=sum(r <= timedelta(0) for r in left),
        within_week=sum(timedelta(0) < r <= week for r in left),
        within_month=sum(week < r <= month for r in left),
        soonest_certificate=f"iPhone Distribution: {company.name}",
        soonest_certificate_expires=company.current.cert.not_valid_after_utc,
    )


def _add_anchor(store: Store, world: DemoWorld) -> None:
    """Trust the demo root in this store (once: a store emptied and reloaded keeps its anchor)."""
    anchor = anchor_from_pem(world.root_pem, ANCHOR_LABEL, demo=True)
    if all(existing.sha256.upper() != anchor.sha256.upper() for existing in store.fleet().anchors):
        store.add_anchor(world.root_pem, label=ANCHOR_LABEL, demo=True)


def _import_profiles(store: Store, world: DemoWorld) -> None:
    """One batch import, then the admin's display names and descriptions where the demo gives them."""
    outcomes = store.import_profiles([(p.file_name, p.data) for p in world.profiles])
    failed = [o for o in outcomes if o.status != "imported"]
    if failed:
        first = failed[0]
        reason = first.error.message if first.error is not None else first.status
        raise StoreError(
            "demo-failed", f"{len(failed)} demo profile(s) not imported; {first.file_name}: {reason}",
        )
    for profile in world.profiles:
        if profile.display_name or profile.description:
            store.update_profile(
                profile.uuid, display_name=profile.display_name or None,
                description=profile.description or None,
            )


def load_demo(store: Store, now: datetime, *, reproducible: bool = False) -> DemoSummary:
    """Fill an empty store with the demo world for ``now``; refuse (``store-not-empty``) otherwise."""
    if not store.is_empty():
        raise StoreError(
            "store-not-empty",
            "this store already holds profiles, apps, groups or assignments; "
            "load the demo into an empty store (--store PATH)",
        )
    world = build_demo(now, reproducible=reproducible)
    _add_anchor(store, world)
    _import_profiles(store, world)
    for group in world.groups:
        store.add_group(group.name, group.kind, group.description)
    for app in world.apps:
        store.add_app(app.bundle_id, app.name, app.profile_uuid, app.cert_sha256)
    for assignment in world.assignments:
        store.assign(assignment.target_kind, assignment.target, assignment.include, assignment.exclude)
    return summarize(world)


__all__ = ["DemoSummary", "load_demo", "summarize"]
