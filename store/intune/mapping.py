"""Graph objects as provdesk records, and provdesk assignments as Graph targets.

No HTTP and no store here: functions of JSON in, model out (and back), so the shapes the
research note documents are pinned by plain unit tests. Decisions kept in one place:

- A group is a **device** group when its dynamic ``membershipRule`` names ``device.``
  properties, else when its members (first page) are devices and no users; otherwise
  (``user.`` rules, user members, mixed or empty static groups) it is a **user** group.
- Targets: ``groupAssignmentTarget`` includes a group, ``exclusionGroupAssignmentTarget``
  excludes it, ``allLicensedUsersAssignmentTarget`` / ``allDevicesAssignmentTarget`` are
  provdesk's built-in All users / All devices. Other target types and assignment filters
  have no provdesk form: they are kept verbatim and re-sent by a push, never dropped.
- A target is known by (type, groupId), the rule Intune itself dedups on.
- An app assignment with intent ``uninstall`` reaches nobody with the app: it is not an include.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from store.errors import ProvdeskError
from store.model import ALL_DEVICES, ALL_USERS, App, Group, GroupKind, IntuneOrigin, Profile, parse_iso

Json = dict[str, Any]
RecordKind = Literal["profile", "app", "group"]
Checker = Callable[[str, bytes], tuple[Profile | None, ProvdeskError | None]]

ODATA = "#microsoft.graph."
INCLUDE, EXCLUDE = "groupAssignmentTarget", "exclusionGroupAssignmentTarget"
BUILTIN_TARGETS = {"allLicensedUsersAssignmentTarget": ALL_USERS, "allDevicesAssignmentTarget": ALL_DEVICES}
CONFIG_ASSIGNMENT = f"{ODATA}iosLobAppProvisioningConfigurationAssignment"
_DEVICE_RULE = re.compile(r"\(?\s*device\.[A-Za-z]", re.IGNORECASE)
_USER_RULE = re.compile(r"\(?\s*user\.[A-Za-z]", re.IGNORECASE)


@dataclass(frozen=True)
class Pulled:
    """One Graph object read as a provdesk record, or the reason it could not be (``error``)."""

    kind: RecordKind
    intune_id: str
    name: str
    record: Profile | App | Group | None
    targets: tuple[Json, ...] = ()
    payload: bytes = b""
    error: ProvdeskError | None = None


def target_type(target: Mapping[str, Any]) -> str:
    """``#microsoft.graph.groupAssignmentTarget`` (with or without ``#``/namespace) without them."""
    odata = str(target.get("@odata.type", ""))
    return odata.lstrip("#").removeprefix("microsoft.graph.")


def target_key(target: Mapping[str, Any]) -> tuple[str, str | None]:
    """What makes two targets the same one: their type and group (All users/devices by type alone)."""
    kind = target_type(target)
    group = target.get("groupId") if kind in (INCLUDE, EXCLUDE) else None
    return kind, str(group) if group is not None else None


def canonical(target: Mapping[str, Any]) -> str:
    """A target as stable JSON text (sorted keys), the form kept in :class:`IntuneOrigin`."""
    return json.dumps(target, sort_keys=True, separators=(",", ":"))


def group_target(kind: str, group_id: str | None = None) -> Json:
    """A fresh target of ``kind`` (a type name without namespace)."""
    target: Json = {"@odata.type": f"{ODATA}{kind}"}
    if group_id is not None:
        target["groupId"] = group_id
    return target


def sets_of(
    targets: Iterable[Mapping[str, Any]], names: Mapping[str, str],
) -> tuple[frozenset[str], frozenset[str]]:
    """Intune targets as provdesk include/exclude group names (unknown groups and types left out)."""
    include: set[str] = set()
    exclude: set[str] = set()
    for target in targets:
        kind, group = target_key(target)
        if kind in BUILTIN_TARGETS:
            include.add(BUILTIN_TARGETS[kind])
        elif group is not None and group in names:
            (include if kind == INCLUDE else exclude).add(names[group])
    return frozenset(include), frozenset(exclude)


