"""Groups and assignments: who each profile and app is included for, and excluded from.

As in Intune, All users and All devices always exist and cannot be deleted; a group still
named by an assignment is deleted only when forced, and then leaves every assignment in
the same audited transaction, so no assignment ever names a group that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from store.db.codec import assignment_key, encode
from store.db.core import StoreCore, reads
from store.db.refs import resolve_group_ref
from store.db.tx import Tx
from store.db.views import builtin_groups
from store.errors import StoreError
from store.model import BUILTIN_GROUPS, Assignment, Group, GroupKind, TargetKind

KINDS: tuple[GroupKind, ...] = ("user", "device")


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
            tx.put("groups", encode(group))
            tx.audit("group.add", f"group:{clean}", None, encode(group))
        return group

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

    def assign(
        self, target_kind: TargetKind, ref: str, include: Iterable[str], exclude: Iterable[str],
        clear: bool = False,
    ) -> Assignment:
        """Add groups to a profile's or app's include/exclude sets (or replace them with ``clear``).

        Naming a group on one side moves it off the other; naming it on both is refused,
        as is an unknown group (the error lists the groups there are).
        """
        include_names, exclude_names = list(include), list(exclude)
        with self.transaction() as tx:
            if target_kind == "profile":
                target = self._find_profile(ref).uuid
            elif target_kind == "app":
                target = self._find_app(ref).bundle_id
            else:
                raise StoreError("bad-target", f"assignments are for a profile or an app: {target_kind!r}")
            groups = self._groups()
            inc = {resolve_group_ref(groups, n).name for n in include_names}
            exc = {resolve_group_ref(groups, n).name for n in exclude_names}
            both = inc & exc
            if both:
                names = ", ".join(sorted(both))
                raise StoreError("conflicting-groups", f"{names} cannot be both included and excluded")
            doc = tx.get("assignments", assignment_key(target_kind, target))
            before = Assignment(target_kind, target)
            if doc is not None:
                before = Assignment(target_kind, target, frozenset(doc["include"]), frozenset(doc["exclude"]))
            base_inc, base_exc = (set(), set()) if clear else (set(before.include), set(before.exclude))
            after = Assignment(
                target_kind, target, frozenset((base_inc - exc) | inc), frozenset((base_exc - inc) | exc)
            )
            self._store_assignment(tx, before, after)
        return after

    def _store_assignment(self, tx: Tx, before: Assignment, after: Assignment) -> None:
        """Write (or drop, when empty) one assignment with its audit event; unchanged -> nothing."""
        if before.include == after.include and before.exclude == after.exclude:
            return
        key = assignment_key(after.target_kind, after.target)
        if after.include or after.exclude:
            tx.put("assignments", encode(after))
        else:
            tx.remove("assignments", key)
        tx.audit("assignment.set", key, _sets(before), _sets(after))
