"""Read-side views of the store: the fleet snapshot and the audit trail.

Built-in groups (All users, All devices) and the built-in Apple Root CA anchor are not
stored; they are added here so every reader sees them and nobody can delete them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.db.schema import audit_tables
from store.formats.trust import apple_root_anchor
from store.model import BUILTIN_GROUPS, App, Assignment, AuditEvent, Fleet, Group, Profile, TrustAnchor

if TYPE_CHECKING:
    from store.db.core import StoreCore


def builtin_groups() -> tuple[Group, ...]:
    """All users and All devices, always present."""
    return tuple(Group(name, kind, f"Intune's built-in {kind} target", builtin=True)
                 for name, kind in BUILTIN_GROUPS.items())


def build_fleet(core: StoreCore) -> Fleet:
    """Assemble the snapshot from the (cached) decoded tables."""
    return Fleet(
        profiles=core._table("profiles", Profile),
        apps=core._table("apps", App),
        groups=builtin_groups() + core._table("groups", Group),
        assignments=core._table("assignments", Assignment),
        anchors=(apple_root_anchor(), *core._table("anchors", TrustAnchor)),
        thresholds=core.thresholds(),
    )


def audit_events(core: StoreCore, subjects: set[str] | None, limit: int | None) -> list[AuditEvent]:
    """Events newest first, optionally only those about ``subjects``, at most ``limit``."""
    out: list[AuditEvent] = []
    for name in reversed(audit_tables(core.storage.tables)):
        for event in reversed(core._table(name, AuditEvent)):
            if limit is not None and len(out) >= limit:
                return out
            if subjects is None or event.subject in subjects:
                out.append(event)
    return out
