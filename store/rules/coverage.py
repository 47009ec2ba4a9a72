"""Which profiles cover which app, and which groups everything reaches: what the timeline asks.

Why a separate module: the naive question ("for every group, app and profile, does the
profile pass preflight?") is groups x apps x profiles preflights, far too slow for a
fleet of thousands. Coverage of an app by a profile does not depend on the group (a
group only decides *whether* the pair meets), so we resolve each assignment once, judge
each profile's app-independent checks once, find an app's candidates through the index
(team, app ID, certificate) and judge entitlements once per distinct grant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from store.model import App, Fleet, GroupKind, Profile
from store.rules.assignment import group_kinds, groups_by_kind, resolve_with
from store.rules.entitlements import entitlements_allowed
from store.rules.index import ProfileIndex
from store.rules.preflight import preflight, profile_usable

# Coverage is judged for a whole group; user and device groups are judged alike.
GROUP_CONTEXT: GroupKind = "user"


class Coverage:
    """Everything the timeline, suggestions and effects ask of one fleet at one moment."""

    def __init__(self, fleet: Fleet, now: datetime) -> None:
        self.fleet = fleet
        self.now = now
        self.kinds = group_kinds(fleet)
        self._usable: dict[str, bool] = {}
        self.index = ProfileIndex(p for p in fleet.profiles if self.usable(p))
        self.profiles = {p.uuid: p for p in fleet.profiles}
        self.profile_groups: dict[str, frozenset[str]] = {}
        self.app_groups: dict[str, frozenset[str]] = {}
        self.warnings: list[str] = []
        self._covering: dict[str, tuple[Profile, ...]] = {}
        self._embedded: dict[str, Profile | None] = {}
        by_kind = groups_by_kind(self.kinds)
        for assignment in fleet.assignments:
            resolution = resolve_with(assignment, self.kinds, by_kind)
            self.warnings.extend(resolution.warnings)
            if assignment.target_kind == "profile":
                if assignment.target in self.profiles:
                    self.profile_groups[assignment.target] = resolution.groups
            else:
                self.app_groups[assignment.target] = resolution.groups

    def profiles_reaching(self, groups: Iterable[str]) -> dict[str, list[str]]:
        """The stored profiles (UUIDs) assigned to each of ``groups``, for groups that hold no apps.

        Asked only for the few groups that need it: filing every profile under every group
        All users reaches would cost more than the whole timeline.
        """
        wanted = frozenset(groups)
        found: dict[str, list[str]] = defaultdict(list)
        for uuid, reached in self.profile_groups.items():
            for group in wanted.intersection(reached):
                found[group].append(uuid)
        return found

    def usable(self, profile: Profile) -> bool:
        """The app-independent checks (signature, install for a group, expiry), once per profile."""
        verdict = self._usable.get(profile.uuid)
        if verdict is None:
            verdict = self._usable[profile.uuid] = profile_usable(profile, self.now, GROUP_CONTEXT)
        return verdict

    def covering(self, app: App) -> tuple[Profile, ...]:
        """Store profiles passing preflight for ``app``, latest expiry first (not yet filtered by group).

        The index holds only usable profiles and already settled app ID, team and
        certificate; what is left is the entitlements, judged once per distinct grant.
        """
        found = self._covering.get(app.bundle_id)
        if found is None:
            claimed, grants = app.entitlements, self.index.grants
            verdicts: dict[int, bool] = {}
            passing: list[Profile] = []
            for number, profiles in self.index.candidates(app):
                verdict = verdicts.get(number)
                if verdict is None:
                    verdict = verdicts[number] = entitlements_allowed(claimed, grants[number])
                if verdict:
                    passing.extend(profiles)
            found = tuple(sorted(passing, key=lambda p: (p.expires, p.uuid), reverse=True))
            self._covering[app.bundle_id] = found
        return found

    def embedded(self, app: App) -> Profile | None:
        """The app's own embedded profile when it passes preflight: it ships to every device with the app."""
        if app.bundle_id not in self._embedded:
            profile = app.embedded_profile
            ok = profile is not None and preflight(profile, app, self.now, GROUP_CONTEXT).ok
            self._embedded[app.bundle_id] = profile if ok else None
        return self._embedded[app.bundle_id]

    def best_by_group(self, app: App) -> dict[str, Profile | None]:
        """For each group ``app`` reaches, the latest-expiring profile covering it there, or embedded.

        Walks the covering profiles latest first and claims the still-open groups each one
        reaches (set intersections), so the cost follows the profiles, not groups x profiles.
        The embedded profile is preflighted only when it could matter: when a covering
        profile does not outlast it, or when groups are left over.
        """
        reached = self.app_groups.get(app.bundle_id, frozenset())
        shipped = app.embedded_profile
        best: dict[str, Profile | None] = {}
        open_groups = set(reached)
        for profile in self.covering(app):
            if not open_groups:
                break
            if shipped is not None and profile.expires <= shipped.expires and self.embedded(app) is not None:
                break
            claimed = open_groups.intersection(self.profile_groups.get(profile.uuid, ()))
            if claimed:
                best.update(dict.fromkeys(claimed, profile))
                open_groups -= claimed
        if open_groups:
            best.update(dict.fromkeys(open_groups, self.embedded(app)))
        return best
