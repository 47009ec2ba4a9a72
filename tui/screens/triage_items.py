"""Triage rows, worked out in a worker: each app that breaks inside the warning window,
most urgent first, with the groups it breaks in and the profile the rules suggest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.rules.suggestions import FixOutcome, breaking_within, fix_outcome, suggest_many, warning_horizon
from tui.snapshot import Snapshot
from tui.timefmt import table_until


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
    outcome: FixOutcome | None = None


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
        outcome = fix_outcome(snapshot.fleet, snapshot.now, app, item.breaks_at, found) if app else None
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
                outcome=outcome,
            )
        )
    items.sort(key=lambda i: (i.breaks_at, i.name.casefold()))
    return items


def action_hint(item: TriageItem) -> str:
    """What to do, in the words of the key that does it."""
    if item.reason == "integrity":
        return "rebuild/re-sign (marked)" if item.needs_resign else "rebuild/re-sign (r: mark)"
    if item.resign_required:
        return "re-sign (marked)" if item.needs_resign else "r: mark for re-sign"
    if item.suggestion is not None:
        return f"u: assign '{item.suggestion_label}'"
    return "no stored profile fits: create one"


def fix_question(item: TriageItem, now: datetime, warning_days: int) -> str:
    """The ``u`` question: where, what the fix buys, what ends it next, and why this profile.

    e.g. "Warehouse Scanners: 27 min → 22 days, then the certificate needs a re-sign".
    """
    suggestion, outcome = item.suggestion, item.outcome
    assert suggestion is not None
    where = ", ".join(sorted(suggestion.missing_groups)) or "its current groups"
    lines = [f"Assign '{item.suggestion_label}' to {where} for {item.name}?"]
    if outcome is not None:
        then = "the certificate needs a re-sign" if outcome.then == "certificate" else "this profile expires"
        lines.append(f"{', '.join(item.groups)}: {table_until(outcome.before, now)} → "
                     f"{table_until(outcome.after, now)}, then {then}.")
        why = (f"Chosen over {outcome.others} other passing profile(s): it lasts longest."
               if outcome.others else "The only stored profile that passes preflight and lasts longer.")
        lines.append(why)
        if not outcome.outlasts_window:
            lines.append(f"It does not outlast the {warning_days}-day warning window: "
                         "the app is back in triage before long.")
    return "\n".join(lines)
