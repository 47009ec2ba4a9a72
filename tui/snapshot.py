"""One consistent picture of the store that every screen renders from.

A worker builds it off the UI thread (store read + timeline rules), the app publishes
it, and screens only look things up in it. Screens therefore never read the store
while drawing and never apply a rule themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from store.intune.diff import out_of_step
from store.model import App, Assignment, Fleet, Group, Profile, TargetKind, parse_iso
from store.rules.timeline import Timeline, build_timeline


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The fleet, its timeline and the lookups screens need; compared by identity."""

    now: datetime
    fleet: Fleet
    timeline: Timeline
    profiles: dict[str, Profile] = field(default_factory=dict)
    apps: dict[str, App] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    intune_tenant: str = ""
    intune_pulled_at: datetime | None = None
    out_of_step: frozenset[str] = frozenset()
    identity_path: Path | None = None

    @property
    def empty(self) -> bool:
        """Nothing imported yet: the overview offers the demo data instead of a timeline."""
        return not self.fleet.profiles and not self.fleet.apps

    def assignment(self, kind: TargetKind, target: str) -> Assignment:
        """The include/exclude sets of one profile or app (empty when unassigned)."""
        return self.fleet.assignment_for(kind, target)

    def groups_text(self, kind: TargetKind, target: str) -> str:
        """``Sales, All users −Executives``: an assignment in one short line."""
        assignment = self.assignment(kind, target)
        parts = sorted(assignment.include) + [f"−{name}" for name in sorted(assignment.exclude)]
        return ", ".join(parts) if parts else "—"

    def assignments_of_group(self, name: str) -> list[tuple[str, str, str]]:
        """(included|excluded, target kind, target label) for every assignment naming ``name``."""
        rows: list[tuple[str, str, str]] = []
        for assignment in self.fleet.assignments:
            label = self.target_label(assignment.target_kind, assignment.target)
            if name in assignment.include:
                rows.append(("included", assignment.target_kind, label))
            if name in assignment.exclude:
                rows.append(("excluded", assignment.target_kind, label))
        return rows

    def target_label(self, kind: TargetKind, target: str) -> str:
        """A profile's label or an app's name, falling back to the raw reference.

        A profile no longer stored is still embedded in its apps, which keep its name.
        """
        if kind == "profile" and target in self.profiles:
            return self.profiles[target].label
        if kind == "profile":
            embedded = (a.embedded_profile for a in self.apps.values() if a.embedded_profile)
            return next((p.label for p in embedded if p.uuid == target), target)
        if kind == "app" and target in self.apps:
            return self.apps[target].name
        return target


def load_snapshot(store: Any, now: datetime) -> Snapshot:
    """Read the fleet and run the timeline once: the slow part, done in a worker thread."""
    fleet: Fleet = store.fleet()
    settings = store.intune_settings() if hasattr(store, "intune_settings") else {}
    return Snapshot(
        now=now,
        fleet=fleet,
        timeline=build_timeline(fleet, now),
        profiles={p.uuid: p for p in fleet.profiles},
        apps={a.bundle_id: a for a in fleet.apps},
        groups={g.name: g for g in fleet.groups},
        intune_tenant=settings.get("tenant", ""),
        intune_pulled_at=parse_iso(settings.get("pulled_at")),
        out_of_step=frozenset(p.uuid for p in fleet.profiles if p.intune is not None and out_of_step(
            p, *_sets(fleet.assignment_for("profile", p.uuid)))),
        identity_path=store.identity_path(),
    )


def _sets(assignment: Assignment) -> tuple[frozenset[str], frozenset[str]]:
    return assignment.include, assignment.exclude
