"""From a profile's plist to the facts of a ``Profile``: required keys, their types, its type.

Kept apart from the CMS work so the rules of the plist (which keys are required, what the
type is when ``get-task-allow`` is missing on macOS) read in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from store.errors import ParseError
from store.formats.plist import MAX_NESTING, nesting, utc
from store.formats.x509 import read_certificate
from store.model import Certificate, Profile, ProfileType, Signature, Trust

T = TypeVar("T")
_MAC_APP_ID = "com.apple.application-identifier"


def field(plist: Mapping[str, Any], key: str, kind: type[T], *, required: bool = True) -> T | None:
    """``plist[key]`` checked against ``kind``: ``missing-field`` / ``wrong-type`` when it is not."""
    value = plist.get(key)
    if value is None:
        if required:
            raise ParseError("missing-field", f"the profile has no {key}")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ParseError("wrong-type", f"{key} should be a {kind.__name__}, not a {type(value).__name__}")
    return value


def _strings(plist: Mapping[str, Any], key: str, *, required: bool = False) -> tuple[str, ...]:
    """A list of strings (TeamIdentifier, Platform, ProvisionedDevices)."""
    values = field(plist, key, list, required=required) or []
    if not set(map(type, values)) <= {str}:
        raise ParseError("wrong-type", f"{key} should hold only strings")
    return tuple(values)


def certificates(blobs: list[Any]) -> tuple[Certificate, ...]:
    """Every DeveloperCertificate that reads as X.509; unreadable ones are left out, not fatal.

    A redacted or sample profile may carry placeholder bytes: the rest of its facts still
    matter to the admin, and preflight treats a missing certificate as "not covered".
    """
    found: list[Certificate] = []
    for blob in blobs:
        if isinstance(blob, bytes):
            try:
                found.append(read_certificate(blob))
            except ParseError:
                continue
    return tuple(found)


def profile_type(
    all_devices: bool, devices: tuple[str, ...], task_allow: bool | None, certs: tuple[Certificate, ...]
) -> ProfileType:
    """Enterprise, development, ad hoc or App Store, as the guide defines them.

    macOS profiles lack ``get-task-allow``: there a development certificate decides.
    """
    if all_devices:
        return "enterprise"
    if devices:
        if task_allow is True:
            return "development"
        if task_allow is None and any(c.kind == "development" for c in certs):
            return "development"
        return "ad-hoc"
    return "app-store"


def _date(plist: Mapping[str, Any], key: str) -> datetime:
    """A required date, UTC-aware."""
    value = field(plist, key, datetime)
    assert value is not None
    return utc(value)


def profile_from_plist(
    plist: Mapping[str, Any], *, signature: Signature, trust: Trust, file_sha256: str
) -> Profile:
    """The model ``Profile`` for a parsed profile plist and the verdicts on its signature."""
    entitlements = field(plist, "Entitlements", dict) or {}
    if nesting(entitlements) > MAX_NESTING:
        raise ParseError("wrong-type", f"Entitlements nest deeper than {MAX_NESTING} levels")
    teams = _strings(plist, "TeamIdentifier", required=True)
    if not teams:
        raise ParseError("missing-field", "the profile's TeamIdentifier is empty")
    app_id = entitlements.get("application-identifier") or entitlements.get(_MAC_APP_ID, "")
    if not isinstance(app_id, str):
        raise ParseError("wrong-type", "application-identifier should be a string")
    devices = _strings(plist, "ProvisionedDevices")
    certs = certificates(field(plist, "DeveloperCertificates", list, required=False) or [])
    task_allow = entitlements.get("get-task-allow")
    all_devices = field(plist, "ProvisionsAllDevices", bool, required=False) is True
    return Profile(
        uuid=str(field(plist, "UUID", str)),
        name=str(field(plist, "Name", str)),
        app_id_name=field(plist, "AppIDName", str, required=False) or "",
        app_id=app_id,
        team_id=teams[0],
        team_name=field(plist, "TeamName", str, required=False) or "",
        platforms=_strings(plist, "Platform"),
        created=_date(plist, "CreationDate"),
        expires=_date(plist, "ExpirationDate"),
        type=profile_type(all_devices, devices, task_allow if isinstance(task_allow, bool) else None, certs),
        device_count=len(devices),
        devices=devices,
        entitlements=entitlements,
        certificates=certs,
        signature=signature,
        trust=trust,
        file_sha256=file_sha256,
    )
