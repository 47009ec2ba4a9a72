"""What a push changes in Intune's assignment set, decided before anything is sent.

``assign`` replaces the whole set, so a push always sends the full desired set; what an
admin must see first is the difference from what Intune holds now: targets added,
removed, and moved between include and exclude. Removals (and moves to exclude, which
take the profile away from a group just as surely) need confirmation. Targets provdesk
cannot express (other target types; filters on a target kept) are carried over verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from store.errors import StoreError
from store.intune.mapping import (
    BUILTIN_TARGETS,
    CONFIG_ASSIGNMENT,
    EXCLUDE,
    INCLUDE,
    Json,
    group_target,
    target_key,
)
from store.model import Assignment, Profile

_BUILTIN_KINDS = {name: kind for kind, name in BUILTIN_TARGETS.items()}


@dataclass(frozen=True)
class Change:
    """One target: its group (provdesk name) and side; ``before`` set for an include<->exclude move."""

    group: str
    side: str
    before: str | None = None

    def line(self, sign: str) -> str:
        """``+ include Sales`` / ``- exclude Kiosks`` / ``~ Sales: include -> exclude``."""
        if self.before is not None:
            return f"{sign} {self.group}: {self.before} -> {self.side}"
        return f"{sign} {self.side} {self.group}"


@dataclass(frozen=True)
class PushDiff:
    """The difference between Intune's assignments and provdesk's, and the full set to send."""

    added: tuple[Change, ...]
    removed: tuple[Change, ...]
    changed: tuple[Change, ...]
    kept_foreign: int
    desired: tuple[Json, ...]

    @property
    def empty(self) -> bool:
        """Intune already holds exactly provdesk's set."""
        return not (self.added or self.removed or self.changed)

    @property
    def needs_confirmation(self) -> bool:
        """Something is taken away from a group: a removal, or a move from include to exclude."""
        return bool(self.removed) or any(c.side == "exclude" for c in self.changed)

    def lines(self) -> list[str]:
        """The diff as an admin reads it, one target a line."""
        out = [c.line("+") for c in self.added] + [c.line("-") for c in self.removed]
        out += [c.line("~") for c in self.changed]
        if self.kept_foreign:
            out.append(f"= {self.kept_foreign} target(s) provdesk does not manage, kept as they are")
        return out or ["= no change: Intune already has this assignment"]

    def as_json(self) -> dict[str, Any]:
        """``added``/``removed``/``changed`` lists of ``{group, side}`` (``before`` for changes)."""
        def rows(changes: Sequence[Change]) -> list[dict[str, str]]:
            return [{"group": c.group, "side": c.side, **({"before": c.before} if c.before else {})}
                    for c in changes]
        return {"added": rows(self.added), "removed": rows(self.removed), "changed": rows(self.changed),
                "kept_foreign": self.kept_foreign}


def _side(kind: str) -> str:
    return "exclude" if kind == EXCLUDE else "include"


def desired_keys(assignment: Assignment, group_ids: Mapping[str, str]) -> dict[tuple[str, str | None], str]:
    """provdesk's assignment as Intune target keys -> group name; a group Intune does not know is refused."""
    keys: dict[tuple[str, str | None], str] = {}
    for side, names in (("include", assignment.include), ("exclude", assignment.exclude)):
        for name in sorted(names):
            if name in _BUILTIN_KINDS:
                if side == "exclude":
                    raise StoreError("intune-cannot-express", f"Intune cannot exclude {name}: remove that")
                keys[(_BUILTIN_KINDS[name], None)] = name
                continue
            group_id = group_ids.get(name)
            if group_id is None:
                raise StoreError("intune-unknown-group", f"group {name!r} is not an Entra group provdesk "
                                 "pulled: create it in Entra ID, run `provdesk intune pull`, then push")
            keys[(INCLUDE if side == "include" else EXCLUDE, group_id)] = name
    return keys


def push_diff(current: Sequence[Mapping[str, Any]], assignment: Assignment,
              group_ids: Mapping[str, str]) -> PushDiff:
    """Diff Intune's ``current`` targets against provdesk's ``assignment``; build the full set to send.

    ``group_ids`` maps provdesk group names to Entra IDs. A desired target Intune already
    has is re-sent as Intune holds it (its filter kept).
    """
    wanted = desired_keys(assignment, group_ids)
    names = {gid: name for name, gid in group_ids.items()}
    held: dict[tuple[str, str | None], Mapping[str, Any]] = {}
    foreign: list[Mapping[str, Any]] = []
    for target in current:
        key = target_key(target)
        if key[0] in (INCLUDE, EXCLUDE) or key[0] in BUILTIN_TARGETS:
            held.setdefault(key, target)
        else:
            foreign.append(target)

    def label(key: tuple[str, str | None]) -> str:
        if key[1] is None:
            return BUILTIN_TARGETS.get(key[0], key[0])
        return names.get(key[1], f"unknown group {key[1]}")

    moved = {key[1] for key in wanted if key[1] is not None} & {key[1] for key in held
                                                                 if key[1] is not None and key not in wanted}
    changed = tuple(Change(wanted[key], _side(key[0]), _side(INCLUDE if key[0] == EXCLUDE else EXCLUDE))
                    for key in sorted(wanted, key=str) if key not in held and key[1] in moved)
    added = tuple(Change(wanted[key], _side(key[0])) for key in sorted(wanted, key=str)
                  if key not in held and key[1] not in moved)
    removed = tuple(Change(label(key), _side(key[0])) for key in sorted(held, key=str)
                    if key not in wanted and key[1] not in moved)
    targets = [dict(held[key]) if key in held else group_target(key[0], key[1]) for key in wanted]
    targets += [dict(t) for t in foreign]
    desired = tuple({"@odata.type": CONFIG_ASSIGNMENT, "target": t} for t in targets)
    return PushDiff(added, removed, changed, len(foreign), desired)


def out_of_step(profile: Profile, include: frozenset[str], exclude: frozenset[str]) -> bool:
    """Whether provdesk's assignment of a pulled profile differs from Intune's as last seen."""
    origin = profile.intune
    return origin is not None and not origin.gone and (origin.include, origin.exclude) != (include, exclude)


def same_targets(sent: Sequence[Mapping[str, Any]], read_back: Sequence[Mapping[str, Any]]) -> bool:
    """Whether Intune's assignments after a push are exactly the set sent (by target identity)."""
    return sorted(map(target_key, sent), key=str) == sorted(map(target_key, read_back), key=str)
