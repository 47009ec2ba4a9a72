"""The human form of ``provdesk inspect``: one compact block per file, facts an admin scans.

Works on the same JSON objects ``--json`` prints, so both outputs always say the same thing.
"""

from __future__ import annotations

from typing import Any


def _cert_line(cert: dict[str, Any]) -> str:
    """One certificate: name, kind, expiry and the start of its fingerprint."""
    fingerprint = cert["sha256"][:16]
    return f"{cert['common_name']} ({cert['kind']}), expires {cert['not_after']}, SHA-256 {fingerprint}…"


def profile_lines(profile: dict[str, Any], indent: str = "  ") -> list[str]:
    """The facts of one profile, one per line."""
    count = profile["device_count"]
    plural = "" if count == 1 else "s"
    devices = "all devices" if profile["type"] == "enterprise" else f"{count} device{plural}"
    lines = [
        f"Name:         {profile['name']}",
        f"UUID:         {profile['uuid']}",
        f"App ID:       {profile['app_id']} ({profile['app_id_name']})",
        f"Team:         {profile['team_id']} ({profile['team_name']})",
        f"Type:         {profile['type']}, {devices}",
        f"Platforms:    {', '.join(profile['platforms']) or '-'}",
        f"Created:      {profile['created']}",
        f"Expires:      {profile['expires']}",
        f"Signature:    {profile['signature']}, trust: {profile['trust']}",
    ]
    lines.extend(f"Certificate:  {_cert_line(cert)}" for cert in profile["certificates"])
    keys = sorted(profile["entitlements"])
    lines.append(f"Entitlements: {len(keys)} ({', '.join(keys[:4])}{', …' if len(keys) > 4 else ''})")
    return [indent + line for line in lines]


def app_lines(app: dict[str, Any]) -> list[str]:
    """The facts of one app, its embedded profile and nested bundles, and the launch checks."""
    cert = app["signing_certificate"]
    lines = [
        f"  Name:         {app['name']}",
        f"  Bundle ID:    {app['bundle_id']}",
        f"  Version:      {app['version']} ({app['build']}), minimum OS {app['min_os'] or '-'}",
        f"  Signed by:    {_cert_line(cert) if cert else 'no signing certificate'}",
    ]
    profile = app["embedded_profile"]
    if profile:
        lines.append("  Embedded profile:")
        lines.extend(profile_lines(profile, indent="    "))
    else:
        lines.append("  Embedded profile: none")
    for nested in app["nested"]:
        inner = nested["embedded_profile"]
        suffix = f", profile {inner['name']} ({inner['signature']}, {inner['trust']})" if inner else ""
        bundle_id = f" {nested['bundle_id']}" if nested["bundle_id"] else ""
        lines.append(f"  Nested:       {nested['path']}{bundle_id}{suffix}")
    checks = ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in app["checks"].items())
    lines.append(f"  Checks:       {checks}")
    lines.extend(f"  Refused:      {reason}" for reason in app.get("refused", []))
    lines.extend(integrity_lines(app["integrity"]))
    return lines


def integrity_lines(integrity: dict[str, Any] | None) -> list[str]:
    """Each code item innermost first with its cdhashes, then every problem with its path."""
    if integrity is None:
        return ["  Integrity:    not checked"]
    count = len(integrity["problems"])
    verdict = "ok" if integrity["ok"] else f"{count} problem{'s' if count > 1 else ''}"
    lines = [f"  Integrity:    {verdict}"]
    for bundle in integrity["bundles"]:
        who = " ".join(part for part in (bundle["kind"], bundle["identifier"]) if part)
        team = f", team {bundle['team_id']}" if bundle["team_id"] else ", no team"
        lines.append(f"    {bundle['path']}  ({who}{team}): {'ok' if bundle['ok'] else 'FAILS'}")
        lines.extend(
            f"      cdhash {c['arch']} {c['hash_type']} {c['cdhash']} (v{c['version']:#x})"
            for c in bundle["cdhashes"]
        )
    lines.extend(f"    {p['code']}: {p['path']}: {p['message']}" for p in integrity["problems"])
    return lines
