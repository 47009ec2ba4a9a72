"""What an audit subject is called, for people: ``profile 'Acme 2027'``, not a UUID.

The trail records subjects by id (``profile:UUID``, ``app:BUNDLE``, ``group:NAME``); a
subject still in the store is named from the fleet, a deleted one from the names its own
events recorded, marked ``(deleted)``. ``change_text`` says in one line what an event changed.
Kept free of Textual: ``provdesk log`` uses it too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from store.model import AuditEvent, Fleet

NAME_KEYS = ("display_name", "name", "label")


def recorded_names(events: Iterable[AuditEvent]) -> dict[str, str]:
    """The last name each subject's events recorded (newest events first, as the trail reads)."""
    names: dict[str, str] = {}
    for event in events:
        for side in (event.after, event.before):
            if event.subject not in names and isinstance(side, dict):
                name = next((side[k] for k in NAME_KEYS if isinstance(side.get(k), str) and side[k]), None)
                if name:
                    names[event.subject] = name
    return names


def subject_label(subject: str, fleet: Fleet, recorded: dict[str, str]) -> str:
    """``profile 'Acme 2027'``, ``app 'Field' (deleted)``, ``group Sales``, or the raw subject."""
    kind, _, ident = subject.partition(":")
    live = {
        "profile": {p.uuid: p.label for p in fleet.profiles},
        "app": {a.bundle_id: a.name for a in fleet.apps},
        "group": {g.name: g.name for g in fleet.groups},
        "anchor": {a.sha256: a.label for a in fleet.anchors},
    }.get(kind)
    if live is None:
        return subject
    if ident in live:
        return f"{kind} {live[ident]!r}" if kind != "group" else f"group {ident}"
    name = recorded.get(subject)
    return f"{kind} {name!r} (deleted)" if name else f"{kind} {ident} (deleted)"


def _brief(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else value


def change_text(event: AuditEvent) -> str:
    """``display_name: Old → New`` for what differs; ``added`` / ``deleted`` for whole records."""
    before, after = event.before, event.after
    if before is None and after is not None:
        return "added"
    if after is None and before is not None:
        return "deleted"
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        parts = [f"{k}: {_brief(before.get(k))} → {_brief(after.get(k))}" for k in keys]
        return "; ".join(parts) or "no change"
    return f"{_brief(before)} → {_brief(after)}"
