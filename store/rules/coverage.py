"""Which profiles cover which app, and which groups everything reaches: the timeline's indexes.

Why a separate module: the naive question ("for every group, app and profile, does the
profile pass preflight?") is groups x apps x profiles preflights, far too slow for a
fleet of thousands. Coverage of an app by a profile does not depend on the group (a
group only decides *whether* the pair meets), so we resolve each assignment once,
find an app's candidate profiles through indexes (app ID exact and wildcard prefix,
signing certificate SHA-256, team) and run preflight once per candidate pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from store.model import App, Fleet, GroupKind, Profile
from store.rules.appid import split_app_id
from store.rules.assignment import group_kinds, groups_by_kind, resolve_with
from store.rules.preflight import app_team, preflight

# Coverage is judged for a whole group; user and device groups are judged alike.
GROUP_CONTEXT: GroupKind = "user"


class ProfileIndex:
    """Profiles by app-ID pattern (exact and wildcard prefix) and by certificate SHA-256."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.exact: dict[str, list[Profile]] = defaultdict(list)
        self.prefixes: dict[str, list[Profile]] = defaultdict(list)
        self.by_certificate: dict[str, set[str]] = defaultdict(set)
        self.by_team: dict[str, list[Profile]] = defaultdict(list)
        for profile in profiles:
            pattern = split_app_id(profile.app_id)[1]
            if pattern.endswith("*"):
                self.prefixes[pattern[:-1]].append(profile)
            else:
                self.exact[pattern].append(profile)
            for cert in profile.certificates:
                self.by_certificate[cert.sha256.lower()].add(profile.uuid)
            self.by_team[profile.team_id].append(profile)

    def candidates(self, app: App) -> list[Profile]:
        """Profiles whose app ID could cover ``app`` and, when known, that list its certificate and team."""
        bundle = app.bundle_id
        found = list(self.exact.get(bundle, ()))
        for end in range(len(bundle) + 1):
            found.extend(self.prefixes.get(bundle[:end], ()))
        if app.signing_certificate is not None:
            holders = self.by_certificate.get(app.signing_certificate.sha256.lower(), set())
            found = [p for p in found if p.uuid in holders]
        team = app_team(app)
        if team is not None:
            found = [p for p in found if team in (p.team_id, split_app_id(p.app_id)[0])]
        return found


class Coverage:
    """Everything the timeline, suggestions and effects ask of one fleet at one moment."""

    def __init__(self, fleet: Fleet, now: datetime) -> None:
        self.fleet = fleet
        self.now = now
        self.kinds = group_kinds(fleet)
        self.index = ProfileIndex(fleet.profiles)
        self.profiles = {p.uuid: p for p in fleet.profiles}
        self.profile_groups: dict[str, frozenset[str]] = {}
        self.app_groups: dict[str, frozenset[str]] = {}
        self.group_profiles: dict[str, set[str]] = defaultdict(set)
        self.warnings: list[str] = []
        self._covering: dict[str, tuple[Profile, ...]] = {}
        self._passes: dict[tuple[str, str], bool] = {}
        self._embedded: dict[str, Profile | None] = {}
        by_kind = groups_by_kind(self.kinds)
        for assignment in fleet.assignments:
            resolution = resolve_with(assignment, self.kinds, by_kind)
            self.warnings.extend(resolution.warnings)
            if assignment.target_kind == "profile":
                if assignment.target in self.profiles:
                    self.profile_groups[assignment.target] = resolution.groups
                    for group in resolution.groups:
                        self.group_profiles[group].add(assignment.target)
            else:
                self.app_groups[assignment.target] = resolution.groups

    def passes(self, profile: Profile, app: App) -> bool:
        """Preflight of one pair for a whole group, computed once per (profile, app)."""
        key = (profile.uuid, app.bundle_id)
        cached = self._passes.get(key)
        if cached is None:
            cached = preflight(profile, app, self.now, GROUP_CONTEXT).ok
            self._passes[key] = cached
        return cached

    def covering(self, app: App) -> tuple[Profile, ...]:
        """Store profiles passing preflight for ``app``, latest expiry first (not yet filtered by group)."""
        found = self._covering.get(app.bundle_id)
        if found is None:
            passing = {p.uuid: p for p in self.index.candidates(app) if self.passes(p, app)}
            found = tuple(sorted(passing.values(), key=lambda p: (p.expires, p.uuid), reverse=True))
            self._covering[app.bundle_id] = found
        return found

    def embedded(self, app: App) -> Profile | None:
        """The app's own embedded profile when it passes preflight: it ships to every device with the app."""
        if app.bundle_id not in self._embedded:
            profile = app.embedded_profile
            ok = profile is not None and preflight(profile, app, self.now, GROUP_CONTEXT).ok
            self._embedded[app.bundle_id] = profile if ok else None
        return self._embedded[app.bundle_id]

    def best_in_group(self, app: App, group: str) -> Profile | None:
        """The latest-expiring profile that covers ``app`` in ``group`` (assigned there, or embedded)."""
        best = self.embedded(app)
        for profile in self.covering(app):
            if group in self.profile_groups.get(profile.uuid, ()):
                if best is None or profile.expires > best.expires:
                    best = profile
                break
        return best
