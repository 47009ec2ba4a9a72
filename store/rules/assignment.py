"""Assignment resolution as Intune does it, at group level.

Why a rule of its own: the whole timeline hangs on "which groups does this profile
(or app) actually reach", and Intune's answer has two traps admins fall into. All
users / All devices fan out to every group of their kind, and an exclusion only
removes groups of the *same* kind as the included target: a device group excluded
under All users excludes nobody. We reproduce that, and say so as a warning wherever
it happens, because the portal silently accepts it.

Groups are units: with no membership data a user group and a device group never
overlap, and a group is either fully reached or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from store.model import ALL_DEVICES, ALL_USERS, BUILTIN_GROUPS, Assignment, Fleet, GroupKind

_ALL_OF_KIND: dict[str, GroupKind] = {ALL_USERS: "user", ALL_DEVICES: "device"}


@dataclass(frozen=True)
class Resolution:
    """The groups an assignment reaches, and what the admin should be told about it."""

    groups: frozenset[str]
    warnings: tuple[str, ...]


def group_kinds(fleet: Fleet) -> dict[str, GroupKind]:
    """Every group's kind by name, built-ins included even if the fleet omits them.

    Exposed so callers resolving many assignments build this map once.
    """
    kinds: dict[str, GroupKind] = dict(BUILTIN_GROUPS)
    for group in fleet.groups:
        kinds[group.name] = group.kind
    return kinds


def _expand(
    name: str, kinds: Mapping[str, GroupKind], by_kind: Mapping[GroupKind, frozenset[str]]
) -> set[str]:
    """One named target as the set of groups it stands for (All users -> every user group)."""
    if name in _ALL_OF_KIND:
        return set(by_kind[_ALL_OF_KIND[name]]) | {name}
    return {name}


def _names(names: Iterable[str]) -> str:
    """A short, quoted list of group names for a warning."""
    ordered = sorted(names)
    shown = ", ".join(f"'{n}'" if n not in _ALL_OF_KIND else n for n in ordered[:3])
    return shown + (f" and {len(ordered) - 3} more" if len(ordered) > 3 else "")


def resolve_with(
    assignment: Assignment,
    kinds: Mapping[str, GroupKind],
    by_kind: Mapping[GroupKind, frozenset[str]],
) -> Resolution:
    """:func:`resolve_targets` with the fleet's group maps precomputed (the timeline's hot path).

    The common case (known groups, no built-in, no exclusion) reaches exactly what it includes.
    """
    include = assignment.include
    if not assignment.exclude and not include & _ALL_OF_KIND.keys() and include <= kinds.keys():
        return Resolution(include, ())
    warnings: list[str] = []
    reached: set[str] = set()
    included_kinds: dict[GroupKind, set[str]] = {"user": set(), "device": set()}
    for name in sorted(include):
        kind = kinds.get(name)
        if kind is None:
            warnings.append(f"'{name}' is not a known group: including it reaches nobody")
            continue
        included_kinds[kind].add(name)
        reached |= _expand(name, kinds, by_kind)
    for name in sorted(assignment.exclude):
        kind = kinds.get(name)
        if kind is None:
            warnings.append(f"'{name}' is not a known group: excluding it excludes nobody")
            continue
        if not included_kinds[kind] and (included_kinds["user"] or included_kinds["device"]):
            other: GroupKind = "user" if kind == "device" else "device"
            warnings.append(
                f"'{name}' is a {kind} group: excluding it under {_names(included_kinds[other])} "
                "excludes nobody"
            )
            continue
        reached -= _expand(name, kinds, by_kind)
    return Resolution(frozenset(reached), tuple(warnings))


def resolve_targets(fleet: Fleet, assignment: Assignment) -> Resolution:
    """The groups ``assignment`` reaches in ``fleet``, with warnings for exclusions that do nothing.

    Included groups reach themselves; All users reaches itself and every user group,
    All devices itself and every device group; an excluded group removes a target only
    when it is of the same kind. Unknown group names reach or exclude nobody, with a warning.
    """
    kinds = group_kinds(fleet)
    return resolve_with(assignment, kinds, groups_by_kind(kinds))


def groups_by_kind(kinds: Mapping[str, GroupKind]) -> dict[GroupKind, frozenset[str]]:
    """User groups and device groups, each as one set (All users / All devices fan out to these)."""
    return {
        "user": frozenset(n for n, k in kinds.items() if k == "user"),
        "device": frozenset(n for n, k in kinds.items() if k == "device"),
    }
