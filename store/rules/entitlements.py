"""Does a profile allow every entitlement an app claims? Values compared, wildcards honoured.

Why: iOS refuses to launch a binary that claims an entitlement its profile does not
grant, and that failure looks to users like "the app just crashes". A new profile only
rescues an app if it grants at least what the old one did, so the preflight compares
values, not just keys: booleans (claiming ``true`` needs ``true``), strings (equal, or a
profile pattern ending in ``*`` such as ``TEAMID.*`` or ``TEAMID.com.acme.*``), and lists
(every claimed entry matched by some allowed entry). ``aps-environment`` must be equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

EXACT_KEYS = frozenset({"aps-environment"})
_MISSING = object()
_PLAIN_NAMES = {
    "get-task-allow": "debugging (get-task-allow)",
    "aps-environment": "push notifications (aps-environment)",
    "keychain-access-groups": "keychain access groups",
    "application-identifier": "the application identifier",
    "com.apple.developer.team-identifier": "the team identifier",
}


def wildcard_match(pattern: Any, value: Any) -> bool:
    """A profile value admits an app value: equal, or a string pattern ending in ``*`` as a prefix."""
    if isinstance(pattern, str) and isinstance(value, str):
        if pattern == value:
            return True
        return pattern.endswith("*") and value.startswith(pattern[:-1])
    return bool(pattern == value)


def _patterns(allowed: Any) -> Sequence[Any]:
    """A profile value as a list of patterns (a single string grants one pattern)."""
    if isinstance(allowed, list | tuple):
        return list(allowed)
    return [allowed]


def _show(value: Any) -> str:
    """An entitlement value as a person reads it."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _label(key: str) -> str:
    """A claimed entitlement's name in plain words where we have them."""
    return _PLAIN_NAMES.get(key, key)


def entitlement_problem(key: str, claimed: Any, allowed: Any) -> str | None:
    """Why the profile's ``allowed`` value does not admit the app's ``claimed`` one; ``None`` if it does."""
    if isinstance(claimed, bool):
        if not claimed or allowed is True:
            return None
        return f"the app claims {_label(key)}, which the profile does not allow"
    if key in EXACT_KEYS:
        if claimed == allowed:
            return None
        return f"the app claims {_label(key)} {_show(claimed)} but the profile grants {_show(allowed)}"
    patterns = _patterns(allowed)
    if isinstance(claimed, list | tuple):
        refused = [v for v in claimed if not any(wildcard_match(p, v) for p in patterns)]
        if not refused:
            return None
        shown = ", ".join(_show(v) for v in refused[:3]) + (" and more" if len(refused) > 3 else "")
        return f"the app claims {_label(key)} {shown}, which the profile does not allow"
    if any(wildcard_match(p, claimed) for p in patterns):
        return None
    return f"the app claims {_label(key)} {_show(claimed)} but the profile grants {_show(allowed)}"


def _admits(patterns: Sequence[Any], value: Any) -> bool:
    """Some pattern admits ``value``: a plain membership test first, wildcards only if that fails."""
    if value in patterns:
        return True
    if not isinstance(value, str):
        return any(wildcard_match(p, value) for p in patterns)
    return any(isinstance(p, str) and p.endswith("*") and value.startswith(p[:-1]) for p in patterns)


def entitlements_allowed(claimed: Mapping[str, Any], allowed: Mapping[str, Any]) -> bool:
    """The verdict of :func:`entitlement_problems` without composing reasons (the timeline's hot path).

    Same rules, cheapest test first: equal values always pass, so the common case costs
    one comparison per claimed key. A property test holds it to :func:`entitlement_problems`.
    """
    for key, value in claimed.items():
        granted = allowed.get(key, _MISSING)
        if value is False or (granted == value and not isinstance(value, bool)):
            continue
        if granted is _MISSING:
            if isinstance(value, list | tuple) and not value:
                continue
            return False
        if isinstance(value, bool):
            if granted is not True:
                return False
        elif key in EXACT_KEYS:
            return False
        else:
            patterns = _patterns(granted)
            values = value if isinstance(value, list | tuple) else (value,)
            if not all(_admits(patterns, v) for v in values):
                return False
    return True


def entitlement_problems(claimed: Mapping[str, Any], allowed: Mapping[str, Any]) -> list[str]:
    """Every way the app's claimed entitlements exceed what the profile grants, in plain words.

    A claimed ``false`` (or an empty list) asks for nothing and always passes.
    """
    problems: list[str] = []
    for key in sorted(claimed):
        value = claimed[key]
        if key not in allowed:
            if value is False or (isinstance(value, list | tuple) and not value):
                continue
            problems.append(f"the app claims {_label(key)}, which the profile does not grant at all")
            continue
        problem = entitlement_problem(key, value, allowed[key])
        if problem is not None:
            problems.append(problem)
    return problems