def group_kind(group: Mapping[str, Any], member_types: Iterable[str]) -> GroupKind:
    """Device or user group, from the dynamic rule's ``device.``/``user.`` properties, else its members."""
    rule = str(group.get("membershipRule") or "")
    if rule:
        devices, users = bool(_DEVICE_RULE.search(rule)), bool(_USER_RULE.search(rule))
        if devices and not users:
            return "device"
        if users:
            return "user"
    kinds = {t.lstrip("#").removeprefix("microsoft.graph.").lower() for t in member_types}
    return "device" if "device" in kinds and "user" not in kinds else "user"


def group_from_graph(group: Mapping[str, Any], member_types: Iterable[str], now: datetime) -> Pulled:
    """An Entra group as a provdesk group named by its display name."""
    gid = str(group.get("id", ""))
    name = str(group.get("displayName") or gid).strip() or gid
    record = Group(name, group_kind(group, member_types), str(group.get("description") or ""),
                   intune=IntuneOrigin(gid, now))
    return Pulled("group", gid, name, record)


def _payload(config: Mapping[str, Any]) -> bytes:
    raw = config.get("payload")
    if not isinstance(raw, str) or not raw:
        raise ProvdeskError("intune-no-payload", "the configuration carries no payload")
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ProvdeskError("intune-bad-payload", "the payload is not valid base64") from None


def profile_from_graph(config: Mapping[str, Any], check: Checker, now: datetime) -> Pulled:
    """An ``iosLobAppProvisioningConfiguration`` as a profile read from its payload, as ``import`` reads.

    The expiry is the payload's, never ``expirationDateTime`` (which may be null or stale);
    Intune's value is kept in the origin, beside it. ``displayName``/``description`` become
    the profile's Name and Description.
    """
    cid = str(config.get("id", ""))
    name = str(config.get("displayName") or "").strip()
    file_name = str(config.get("payloadFileName") or f"{cid}.mobileprovision")
    targets = tuple(a["target"] for a in config.get("assignments") or () if isinstance(a, dict)
                    and isinstance(a.get("target"), dict))
    try:
        payload = _payload(config)
        profile, error = check(file_name, payload)
    except ProvdeskError as exc:
        payload, profile, error = b"", None, exc
    if profile is None or error is not None:
        return Pulled("profile", cid, name or file_name, None, targets, payload, error)
    try:
        expires = parse_iso(config.get("expirationDateTime"))
    except (TypeError, ValueError):
        expires = None
    origin = IntuneOrigin(cid, now, expires=expires)
    record = replace(profile, display_name=name or profile.name,
                     description=str(config.get("description") or ""), intune=origin)
    return Pulled("profile", cid, record.label, record, targets, payload)


def app_from_graph(app: Mapping[str, Any], now: datetime) -> Pulled:
    """An ``iosLobApp``: bundle ID, version, build and Intune's expiry; no ``.ipa``, so no certificate."""
    aid = str(app.get("id", ""))
    name = str(app.get("displayName") or "").strip()
    bundle = str(app.get("bundleId") or "").strip()
    targets = tuple(a["target"] for a in app.get("assignments") or () if isinstance(a, dict)
                    and isinstance(a.get("target"), dict) and a.get("intent") != "uninstall")
    if not bundle:
        error = ProvdeskError("intune-no-bundle-id", "the iOS LOB app has no bundle ID")
        return Pulled("app", aid, name or aid, None, targets, error=error)
    try:
        expires = parse_iso(app.get("expirationDateTime"))
    except (TypeError, ValueError):
        expires = None
    record = App(bundle, name or bundle, version=str(app.get("versionNumber") or ""),
                 build=str(app.get("buildNumber") or ""), intune=IntuneOrigin(aid, now, expires=expires))
    return Pulled("app", aid, record.name, record, targets)


def referenced_groups(pulled: Iterable[Pulled]) -> set[str]:
    """Every Entra group ID the pulled profiles' and apps' targets name."""
    return {g for p in pulled for t in p.targets if (g := target_key(t)[1]) is not None}
