"""What a pull changes in the store, decided as a pure function of (tenant, store, now).

Why pure: the rules a pull must keep (idempotent, nothing deleted, one bad payload does
not stop the rest, a renamed group keeps its assignments) are easiest to hold when the
decision is data a test can read. :func:`plan_pull` returns the entries the verb prints
(added/updated/gone/failed/unchanged) and the documents, removals, blobs and audit events
the Store applies in one transaction.

Decisions: a record is matched by its Intune ID, else adopted by its natural key (UUID,
bundle ID, group name) when it was typed into provdesk; a record already pulled from
another Intune object under the same key fails the newcomer (``duplicate-uuid``,
``duplicate-app``); two Entra groups with one display name get the ID's first 8 digits
appended. A configuration whose payload now has another UUID marks the old profile gone
and adds the new one. Unchanged means the stored document would be byte-for-byte the same
with the pull time held, so a second pull writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from store.db.codec import assignment_key, encode
from store.intune.mapping import Pulled, RecordKind, canonical, sets_of
from store.model import BUILTIN_GROUPS, App, Assignment, Group, IntuneOrigin, Profile, TargetKind

Record = Profile | App | Group
TABLES: dict[RecordKind, str] = {"profile": "profiles", "app": "apps", "group": "groups"}


@dataclass(frozen=True)
class Entry:
    """One line of a pull summary: what kind, its Intune ID, its name; failures with their code."""

    kind: RecordKind
    id: str
    name: str
    code: str | None = None
    message: str | None = None

    def as_json(self) -> dict[str, str]:
        """``{kind, id, name}`` (plus ``code`` and ``message`` for a failure): the stable JSON shape."""
        data = {"kind": self.kind, "id": self.id, "name": self.name}
        if self.code is not None:
            data.update(code=self.code, message=self.message or "")
        return data


@dataclass
class PullPlan:
    """The summary and the writes of one pull (empty writes: nothing to do)."""

    added: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)
    gone: list[Entry] = field(default_factory=list)
    failed: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)
    puts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    removes: list[tuple[str, str]] = field(default_factory=list)
    blobs: list[bytes] = field(default_factory=list)
    events: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, list[dict[str, str]]]:
        """The ``pull --json`` object: each list sorted by kind, then name, then ID."""
        def rows(entries: list[Entry]) -> list[dict[str, str]]:
            return [e.as_json() for e in sorted(entries, key=lambda e: (e.kind, e.name, e.id))]
        return {"added": rows(self.added), "updated": rows(self.updated), "gone": rows(self.gone),
                "failed": rows(self.failed), "unchanged": rows(self.unchanged)}


def _subject(record: Record) -> str:
    if isinstance(record, Profile):
        return f"profile:{record.uuid}"
    if isinstance(record, App):
        return f"app:{record.bundle_id}"
    return f"group:{record.name}"


def _summary(record: Record | None) -> dict[str, Any] | None:
    """What an audit event keeps of a pulled record (the full facts live in its table)."""
    if record is None:
        return None
    if isinstance(record, Profile):
        data: dict[str, Any] = {"uuid": record.uuid, "display_name": record.display_name,
                                "description": record.description, "file_sha256": record.file_sha256}
    elif isinstance(record, App):
        data = {"bundle_id": record.bundle_id, "name": record.name, "version": record.version,
                "build": record.build}
    else:
        data = {"name": record.name, "kind": record.kind, "description": record.description}
    origin = record.intune
    if origin is not None:
        data["intune"] = {"id": origin.intune_id, "gone": origin.gone, "expires": encode(origin)["expires"],
                          "include": sorted(origin.include), "exclude": sorted(origin.exclude)}
    return data


def _kind(record: Record) -> RecordKind:
    return "profile" if isinstance(record, Profile) else "app" if isinstance(record, App) else "group"


def _name(record: Record) -> str:
    return record.label if isinstance(record, Profile) else record.name


def _sets(assignment: Assignment | None) -> dict[str, list[str]] | None:
    """An assignment's groups as the audit trail records them."""
    if assignment is None:
        return None
    return {"include": sorted(assignment.include), "exclude": sorted(assignment.exclude)}


def _origin(record: Record | None) -> IntuneOrigin | None:
    return record.intune if record is not None else None


