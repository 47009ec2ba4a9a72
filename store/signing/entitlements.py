"""The entitlements a re-signed binary claims: the profile's, filtered as Xcode does, in XML and DER.

A profile grants patterns (``TEAMID.*``, ``TEAMID.com.acme.*``); a binary must claim
concrete values, and only what the app uses. So, as Xcode writes them: the wildcard
application identifier is made concrete for the bundle, the team identifier is copied,
``get-task-allow`` is true only where the profile allows it, keychain groups are kept only
where the profile's patterns admit them, and other capabilities appear only when the app
already claimed them. iOS 15 reads the DER copy, so both encodings are written (the DER
one as Xcode's SET of key/value pairs, built with asn1crypto).
"""

from __future__ import annotations

import plistlib
from collections.abc import Mapping
from typing import Any, Literal

from asn1crypto import core

from store.rules.appid import split_app_id
from store.rules.entitlements import entitlement_problem, wildcard_match

EntitlementsSource = Literal["profile", "app"]
APP_ID = "application-identifier"
TEAM_ID = "com.apple.developer.team-identifier"
KEYCHAIN = "keychain-access-groups"
GET_TASK_ALLOW = "get-task-allow"
# Keys the re-signer sets itself, so the app's old values never decide whether it may be signed.
_DERIVED = frozenset({APP_ID, TEAM_ID, KEYCHAIN, GET_TASK_ALLOW})


def _reprefix(value: Any, old: str, new: str) -> Any:
    """``OLDTEAM.x`` -> ``NEWTEAM.x`` throughout a value (the app moves to the new team)."""
    if isinstance(value, str) and old and value.startswith(old + "."):
        return new + value[len(old) :]
    if isinstance(value, list):
        return [_reprefix(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _reprefix(v, old, new) for k, v in value.items()}
    return value


def _concrete(value: Any) -> bool:
    """No wildcard anywhere: a value a binary may claim as it stands."""
    if isinstance(value, str):
        return "*" not in value
    if isinstance(value, list):
        return all(_concrete(v) for v in value)
    if isinstance(value, dict):
        return all(_concrete(v) for v in value.values())
    return True


def moved_claims(claimed: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The app's current entitlements as they read under the new team prefix."""
    old_prefix, _ = split_app_id(str(claimed.get(APP_ID, "")))
    return {k: _reprefix(v, old_prefix, prefix) for k, v in claimed.items()}


def signed_entitlements(
    granted: Mapping[str, Any],
    bundle_id: str,
    claimed: Mapping[str, Any],
    source: EntitlementsSource = "profile",
) -> dict[str, Any]:
    """What the binary will claim: the profile's (Xcode's filter) or the app's (moved to the new team)."""
    prefix, _ = split_app_id(str(granted.get(APP_ID, "")))
    app_id = f"{prefix}.{bundle_id}"
    moved = moved_claims(claimed, prefix)
    result: dict[str, Any] = {APP_ID: app_id}
    if TEAM_ID in granted:
        result[TEAM_ID] = granted[TEAM_ID]
    if isinstance(granted.get(GET_TASK_ALLOW), bool):
        result[GET_TASK_ALLOW] = granted[GET_TASK_ALLOW] is True and moved.get(GET_TASK_ALLOW, True) is True
    if KEYCHAIN in granted:
        wanted = moved.get(KEYCHAIN) or [app_id]
        patterns = granted[KEYCHAIN] if isinstance(granted[KEYCHAIN], list) else [granted[KEYCHAIN]]
        kept = [g for g in wanted if any(wildcard_match(p, g) for p in patterns)]
        if kept:
            result[KEYCHAIN] = kept
    for key in moved if source == "app" else granted:
        if key in _DERIVED or key not in moved:
            continue
        allowed = granted.get(key)
        result[key] = allowed if source == "profile" and _concrete(allowed) else moved[key]
    return result


def needed_but_refused(
    granted: Mapping[str, Any],
    claimed: Mapping[str, Any],
    source: EntitlementsSource = "profile",
) -> list[str]:
    """The capabilities the app claims today that the new profile does not grant.

    Signing from the profile, a concrete profile value replaces the app's (push moves from
    ``development`` to ``production`` as Xcode's export does), so granting the key is enough.
    """
    prefix, _ = split_app_id(str(granted.get(APP_ID, "")))
    moved = moved_claims(claimed, prefix)
    refused = []
    for key in sorted(set(moved) - _DERIVED):
        value = moved[key]
        if value is False or value == []:
            continue
        if key not in granted:
            refused.append(key)
        elif source == "profile" and _concrete(granted[key]) and not isinstance(value, bool):
            continue
        elif entitlement_problem(key, value, granted[key]) is not None:
            refused.append(key)
    return refused


def entitlements_xml(entitlements: Mapping[str, Any]) -> bytes:
    """The XML plist Apple embeds (slot 5): sorted keys, tab-indented, as plistlib writes it."""
    return plistlib.dumps(dict(entitlements), fmt=plistlib.FMT_XML, sort_keys=True)


class _Values(core.SequenceOf):  # type: ignore[misc]
    """An array value."""

    _child_spec = core.Any


class _Pair(core.Sequence):  # type: ignore[misc]
    """One ``SEQUENCE { UTF8String key, value }``."""

    _fields = [("key", core.UTF8String), ("value", core.Any)]  # noqa: RUF012


class _Dict(core.SetOf):  # type: ignore[misc]
    """A dictionary: a SET OF pairs, which DER orders by encoding."""

    _child_spec = _Pair


def _der_value(value: Any) -> core.Asn1Value:
    """One value in Apple's DER form: BOOLEAN, INTEGER, UTF8String, SEQUENCE, or a SET dictionary."""
    if isinstance(value, bool):
        return core.Boolean(value)
    if isinstance(value, int):
        return core.Integer(value)
    if isinstance(value, str):
        return core.UTF8String(value)
    if isinstance(value, list):
        return _Values([core.Any.load(_der_value(v).dump()) for v in value])
    if isinstance(value, dict):
        return _der_dict(value)
    raise ValueError(f"an entitlement value of type {type(value).__name__} has no DER form")


def _der_dict(entitlements: Mapping[str, Any]) -> _Dict:
    """A dictionary as the SET Xcode writes."""
    return _Dict(
        [
            _Pair({"key": key, "value": core.Any.load(_der_value(value).dump())})
            for key, value in entitlements.items()
        ]
    )


def entitlements_der(entitlements: Mapping[str, Any]) -> bytes:
    """The DER entitlements (slot 7) iOS 15 reads."""
    return bytes(_der_dict(entitlements).dump(force=True))


__all__ = [
    "EntitlementsSource",
    "entitlements_der",
    "entitlements_xml",
    "moved_claims",
    "needed_but_refused",
    "signed_entitlements",
]
