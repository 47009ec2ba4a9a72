"""What iOS refuses beyond ``codesign --verify``: the pieces of an app must belong together.

installd and AMFI check more than each signature: every piece of code must be signed by
the app's team (library validation), an extension's bundle ID must sit under its app's
(``AppexBundleIDNotPrefixed``), and each app or extension's embedded profile must list
the signing certificate (0xe8008015) and grant the signed entitlements (0xe8008016).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.errors import ParseError
from store.formats.cms import signed_content
from store.formats.codesign.binary import CodeReport
from store.formats.plist import load_plist
from store.model import IntegrityProblem
from store.rules.entitlements import entitlement_problems


@dataclass
class CodeItem:
    """One code item: a bundle (``bundle`` set, with its Info.plist) or a loose Mach-O, with its report."""

    path: str
    kind: str
    report: CodeReport
    bundle: str | None = None
    info: Mapping[str, Any] | None = None


def _grants(data: bytes) -> tuple[set[str], Mapping[str, Any]]:
    """The SHA-256 of each certificate an embedded profile lists, and the entitlements it grants.

    Only what it grants: whether Apple's signature on the profile holds is the profile
    check's (``read_mobileprovision``), and the seal already says whether it was swapped.
    """
    content = signed_content(data) if data[:1] == b"\x30" else data
    if content is None:
        raise ParseError("detached-content", "the profile carries no content")
    plist = load_plist(content)
    listed, entitlements = plist.get("DeveloperCertificates"), plist.get("Entitlements")
    if not isinstance(listed, list) or not isinstance(entitlements, dict):
        raise ParseError("missing-field", "the profile lists no certificates or entitlements")
    return {hashlib.sha256(c).hexdigest().upper() for c in listed if isinstance(c, bytes)}, entitlements


def profile_problems(item: CodeItem, data: bytes | None, where: str) -> list[IntegrityProblem]:
    """An app or extension's embedded profile must list its signer and allow its entitlements."""
    if data is None:
        return [
            IntegrityProblem(
                "profile-missing",
                where,
                "no embedded.mobileprovision: iOS finds no profile for this code (0xe8008015)",
            )
        ]
    try:
        certificates, entitlements = _grants(data)
    except ParseError as error:
        return [IntegrityProblem("profile-invalid", where, f"embedded.mobileprovision: {error.message}")]
    problems = []
    signer = item.report.signer
    if signer is not None and signer.facts.sha256.upper() not in certificates:
        problems.append(
            IntegrityProblem(
                "certificate-not-in-profile",
                where,
                "the embedded profile does not list the signing certificate (0xe8008015)",
            )
        )
    for reason in entitlement_problems(item.report.entitlements, entitlements):
        problems.append(IntegrityProblem("entitlements-not-allowed", where, f"{reason} (0xe8008016)"))
    return problems


def identity_problems(
    item: CodeItem, app: CodeItem, parent: CodeItem | None, where: str
) -> list[IntegrityProblem]:
    """One team for all code, and extension IDs under their parent's."""
    problems = []
    team, app_team = item.report.team, app.report.team
    if item is not app and item.report.signer is not None and team != app_team:
        problems.append(
            IntegrityProblem(
                "team-mismatch",
                where,
                f"signed by team {team}, the app by {app_team}: iOS will not load it into the app",
            )
        )
    if (
        parent is not None
        and item.kind in ("appex", "app")
        and item.info is not None
        and parent.info is not None
    ):
        own, prefix = item.info.get("CFBundleIdentifier"), parent.info.get("CFBundleIdentifier")
        if not isinstance(own, str) or not isinstance(prefix, str) or not own.startswith(prefix + "."):
            problems.append(
                IntegrityProblem(
                    "bundle-id-prefix",
                    where,
                    f"the bundle ID {own!r} does not start with its parent's {prefix!r} followed by a dot",
                )
            )
    return problems
