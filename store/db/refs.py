"""How a person names things on the command line, resolved to exactly one thing or a clear error.

A profile is its UUID, a unique prefix of it, or its unique name (display name or the
file's Name); an app its bundle ID or unique name; a group its name; an anchor its
SHA-256 (or a prefix) or label. ``RefError`` lists the candidates, so the admin can retry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from store.errors import RefError
from store.model import App, Group, Profile, TrustAnchor

T = TypeVar("T")
SHOWN = 8


def _listing(items: Sequence[T], describe: Callable[[T], str], total: int | None = None) -> str:
    """``a, b, c and 4 more`` — candidates short enough for one line."""
    shown = ", ".join(describe(i) for i in items[:SHOWN])
    rest = (total if total is not None else len(items)) - min(len(items), SHOWN)
    return shown + (f" and {rest} more" if rest > 0 else "")


def _pick(
    kind: str, ref: str, stages: list[list[T]], everything: Sequence[T], describe: Callable[[T], str]
) -> T:
    """The first stage with exactly one match wins; several matches are ambiguous; none is unknown."""
    for matches in stages:
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise RefError(
                "ambiguous-ref", f"{kind} {ref!r} matches {len(matches)}: {_listing(matches, describe)}"
            )
    if not everything:
        raise RefError("unknown-ref", f"no {kind} {ref!r}: the store has no {kind}s yet")
    near = [item for item in everything if ref.strip().lower() in describe(item).lower()]
    if near:
        raise RefError("unknown-ref", f"no {kind} {ref!r}; did you mean: {_listing(near, describe)}")
    raise RefError("unknown-ref", f"no {kind} {ref!r}; {kind}s: {_listing(everything, describe)}")


def describe_profile(profile: Profile) -> str:
    """``'Label' (uuid)`` for candidate lists."""
    return f"{profile.label!r} ({profile.uuid})"


def resolve_profile_ref(profiles: Sequence[Profile], ref: str) -> Profile:
    """A profile by UUID, unique UUID prefix, or unique display name / Name."""
    text = ref.strip()
    low = text.lower()
    exact = [p for p in profiles if p.uuid.lower() == low]
    prefix = [p for p in profiles if p.uuid.lower().startswith(low)] if low else []
    named = [p for p in profiles if text in (p.display_name, p.name)]
    return _pick("profile", ref, [exact, named, prefix], profiles, describe_profile)


def resolve_app_ref(apps: Sequence[App], ref: str) -> App:
    """An app by bundle ID or unique name."""
    text = ref.strip()
    exact = [a for a in apps if a.bundle_id == text]
    named = [a for a in apps if a.name == text]
    folded = [a for a in apps if a.name.lower() == text.lower()]
    return _pick("app", ref, [exact, named, folded], apps, lambda a: f"{a.name!r} ({a.bundle_id})")


def resolve_group_ref(groups: Sequence[Group], name: str) -> Group:
    """A group by name (exact, then case-insensitive)."""
    exact = [g for g in groups if g.name == name]
    folded = [g for g in groups if g.name.lower() == name.strip().lower()]
    return _pick("group", name, [exact, folded], groups, lambda g: repr(g.name))


def resolve_anchor_ref(anchors: Sequence[TrustAnchor], ref: str) -> TrustAnchor:
    """A trust anchor by SHA-256, unique SHA-256 prefix, or label."""
    low = ref.strip().lower().replace(":", "")
    exact = [a for a in anchors if a.sha256.lower() == low]
    labelled = [a for a in anchors if a.label == ref]
    prefix = [a for a in anchors if low and a.sha256.lower().startswith(low)]
    stages = [exact, labelled, prefix]
    return _pick("anchor", ref, stages, anchors, lambda a: f"{a.label!r} ({a.sha256[:16]})")
