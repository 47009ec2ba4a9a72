"""Small builders for test fleets made straight from the model dataclasses (no store, no files).

Every test in this folder describes its fleet in a few lines with these, so a table row
reads like the situation an admin is in: a team, a certificate, a profile or two, groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from store.model import (
    App,
    Assignment,
    Certificate,
    Fleet,
    Group,
    GroupKind,
    Profile,
    ProfileType,
    Signature,
    TargetKind,
    Thresholds,
    Trust,
)

TEAM = "ABCDE12345"
DEFAULT_THRESHOLDS = Thresholds()
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def days(n: float) -> datetime:
    """``NOW`` plus ``n`` days (negative for the past)."""
    return NOW + timedelta(days=n)


def cert(name: str = "dist", expires: datetime | None = None, team: str | None = TEAM) -> Certificate:
    """A distribution certificate whose fingerprint is derived from its name."""
    digest = (name.encode().hex() + "0" * 64)[:64]
    return Certificate(
        common_name=f"iPhone Distribution: {name}", team_id=team, serial=name, sha1=digest[:40],
        sha256=digest, not_before=days(-400), not_after=expires or days(900), kind="distribution",
    )


def profile(
    uuid: str,
    app_id: str = f"{TEAM}.com.acme.*",
    expires: datetime | None = None,
    certs: Iterable[Certificate] | None = None,
    *,
    type: ProfileType = "enterprise",
    signature: Signature = "valid",
    trust: Trust = "apple",
    entitlements: Mapping[str, Any] | None = None,
    team: str = TEAM,
    platforms: tuple[str, ...] = ("iOS",),
) -> Profile:
    """An enterprise profile (by default) for ``app_id`` holding ``certs`` (default: the ``dist`` cert)."""
    ents: Mapping[str, Any] = entitlements if entitlements is not None else {
        "application-identifier": app_id, "com.apple.developer.team-identifier": team,
        "keychain-access-groups": [f"{team}.*"], "get-task-allow": False, "aps-environment": "production",
    }
    devices = ("00008030-000A1B2C3D4E5F60",) if type in ("ad-hoc", "development") else ()
    return Profile(
        uuid=uuid, name=f"Profile {uuid}", app_id_name="Acme", app_id=app_id, team_id=team,
        team_name="Acme Corp", platforms=platforms, created=days(-100), expires=expires or days(200),
        type=type, device_count=len(devices), devices=devices, entitlements=ents,
        certificates=tuple(certs) if certs is not None else (cert(),), signature=signature, trust=trust,
    )


def app(
    bundle_id: str = "com.acme.mail",
    signing: Certificate | None = None,
    *,
    entitlements: Mapping[str, Any] | None = None,
    embedded: Profile | None = None,
    team: str = TEAM,
) -> App:
    """An app signed with ``signing`` (default: the ``dist`` cert) claiming ordinary entitlements."""
    ents: Mapping[str, Any] = entitlements if entitlements is not None else {
        "application-identifier": f"{team}.{bundle_id}", "com.apple.developer.team-identifier": team,
        "keychain-access-groups": [f"{team}.{bundle_id}"], "get-task-allow": False,
    }
    return App(
        bundle_id=bundle_id, name=bundle_id.rsplit(".", 1)[-1], signing_certificate=signing or cert(),
        entitlements=ents, embedded_profile=embedded,
    )


def groups(users: Iterable[str] = (), devices: Iterable[str] = ()) -> tuple[Group, ...]:
    """The built-in groups plus the named user and device groups."""
    built = [Group("All users", "user", builtin=True), Group("All devices", "device", builtin=True)]
    kinds: list[tuple[str, GroupKind]] = [(u, "user") for u in users] + [(d, "device") for d in devices]
    return (*built, *(Group(name, kind) for name, kind in kinds))


def assign(kind: str, target: str, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> Assignment:
    """An assignment of a profile (``kind='profile'``) or app (``kind='app'``)."""
    assert kind in ("profile", "app")
    target_kind: TargetKind = "profile" if kind == "profile" else "app"
    return Assignment(target_kind, target, frozenset(include), frozenset(exclude))


def fleet(
    profiles: Iterable[Profile] = (),
    apps: Iterable[App] = (),
    group_list: Iterable[Group] = (),
    assignments: Iterable[Assignment] = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Fleet:
    """A fleet from its parts; groups default to the built-ins only."""
    return Fleet(
        profiles=tuple(profiles), apps=tuple(apps), groups=tuple(group_list) or groups(),
        assignments=tuple(assignments), thresholds=thresholds,
    )
