"""Preflight: would iOS launch this app under this profile? Each check iOS makes, pass or fail, and why.

Why: a profile "for" an app only rescues it if every one of iOS's launch checks passes;
one failing check means the app still crashes at launch after the admin has rolled the
profile out. Admins need the failing check named in plain words before they assign.

The checks, in order: ``signature`` (valid and chaining to Apple or a trusted anchor),
``app-id`` (the profile's app ID covers the bundle ID within the same team),
``certificate`` (the app's signing certificate is one of the profile's, by SHA-256),
``entitlements`` (every claimed entitlement allowed), ``install`` (the profile type can
install there), ``expiry`` (not expired at ``now``) and ``integrity`` (the app's code
signatures and resource seal hold, as read from its ``.ipa``: no profile rescues an app
whose contents changed after signing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.model import App, GroupKind, IntegrityProblem, Profile, iso
from store.rules.appid import app_id_matches, split_app_id
from store.rules.entitlements import entitlement_problems, entitlements_allowed

CHECK_NAMES = ("signature", "app-id", "certificate", "entitlements", "install", "expiry", "integrity")
# Integrity problems about the app's *embedded* profile: another (installed) profile may cure them,
# and the certificate and entitlements checks judge that profile.
PROFILE_CURABLE = frozenset({"profile-missing", "profile-invalid", "certificate-not-in-profile",
                             "entitlements-not-allowed"})


@dataclass(frozen=True)
class Check:
    """One launch check: its name, whether it passed, and the reason in an admin's words."""

    name: str
    ok: bool
    reason: str


@dataclass(frozen=True)
class Preflight:
    """All checks of one profile against one app; ``ok`` only when every check passes."""

    ok: bool
    checks: tuple[Check, ...]

    def failed(self) -> tuple[Check, ...]:
        """The checks that did not pass (what an admin has to fix)."""
        return tuple(c for c in self.checks if not c.ok)


_SIGNATURE_FAILURES = {
    "invalid": "the profile was changed after it was signed: iOS rejects it",
    "absent": "the profile is not signed: iOS rejects it",
}
_TRUST_FAILURES = {
    "untrusted": "the profile's signature does not chain to Apple or a trusted root",
    "incomplete": "the profile's signing chain is incomplete, so it cannot be traced to Apple",
    "none": "the profile's signer could not be checked against any trusted root",
}


def check_signature(profile: Profile) -> Check:
    """Valid CMS signature and a chain to Apple (or an anchor the admin added)."""
    if profile.signature != "valid":
        reason = _SIGNATURE_FAILURES.get(profile.signature, "the signature is unusable")
        return Check("signature", False, reason)
    if profile.trust == "apple":
        return Check("signature", True, "signed by Apple")
    if profile.trust == "anchor":
        return Check("signature", True, "signed under a root this store trusts")
    return Check("signature", False, _TRUST_FAILURES.get(profile.trust, "the signer is not trusted"))


def app_team(app: App) -> str | None:
    """The team an app was signed for, from its entitlements or its certificate; ``None`` if unknown."""
    team = app.entitlements.get("com.apple.developer.team-identifier")
    if isinstance(team, str) and team:
        return team
    claimed = app.entitlements.get("application-identifier")
    if isinstance(claimed, str) and "." in claimed:
        return split_app_id(claimed)[0]
    if app.signing_certificate is not None and app.signing_certificate.team_id:
        return app.signing_certificate.team_id
    return None


def check_app_id(profile: Profile, app: App) -> Check:
    """The profile's app ID covers the bundle ID, exactly or by wildcard, and the teams agree."""
    prefix = split_app_id(profile.app_id)[0]
    if not app_id_matches(profile.app_id, app.bundle_id):
        reason = f"the profile is for '{profile.app_id}', which does not cover '{app.bundle_id}'"
        return Check("app-id", False, reason)
    team = app_team(app)
    if team is not None and team not in (profile.team_id, prefix):
        reason = f"the app belongs to team {team}, the profile to team {profile.team_id}"
        return Check("app-id", False, reason)
    how = "by wildcard" if profile.app_id.endswith("*") else "exactly"
    return Check("app-id", True, f"'{profile.app_id}' covers '{app.bundle_id}' {how}")


def check_certificate(profile: Profile, app: App) -> Check:
    """The certificate the app was signed with is one the profile lists (by SHA-256).

    An app recorded without its signing certificate (added by hand, not from an .ipa)
    cannot be checked; that passes, saying so, rather than calling every profile useless.
    """
    cert = app.signing_certificate
    if cert is None:
        reason = "the app's signing certificate is not on record, so this was not checked"
        return Check("certificate", True, reason)
    wanted = cert.sha256.lower()
    if any(c.sha256.lower() == wanted for c in profile.certificates):
        reason = f"the app is signed with '{cert.common_name}', which the profile lists"
        return Check("certificate", True, reason)
    return Check(
        "certificate", False,
        f"the app is signed with '{cert.common_name}', which is not one of the profile's certificates",
    )


