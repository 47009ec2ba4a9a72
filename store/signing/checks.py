"""The refusals a re-sign makes before it writes a byte: each a stable code and one line.

iOS would refuse the result for each of these reasons (codesign.md §11), so signing
anyway only moves the failure to the user's device: the profile is not trusted, does not
list the identity's certificate, belongs to another team, does not cover the bundle ID,
or has expired; and the app claims capabilities the new profile does not grant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from store.errors import ParseError
from store.formats.mobileprovision import read_mobileprovision, trust_problem
from store.model import Profile, TrustAnchor
from store.rules.appid import app_id_matches
from store.signing.entitlements import EntitlementsSource, needed_but_refused
from store.signing.identity import Identity, SigningError


def read_profile(data: bytes, anchors: Sequence[TrustAnchor], where: str) -> Profile:
    """A new profile read with the store's trust anchors; ``bad-profile`` when it is not one."""
    try:
        return read_mobileprovision(data, anchors)
    except ParseError as error:
        raise SigningError("bad-profile", f"{where}: {error.message}") from None


def profile_refusal(
    profile: Profile, identity: Identity, bundle_id: str, now: datetime
) -> SigningError | None:
    """Why this profile cannot carry ``bundle_id`` signed by ``identity`` today; ``None`` if it can."""
    label = repr(profile.name)
    problem = trust_problem(profile)
    if problem is not None:
        return SigningError("profile-untrusted", f"profile {label} is not trusted: {problem.message}")
    fingerprint = hashlib.sha256(identity.der).hexdigest()
    if fingerprint not in {c.sha256.lower() for c in profile.certificates}:
        return SigningError(
            "profile-lacks-certificate",
            f"profile {label} does not list the identity's certificate {identity.common_name!r}",
        )
    if profile.team_id != identity.team_id:
        return SigningError(
            "team-mismatch",
            f"profile {label} is for team {profile.team_id}, the identity is team {identity.team_id}",
        )
    if not app_id_matches(profile.app_id, bundle_id):
        return SigningError(
            "app-id-mismatch",
            f"profile {label} is for app ID {profile.app_id}, which does not cover {bundle_id}",
        )
    if profile.expires <= now:
        return SigningError("profile-expired", f"profile {label} expired on {profile.expires:%Y-%m-%d}")
    if profile.created > now:
        return SigningError("profile-not-yet-valid", f"profile {label} is dated {profile.created:%Y-%m-%d}")
    return None


def entitlements_refusal(
    profile: Profile,
    bundle_id: str,
    claimed: Mapping[str, Any],
    source: EntitlementsSource = "profile",
) -> SigningError | None:
    """The capabilities the app claims that ``profile`` does not grant, listed by key."""
    refused = needed_but_refused(profile.entitlements, claimed, source)
    if not refused:
        return None
    return SigningError(
        "entitlements-not-allowed",
        f"profile {profile.name!r} does not allow what {bundle_id} claims: {', '.join(refused)}",
    )


__all__ = ["entitlements_refusal", "profile_refusal", "read_profile"]
