"""``provdesk resign``: sign an app again with a new identity and profile, verify it, then write or store it.

``resign APP.ipa --identity ID.p12 --profile NEW.mobileprovision --output OUT.ipa`` writes a
new archive (never over the input); ``resign REF --identity ID.p12`` re-signs an app kept in
the store and replaces its ``.ipa`` (without ``--profile``, the stored profile that fits).
``--profile ID=FILE`` gives a nested bundle its own profile. The identity's password comes
from ``--password-file``, ``$PROVDESK_P12_PASSWORD`` or a prompt that does not echo, never
from an argument; the key stays in memory. Every refusal is one line with a stable code,
and nothing is written. ``--json``: ``input``, ``output``, ``bundle_id``, ``certificate``,
``profile``, ``entitlements``, ``cdhash``, ``previous_cdhash``, ``signed`` (``path``,
``identifier``, ``slices``: ``arch``, ``cdhash_sha1``, ``cdhash_sha256``), ``store`` (the
app row when the store was updated, else null).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.errors import StoreError
from store.model import iso
from tui.commands.common import Context, emit
from tui.commands.inspect import trust_anchors
from tui.commands.storeio import app_row, open_store, read_input

PASSWORD_ENV = "PROVDESK_P12_PASSWORD"
_ARCHS = {12: "armv7", 16777228: "arm64", 7: "i386", 16777223: "x86_64"}


def read_password(password_file: str | None) -> bytes:
    """The .p12 password: from a file, the environment, or a prompt without echo; never an argument."""
    if password_file:
        return read_input(password_file).rstrip(b"\r\n")
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV].encode()
    if not sys.stdin.isatty():
        raise StoreError(
            "no-password",
            f"the identity's password is needed: --password-file F, ${PASSWORD_ENV}, or run at a terminal",
        )
    return getpass.getpass("password for the identity: ").encode()


def parse_profiles(values: list[str]) -> dict[str | None, bytes]:
    """``--profile FILE`` for the app, ``--profile BUNDLE.ID=FILE`` for a nested bundle."""
    profiles: dict[str | None, bytes] = {}
    for value in values:
        bundle, sep, path = value.partition("=")
        if sep and bundle and "/" not in bundle and not Path(value).exists():
            profiles[bundle] = read_input(path)
        else:
            if None in profiles:
                raise StoreError(
                    "bad-usage", "give one --profile FILE for the app; nested bundles take ID=FILE"
                )
            profiles[None] = read_input(value)
    return profiles


def _code_json(result: Any) -> list[dict[str, Any]]:
    """Every signed code item with its cdhashes."""
    return [
        {
            "path": code.path,
            "identifier": code.identifier,
            "slices": [
                {
                    "arch": _ARCHS.get(s.cputype, str(s.cputype)),
                    "cdhash_sha1": s.sha1,
                    "cdhash_sha256": s.sha256,
                }
                for s in code.slices
            ],
        }
        for code in result.signed
    ]


def run_resign(args: argparse.Namespace, context: Context) -> int:
    """Re-sign a file or a stored app; print what was signed and its cdhashes."""
    from store.signing.identity import load_identity

    identity = load_identity(read_input(args.identity), read_password(args.password_file))
    profiles = parse_profiles(args.profile or [])
    now = context.clock()
    source = Path(args.app)
    row = None
    if source.is_file():
        from store.signing.resign import ResignRequest, resign
        from store.signing.verify import verify_archive

        if not args.output:
            raise StoreError(
                "bad-usage", "re-signing a file needs --output OUT.ipa (the input is never overwritten)"
            )
        if None not in profiles:
            raise StoreError("bad-usage", "re-signing a file needs --profile NEW.mobileprovision")
        request = ResignRequest(
            source.resolve(),
            Path(args.output).absolute(),
            identity,
            profiles,
            trust_anchors(args, context),
            now,
            entitlements_from=args.entitlements_from,
            bundle_id=args.bundle_id,
        )
        result = resign(request, verify_archive)
    else:
        from store.signing.stored import resign_stored_app

        if args.bundle_id:
            raise StoreError("bad-usage", "--bundle-id applies to a file; a stored app keeps its bundle ID")
        store = open_store(context)
        done = resign_stored_app(
            store,
            args.app,
            identity,
            profiles,
            now,
            args.entitlements_from,
            Path(args.output).absolute() if args.output else None,
        )
        result = done.result
        row = app_row(done.app, store.fleet())
    certificate = identity.certificate
    data = {
        "input": args.app,
        "output": str(result.output) if args.output else None,
        "bundle_id": result.bundle_id,
        "certificate": {
            "common_name": identity.common_name,
            "team_id": identity.team_id,
            "not_after": iso(certificate.not_valid_after_utc),
        },
        "profile": {
            "name": result.profile.name,
            "uuid": result.profile.uuid,
            "expires": iso(result.profile.expires),
        },
        "entitlements": dict(result.entitlements),
        "cdhash": result.cdhash,
        "previous_cdhash": result.previous_cdhash,
        "signed": _code_json(result),
        "store": row,
    }
    lines = [
        f"re-signed {result.bundle_id} with {identity.common_name}"
        f" (until {certificate.not_valid_after_utc:%Y-%m-%d})",
        f"  profile: {result.profile.name} (until {result.profile.expires:%Y-%m-%d})",
        "  verified: code signatures and seals hold",
    ]
    for code in data["signed"]:
        for piece in code["slices"]:
            lines.append(f"  cdhash {piece['cdhash_sha256']} {piece['arch']} {code['path']}")
    lines.append(f"  written: {result.output}" if args.output else f"  stored: {result.bundle_id} replaced")
    emit(context, data, lines)
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``resign`` verb."""
    p = subparsers.add_parser(
        "resign",
        help="sign an app again with a new identity (.p12) and profile; verified before it is written",
        description=(
            "Re-sign an .ipa (or an app in the store, by bundle ID or name) with a new distribution "
            "identity and provisioning profile, innermost code first. The result is verified by "
            "provdesk before it is written or stored; the input is never overwritten. The .p12 "
            f"password comes from --password-file, ${PASSWORD_ENV} or a prompt without echo."
        ),
    )
    add_common(p)
    p.add_argument("app", metavar="APP.ipa|REF", help="an .ipa file, or a stored app's bundle ID or name")
    p.add_argument(
        "--identity", required=True, metavar="IDENTITY.p12", help="the distribution certificate and key"
    )
    p.add_argument(
        "--profile",
        action="append",
        metavar="[ID=]FILE",
        help="the new profile (ID=FILE for a nested bundle); may be repeated",
    )
    p.add_argument("--output", metavar="OUT.ipa", help="where to write the re-signed .ipa")
    p.add_argument("--password-file", metavar="F", help="read the identity's password from this file")
    p.add_argument("--bundle-id", metavar="ID", help="give the app this bundle ID (nested IDs follow)")
    p.add_argument(
        "--entitlements-from",
        choices=("profile", "app"),
        default="profile",
        help="take entitlements from the profile (filtered as Xcode does; default) or keep the app's",
    )
    p.add_argument(
        "--trust",
        action="append",
        metavar="PEM",
        help="also trust this root certificate; may be repeated",
    )
    p.set_defaults(handler=run_resign)
