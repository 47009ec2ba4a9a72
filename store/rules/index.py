"""Profiles filed so that an app finds the few that could cover it without looking at the rest.

Why: the naive timeline preflights every (group, app, profile) triple; at 500 groups,
2,000 apps and 5,000 profiles that is billions of checks. Whether a profile can cover
an app is decided by its team and app ID (exact or wildcard prefix), the certificates
it lists and the entitlements it grants, none of which depend on the group. So we file
each usable profile under (team, app-ID pattern) and, inside each bucket, gather the
profiles that are interchangeable for that question (same certificates, same grants):
an app then judges one representative set per class instead of every profile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any

from store.model import App, Profile
from store.rules.appid import split_app_id
from store.rules.preflight import app_team

Bucket = dict[tuple[int, frozenset[str]], list[Profile]]


def freeze(value: Any) -> Hashable:
    """A plist value as a hashable one (lists to tuples, dicts to sorted pairs), types kept apart."""
    if isinstance(value, Mapping):
        return ("dict", tuple(sorted((str(k), freeze(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(freeze(v) for v in value))
    if isinstance(value, str | bool | int | float | bytes) or value is None:
        return (type(value).__name__, value)
    return ("repr", repr(value))


def grant_key(entitlements: Mapping[str, Any]) -> Hashable:
    """A hashable name for a set of granted entitlements: equal grants, equal keys.

    The quick form (top-level types kept apart, so ``True`` never passes for ``1``) covers
    ordinary profiles; nested containers fall back to :func:`freeze`. Key order is kept, so
    two equal grants written in another order only lose sharing, never correctness.
    """
    quick: Hashable = tuple((k, type(v), tuple(v) if type(v) is list else v) for k, v in entitlements.items())
    try:
        hash(quick)
    except TypeError:
        return freeze(entitlements)
    return quick


class ProfileIndex:
    """Usable profiles by (team, app-ID pattern), each bucket split into interchangeable classes.

    A profile is filed under its team, under its app ID's prefix (old profiles carry a seed
    prefix that differs from the team) and under ``None`` for apps whose team is unknown.
    A class is keyed by (grant number, certificate SHA-256 set); ``grants`` maps each
    distinct grant number to one profile's entitlements, to judge it once per app.
    """

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.exact: dict[tuple[str | None, str], Bucket] = defaultdict(lambda: defaultdict(list))
        self.prefixes: dict[tuple[str | None, str], Bucket] = defaultdict(lambda: defaultdict(list))
        self.grants: list[Mapping[str, Any]] = []
        numbers: dict[Hashable, int] = {}
        for profile in profiles:
            key = grant_key(profile.entitlements)
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = len(self.grants)
                self.grants.append(profile.entitlements)
            certs = frozenset(c.sha256.lower() for c in profile.certificates)
            prefix, pattern = split_app_id(profile.app_id)
            table, filed = (self.prefixes, pattern[:-1]) if pattern.endswith("*") else (self.exact, pattern)
            for team in {profile.team_id, prefix, None}:
                table[(team, filed)][(number, certs)].append(profile)
        self.prefix_lengths = sorted({len(filed) for _, filed in self.prefixes})

    def candidates(self, app: App) -> Iterator[tuple[int, list[Profile]]]:
        """Classes of profiles whose team and app ID cover ``app`` and that list its certificate (if known).

        Yields (grant number, profiles): together exactly the profiles passing preflight's
        app-ID and certificate checks (a property test holds the two together). The app's
        team picks the buckets; each profile appears at most once.
        """
        bundle, team = app.bundle_id, app_team(app)
        cert = app.signing_certificate.sha256.lower() if app.signing_certificate is not None else None
        buckets = [self.exact.get((team, bundle))]
        ends = [end for end in self.prefix_lengths if end <= len(bundle)]
        buckets += [self.prefixes.get((team, bundle[:end])) for end in ends]
        for bucket in buckets:
            if bucket is None:
                continue
            for (number, certs), profiles in bucket.items():
                if cert is None or cert in certs:
                    yield number, profiles