def check_entitlements(profile: Profile, app: App) -> Check:
    """Every entitlement the app claims is allowed by the profile (first problems named)."""
    problems = entitlement_problems(app.entitlements, profile.entitlements)
    if not problems:
        return Check("entitlements", True, "the profile allows every entitlement the app claims")
    extra = f" (and {len(problems) - 2} more)" if len(problems) > 2 else ""
    return Check("entitlements", False, "; ".join(problems[:2]) + extra)


_IOS_PLATFORMS = frozenset({"ios", "xros", "visionos"})
_LISTED_TYPES = ("ad-hoc", "development")


def _for_ios(profile: Profile) -> bool:
    """The profile names an iOS-family platform (or none at all, as bare test profiles do)."""
    return not profile.platforms or any(p.lower() in _IOS_PLATFORMS for p in profile.platforms)


def check_install(profile: Profile, group_kind: GroupKind | None) -> Check:
    """The profile's type can install the app where it is meant to run.

    Enterprise installs on every device; ad hoc and development only on the devices they
    list, so with a group (and no device data) they cannot cover it; an App Store profile
    never installs an in-house app; a macOS-only profile never installs on iOS.
    """
    if not _for_ios(profile):
        return Check("install", False, f"the profile is for {', '.join(profile.platforms)}, not iOS")
    if profile.type == "enterprise":
        return Check("install", True, "an in-house (enterprise) profile installs on every device")
    if profile.type == "app-store":
        return Check("install", False, "an App Store profile never installs an in-house app")
    kind = "an ad hoc" if profile.type == "ad-hoc" else "a development"
    listed = f"the {profile.device_count} devices it lists"
    if group_kind is None:
        return Check("install", True, f"{kind} profile installs only on {listed}")
    reason = f"{kind} profile installs only on {listed}: it cannot cover a whole {group_kind} group"
    return Check("install", False, reason)


def check_expiry(profile: Profile, now: datetime) -> Check:
    """The profile has not expired at ``now``."""
    if profile.expires > now:
        days = (profile.expires - now).days
        return Check("expiry", True, f"valid until {iso(profile.expires)} ({days} days left)")
    return Check("expiry", False, f"expired on {iso(profile.expires)}")


def integrity_failures(app: App) -> tuple[IntegrityProblem, ...]:
    """The app's integrity problems that no profile can cure (``()`` when unchecked or intact)."""
    if app.integrity is None:
        return ()
    return tuple(p for p in app.integrity.problems if p.code not in PROFILE_CURABLE)


def check_integrity(app: App) -> Check:
    """The app's code signatures and seal hold (an app recorded without its .ipa is not checked)."""
    if app.integrity is None:
        return Check("integrity", True, "the app was recorded without its .ipa, so this was not checked")
    failures = integrity_failures(app)
    if not failures:
        return Check("integrity", True, "every code signature and the resource seal hold")
    first = failures[0]
    extra = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
    return Check("integrity", False, f"{first.code}: {first.message}{extra}: rebuild or re-sign")


def profile_usable(profile: Profile, now: datetime, group_kind: GroupKind | None) -> bool:
    """The verdict of the checks that do not depend on the app (signature, install, expiry), no reasons.

    Agrees with :func:`preflight` (a property test holds them together).
    """
    return (
        profile.signature == "valid"
        and profile.trust in ("apple", "anchor")
        and profile.expires > now
        and _for_ios(profile)
        and (profile.type == "enterprise" or (group_kind is None and profile.type in _LISTED_TYPES))
    )


def pair_allowed(profile: Profile, app: App) -> bool:
    """The verdict of the app-dependent checks (app ID, certificate, entitlements, integrity), no reasons.

    Agrees with :func:`preflight` (a property test holds them together); the timeline
    calls it for every candidate pair, where building reason strings would dominate.
    """
    if not app_id_matches(profile.app_id, app.bundle_id) or integrity_failures(app):
        return False
    team = app_team(app)
    if team is not None and team != profile.team_id and team != split_app_id(profile.app_id)[0]:
        return False
    cert = app.signing_certificate
    if cert is not None:
        wanted = cert.sha256.lower()
        if not any(c.sha256.lower() == wanted for c in profile.certificates):
            return False
    return entitlements_allowed(app.entitlements, profile.entitlements)


def preflight(profile: Profile, app: App, now: datetime, group_kind: GroupKind | None = None) -> Preflight:
    """Run every launch check of ``profile`` against ``app`` at ``now``.

    ``group_kind`` says the profile is meant to cover a whole group of that kind (the
    timeline's question); ``None`` asks about the profile alone, where an ad hoc or
    development profile can pass for the devices it lists. User and device groups are
    judged alike, so a result depends only on whether a group is given.
    """
    checks = (
        check_signature(profile),
        check_app_id(profile, app),
        check_certificate(profile, app),
        check_entitlements(profile, app),
        check_install(profile, group_kind),
        check_expiry(profile, now),
        check_integrity(app),
    )
    return Preflight(all(c.ok for c in checks), checks)