class _Planner:
    """Fills one :class:`PullPlan`; one method per kind of record."""

    def __init__(self, assignments: Iterable[Assignment], now: datetime, actor: str) -> None:
        self.plan = PullPlan()
        self.now, self.actor = now, actor
        self.assignments = {assignment_key(a.target_kind, a.target): a for a in assignments}
        self.written: set[str] = set()
        self.renames: dict[str, str] = {}

    def settle(self, before: Record | None, after: Record, intune_id: str,
               assignment: Assignment | None = None, blob: bytes = b"") -> None:
        """Write what differs from ``before`` (``after`` holds the old pull time); nothing if all is equal.

        A changed record is stamped with this pull's time; an assignment differing from
        Intune's (a local edit, "out of step") is set back to Intune's.
        """
        key = assignment_key(assignment.target_kind, assignment.target) if assignment else ""
        current = self.assignments.get(key)
        sets_same = assignment is None or (
            (current.include, current.exclude) if current else (frozenset(), frozenset())
        ) == (assignment.include, assignment.exclude)
        record_same = before is not None and encode(before) == encode(after)
        if record_same and sets_same:
            self.plan.unchanged.append(Entry(_kind(after), intune_id, _name(after)))
            return
        entries = self.plan.added if before is None else self.plan.updated
        entries.append(Entry(_kind(after), intune_id, _name(after)))
        if not record_same:
            origin = _origin(after)
            if origin is not None:
                after = replace(after, intune=replace(origin, pulled_at=self.now))
            self.plan.puts.append((TABLES[_kind(after)], encode(after)))
            self.plan.events.append(("intune.pull", _subject(after), _summary(before), _summary(after)))
        if blob:
            self.plan.blobs.append(blob)
        if assignment is not None and not sets_same:
            self._assign(current, assignment)

    def _assign(self, before: Assignment | None, after: Assignment) -> None:
        key = assignment_key(after.target_kind, after.target)
        self.written.add(key)
        if after.include or after.exclude:
            self.plan.puts.append(("assignments", encode(after)))
        elif before is not None:
            self.plan.removes.append(("assignments", key))
        self.plan.events.append(("assignment.set", key, _sets(before), _sets(after)))

    def mark_gone(self, stored: Sequence[Record], seen: set[str]) -> None:
        """Every live pulled record whose Intune object is no longer there: kept, marked gone."""
        for record in stored:
            origin = _origin(record)
            if origin is None or origin.gone or origin.intune_id in seen:
                continue
            after = replace(record, intune=replace(origin, gone=True, pulled_at=self.now))
            self.plan.puts.append((TABLES[_kind(record)], encode(after)))
            self.plan.events.append(("intune.gone", _subject(record), _summary(record), _summary(after)))
            self.plan.gone.append(Entry(_kind(record), origin.intune_id, _name(record)))

    def fail(self, pulled: Pulled, code: str, message: str) -> None:
        self.plan.failed.append(Entry(pulled.kind, pulled.intune_id, pulled.name, code, message))

    def report(self, item: Pulled) -> None:
        """An object that could not be read as a record: failed, with its code."""
        error = item.error
        self.fail(item, error.code if error else "intune-bad", error.message if error else "unreadable")

    def groups(self, pulled: Sequence[Pulled], stored: Sequence[Group]) -> dict[str, str]:
        """Place every pulled group; returns Entra ID -> provdesk group name."""
        by_id = {g.intune.intune_id: g for g in stored if g.intune is not None}
        taken = {name.lower() for name in BUILTIN_GROUPS}
        taken |= {g.name.lower() for g in stored if g.intune is not None and g.intune.intune_id not in
                  {p.intune_id for p in pulled}}
        names: dict[str, str] = {}
        for item in sorted(pulled, key=lambda p: p.intune_id):
            group = item.record
            assert isinstance(group, Group) and group.intune is not None
            existing = by_id.get(item.intune_id)
            local = next((g for g in stored if g.name.lower() == group.name.lower()), None)
            name = group.name
            if name.lower() in taken or (local is not None and local is not existing
                                         and (local.intune is not None or existing is not None)):
                name = f"{group.name} ({item.intune_id[:8]})"
            if existing is None and local is not None and local.intune is None and name == group.name:
                existing = local
            taken.add(name.lower())
            names[item.intune_id] = name
            held = existing.intune.pulled_at if existing and existing.intune else self.now
            after = replace(existing or group, name=name, kind=group.kind, description=group.description,
                            builtin=False, intune=replace(group.intune, pulled_at=held))
            if existing is not None and existing.name != name:
                self.plan.removes.append(("groups", existing.name))
                self.renames[existing.name] = name
            self.settle(existing, after, item.intune_id)
        self.mark_gone(stored, {p.intune_id for p in pulled})
        return names

    def targets(self, kind: TargetKind, target: str, item: Pulled, names: Mapping[str, str],
                held: datetime | None, base: IntuneOrigin) -> tuple[IntuneOrigin, Assignment]:
        include, exclude = sets_of(item.targets, names)
        origin = replace(base, pulled_at=held or self.now, gone=False, include=include, exclude=exclude,
                         targets=tuple(sorted(canonical(t) for t in item.targets)))
        return origin, Assignment(kind, target, include, exclude)

    def profiles(self, pulled: Sequence[Pulled], stored: Sequence[Profile], names: Mapping[str, str]) -> None:
        """Place every pulled configuration as a profile keyed by its payload's UUID."""
        live = {p.intune.intune_id: p for p in stored if p.intune is not None and not p.intune.gone}
        by_uuid = {p.uuid: p for p in stored}
        replaced: list[Profile] = []
        for item in pulled:
            pulled_profile = item.record
            if item.error is not None or not isinstance(pulled_profile, Profile):
                self.report(item)
                continue
            existing = live.get(item.intune_id)
            if existing is not None and existing.uuid != pulled_profile.uuid:
                replaced.append(existing)
                existing = None
            local = by_uuid.get(pulled_profile.uuid)
            if existing is None and local is not None:
                origin = local.intune
                if origin is not None and not origin.gone and origin.intune_id != item.intune_id:
                    self.fail(item, "duplicate-uuid", f"UUID {local.uuid} is already pulled from Intune "
                              f"configuration {origin.intune_id} ({local.label!r})")
                    continue
                if local.file_sha256 != pulled_profile.file_sha256:
                    self.fail(item, "duplicate-uuid", f"UUID {local.uuid} is stored as {local.label!r} "
                              "from another file; delete that one first to pull this one")
                    continue
                existing = local
            same_file = existing is not None and existing.file_sha256 == pulled_profile.file_sha256
            base = existing if existing is not None and same_file else pulled_profile
            held = existing.intune.pulled_at if existing and existing.intune else None
            assert pulled_profile.intune is not None
            origin, assignment = self.targets("profile", pulled_profile.uuid, item, names, held,
                                              pulled_profile.intune)
            after = replace(
                base, display_name=pulled_profile.display_name, description=pulled_profile.description,
                file_name=pulled_profile.file_name, intune=origin,
                imported_by=existing.imported_by if existing else self.actor,
                imported_at=existing.imported_at if existing else self.now,
                revision=existing.revision if existing else base.revision,
            )
            self.settle(existing, after, item.intune_id, assignment, b"" if same_file else item.payload)
        self.mark_gone(replaced, set())
        self.mark_gone(stored, {p.intune_id for p in pulled} | {p.intune.intune_id for p in replaced
                                                                 if p.intune is not None})

    def apps(self, pulled: Sequence[Pulled], stored: Sequence[App], names: Mapping[str, str]) -> None:
        """Place every pulled LOB app by bundle ID; an app added from its .ipa keeps what the .ipa says."""
        live = {a.intune.intune_id: a for a in stored if a.intune is not None and not a.intune.gone}
        by_bundle = {a.bundle_id: a for a in stored}
        for item in pulled:
            app = item.record
            if item.error is not None or not isinstance(app, App):
                self.report(item)
                continue
            existing = live.get(item.intune_id) or by_bundle.get(app.bundle_id)
            origin = _origin(existing)
            if existing is not None and existing.bundle_id != app.bundle_id:
                self.fail(item, "intune-bundle-changed", f"the app's bundle ID changed from "
                          f"{existing.bundle_id} to {app.bundle_id}; delete the old record to pull it")
                continue
            if origin is not None and not origin.gone and origin.intune_id != item.intune_id:
                self.fail(item, "duplicate-app", f"{app.bundle_id} is already pulled from Intune app "
                          f"{origin.intune_id}")
                continue
            held = origin.pulled_at if origin is not None and origin.intune_id == item.intune_id else None
            assert app.intune is not None
            intune, assignment = self.targets("app", app.bundle_id, item, names, held, app.intune)
            if existing is None:
                after = replace(app, intune=intune, added_by=self.actor, added_at=self.now)
            elif existing.file_sha256:
                after = replace(existing, name=app.name, intune=intune)
            else:
                after = replace(existing, name=app.name, version=app.version, build=app.build, intune=intune)
            self.settle(existing, after, item.intune_id, assignment)
        self.mark_gone(stored, {p.intune_id for p in pulled})

    def _renamed(self, names: frozenset[str]) -> frozenset[str]:
        return frozenset(self.renames.get(n, n) for n in names)

    def rename_in_assignments(self) -> None:
        """Assignments not set by this pull follow a renamed Entra group to its new name."""
        if not self.renames:
            return
        for key, before in self.assignments.items():
            if key in self.written:
                continue
            after = replace(before, include=self._renamed(before.include),
                            exclude=self._renamed(before.exclude))
            if after != before:
                self._assign(before, after)


def plan_pull(
    *, profiles: Sequence[Pulled], apps: Sequence[Pulled], groups: Sequence[Pulled],
    stored_profiles: Sequence[Profile], stored_apps: Sequence[App], stored_groups: Sequence[Group],
    assignments: Iterable[Assignment], now: datetime, actor: str,
) -> PullPlan:
    """Decide a whole pull: groups first (their names), then profiles and apps, then renames."""
    planner = _Planner(assignments, now, actor)
    names = planner.groups(groups, [g for g in stored_groups if not g.builtin])
    planner.profiles(profiles, stored_profiles, names)
    planner.apps(apps, stored_apps, names)
    planner.rename_in_assignments()
    return planner.plan
