"""Groups and assignments: who each profile and app is included for, and excluded from.

As in Intune, All users and All devices always exist and cannot be deleted; a group still
named by an assignment is deleted only when forced, and then leaves every assignment in
the same audited transaction, so no assignment ever names a group that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from store.db.codec import assignment_key, encode
from store.db.core import StoreCore, reads
from store.db.refs import resolve_group_ref
from store.db.revisions import require_revision
from store.db.tx import Tx
from store.db.views import builtin_groups
from store.errors import StoreError
from store.model import BUILTIN_GROUPS, Assignment, Group, GroupKind, TargetKind, from_json

KINDS: tuple[GroupKind, ...] = ("user", "device")


def _facts(group: Group) -> dict[str, str]:
    """A group as the audit trail records it."""
    return {"name": group.name, "kind": group.kind, "description": group.description}


def _sets(assignment: Assignment) -> dict[str, list[str]]:
    """An assignment's groups as the audit trail records them."""
    return {"include": sorted(assignment.include), "exclude": sorted(assignment.exclude)}


class GroupsMixin(StoreCore):
    """The group and assignment half of the repository API."""

    def _groups(self) -> tuple[Group, ...]:
        return builtin_groups() + self._table("groups", Group)

    def add_group(self, name: str, kind: str, description: str = "") -> Group:
        """Create a user or device group (names are unique, case-insensitively)."""
        clean = name.strip()
        if not clean:
            raise StoreError("bad-group", "a group needs a name")
        if kind not in KINDS:
            raise StoreError("bad-kind", f"a group's kind is user or device, not {kind!r}")
        group = Group(clean, "user" if kind == "user" else "device", description)
        with self.transaction() as tx:
            clash = [g for g in self._groups() if g.name.lower() == clean.lower()]
            if clash:
                raise StoreError("duplicate-group", f"a group named {clash[0].name!r} already exists")
            group = replace(group, revision=tx.put("groups", encode(group)))
            tx.audit("group.add", f"group:{clean}", None, encode(group))
        return group

    def update_group(
        self, name: str, *, new_name: str | None = None, description: str | None = None,
        kind: str | None = None, expected_revision: int | None = None,
    ) -> Group:
        """Rename a group, or change its description or kind (audited); built-ins stay as they are.

        A rename moves the group in every assignment naming it, in the same transaction,
        so no assignment is ever left naming a group that no longer exists.
        """
        with self.transaction() as tx:
            before = resolve_group_ref(self._groups(), name)
            if before.builtin:
                raise StoreError("builtin-group", f"{before.name} is built in and cannot be changed")
            subject = f"group:{before.name}"
            require_revision(self, f"group {before.name!r}", subject, before, expected_revision)
            clean = before.name if new_name is None else new_name.strip()
            if not clean:
                raise StoreError("bad-group", "a group needs a name")
            if kind is not None and kind not in KINDS:
                raise StoreError("bad-kind", f"a group's kind is user or device, not {kind!r}")
            if clean != before.name:
                clash = [g for g in self._groups()
                         if g.name.lower() == clean.lower() and g.name != before.name]
                if clash:
                    raise StoreError("duplicate-group", f"a group named {clash[0].name!r} already exists")
            after = replace(
                before, name=clean, kind="device" if kind == "device" else "user" if kind else before.kind,
                description=before.description if description is None else description.strip(),
            )
            if after == before:
                return before
            if clean != before.name:
                self._rename_in_assignments(tx, before.name, clean)
                tx.remove("groups", before.name)
            after = replace(after, revision=tx.put("groups", {**encode(after), "revision": before.revision}))
            tx.audit("group.update", f"group:{after.name}", _facts(before), _facts(after))
        return after

    def _rename_in_assignments(self, tx: Tx, old: str, new: str) -> None:
        """Every assignment naming ``old`` names ``new`` instead (each one audited)."""
        for current in self._table("assignments", Assignment):
            if old in current.include or old in current.exclude:
                before = self._assignment(tx, current.target_kind, current.target)

                def swap(names: frozenset[str]) -> frozenset[str]:
                    return frozenset(new if n == old else n for n in names)

                after = replace(before, include=swap(before.include), exclude=swap(before.exclude))
                self._store_assignment(tx, before, after)

    @reads
    def resolve_group(self, name: str) -> Group:
        """The group called ``name`` (built-ins included)."""
        self._refresh()
        return resolve_group_ref(self._groups(), name)

    def delete_group(self, name: str, force: bool = False) -> Group:
        """Delete a group; if assignments use it, only with ``force``, which removes it from them."""
        with self.transaction() as tx:
            group = resolve_group_ref(self._groups(), name)
            if group.builtin or group.name in BUILTIN_GROUPS:
                raise StoreError("builtin-group", f"{group.name} is built in and cannot be deleted")
            users = [a for a in self._table("assignments", Assignment)
                     if group.name in a.include or group.name in a.exclude]
            if users and not force:
                named = ", ".join(f"{a.target_kind} {a.target}" for a in users[:5])
                raise StoreError(
                    "group-in-use",
                    f"group {group.name!r} is used by {len(users)} assignment(s) ({named}); use --force to "
                    "delete it and remove it from them",
                )
            for before in users:
                after = Assignment(before.target_kind, before.target, before.include - {group.name},
                                   before.exclude - {group.name})
                self._store_assignment(tx, before, after)
            tx.remove("groups", group.name)
            tx.audit("group.delete", f"group:{group.name}", encode(group), None)
        return group

    def _target(self, target_kind: TargetKind, ref: str) -> tuple[str, str]:
        """The key of the profile or app ``ref`` names, and how a person calls it."""
        if target_kind == "profile":
            profile = self._find_profile(ref)
            return profile.uuid, f"profile {profile.label!r}"
        if target_kind == "app":
            app = self._find_app(ref)
            return app.bundle_id, f"app {app.name!r}"
        raise StoreError("bad-target", f"assignments are for a profile or an app: {target_kind!r}")

    def _assignment(self, tx: Tx, target_kind: TargetKind, target: str) -> Assignment:
        """The stored assignment of one target inside ``tx`` (an empty revision-0 one when none)."""
        doc = tx.get("assignments", assignment_key(target_kind, target))
        if doc is None:
            return Assignment(target_kind, target)
        assignment: Assignment = from_json(Assignment, doc)
        return assignment

    @reads
    def assignment_of(self, target_kind: TargetKind, ref: str) -> Assignment:
        """The current assignment of a profile or app, with its revision (what a form opens)."""
        self._refresh()
        target, _ = self._target(target_kind, ref)
        return self.fleet().assignment_for(target_kind, target)

    def assign(
        self, target_kind: TargetKind, ref: str, include: Iterable[str], exclude: Iterable[str],
        clear: bool = False, expected_revision: int | None = None,
    ) -> Assignment:
        """Add groups to a profile's or app's include/exclude sets (or replace them with ``clear``).

        Naming a group on one side moves it off the other; naming it on both is refused,
        as is an unknown group (the error lists the groups there are). With
        ``expected_revision`` (what a console form read), a change made meanwhile by anyone
        else is refused with ``changed-underneath`` instead of being overwritten.
        """
        include_names, exclude_names = list(include), list(exclude)
        with self.transaction() as tx:
            target, label = self._target(target_kind, ref)
            before = self._assignment(tx, target_kind, target)
            key = assignment_key(target_kind, target)
            require_revision(self, f"the assignment of {label}", key, before, expected_revision)
            groups = self._groups()
            inc = {resolve_group_ref(groups, n).name for n in include_names}
            exc = {resolve_group_ref(groups, n).name for n in exclude_names}
            both = inc & exc
            if both:
                names = ", ".join(sorted(both))
                raise StoreError("conflicting-groups", f"{names} cannot be both included and excluded")
            base_inc, base_exc = (set(), set()) if clear else (set(before.include), set(before.exclude))
            after = Assignment(
                target_kind, target, frozenset((base_inc - exc) | inc), frozenset((base_exc - inc) | exc),
                before.revision,
            )
            after = self._store_assignment(tx, before, after)
        return after

    def _store_assignment(self, tx: Tx, before: Assignment, after: Assignment) -> Assignment:
        """Write one assignment with its audit event; unchanged -> nothing. Returns it as stored.

        An emptied assignment stays as an empty document rather than being dropped, so its
        revision keeps counting: a form that read revision 3 must never meet a new revision 3.
        """
        if before.include == after.include and before.exclude == after.exclude:
            return before
        key = assignment_key(after.target_kind, after.target)
        after = replace(after, revision=tx.put("assignments", encode(after)))
        tx.audit("assignment.set", key, _sets(before), _sets(after))
        return after
