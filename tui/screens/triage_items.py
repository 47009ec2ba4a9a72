"""Triage rows, worked out in a worker: each app that breaks inside the warning window,
most urgent first, with the groups it breaks in and the profile the rules suggest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.rules.suggestions import breaking_within, suggest_many, warning_horizon
from tui.snapshot import Snapshot


@dataclass(frozen=True)
class TriageItem:
    """One app at risk: when and why it breaks, where, and what would rescue it."""

    bundle_id: str
    name: str
    breaks_at: datetime
    reason: str
    groups: tuple[str, ...]
    resign_required: bool
    needs_resign: bool
    suggestion: Any | None
    suggestion_label: str


def triage_items(snapshot: Snapshot) -> list[TriageItem]:
    """Every app breaking before ``now + warning_days``, earliest first (expired ones lead)."""
    horizon = warning_horizon(snapshot.fleet, snapshot.now)
    earliest: dict[str, Any] = {}
    groups: dict[str, list[str]] = {}
    for group, item in breaking_within(snapshot.timeline, horizon):
        groups.setdefault(item.app, []).append(group)
        if item.app not in earliest or item.breaks_at < earliest[item.app].breaks_at:
            earliest[item.app] = item
    fixable = [bundle for bundle, item in earliest.items() if not item.resign_required]
    suggestions = suggest_many(snapshot.fleet, snapshot.now, fixable)
    items = []
    for bundle_id, item in earliest.items():
        app = snapshot.apps.get(bundle_id)
        found = suggestions.get(bundle_id, ())
        best = found[0] if found else None
        label = snapshot.target_label("profile", best.profile_uuid) if best is not None else ""
        items.append(
            TriageItem(
                bundle_id=bundle_id,
                name=app.name if app else bundle_id,
                breaks_at=item.breaks_at,
                reason=item.reason,
                groups=tuple(sorted(groups[bundle_id])),
                resign_required=item.resign_required,
                needs_resign=bool(app and app.needs_resign),
                suggestion=best,
                suggestion_label=label,
            )
        )
    items.sort(key=lambda i: (i.breaks_at, i.name.casefold()))
    return items


def action_hint(item: TriageItem) -> str:
    """What to do, in the words of the key that does it."""
    if item.resign_required:
        return "re-sign (marked)" if item.needs_resign else "r: mark for re-sign"
    if item.suggestion is not None:
        return f"u: assign '{item.suggestion_label}'"
    return "no stored profile fits: create one"
