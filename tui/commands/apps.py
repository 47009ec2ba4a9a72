"""App verbs: ``app add``, ``app replace``, ``app assign``, ``app delete``, ``app resign``, and ``apps``.

``app add FILE.ipa`` reads everything from the archive; ``app add --bundle-id ID --name N
--profile REF [--cert SHA256]`` takes the certificate and entitlements from a stored profile.
``app replace REF FILE.ipa`` (or ``app add --replace``, or answering ``y`` when ``app add``
asks at a terminal) puts a new build in place of a stored app, keeping its assignments
and history. ``--json`` prints the app row (see ``storeio.app_row``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.errors import StoreError
from store.model import iso
from tui.commands.assign import add_assign_options, run_assignment
from tui.commands.common import Context, emit, print_json, print_lines
from tui.commands.storeio import app_row, columns, open_store, read_input


def run_app_add(args: argparse.Namespace, context: Context) -> int:
    """Add an app from an .ipa, or by hand from a stored profile."""
    store = open_store(context, create=True)
    if args.ipa:
        if args.bundle_id or args.profile:
            raise StoreError("bad-usage", "give either FILE.ipa or --bundle-id/--name/--profile, not both")
        name, data = Path(args.ipa).name, read_input(args.ipa)
        try:
            app = store.add_app_from_ipa(name, data, replace_existing=args.replace)
        except StoreError as error:
            if error.code != "duplicate-app" or not _asked_to_replace(error):
                raise
            app = store.add_app_from_ipa(name, data, replace_existing=True)
        return _print_app(context, store, app, "replaced" if app.revision > 1 else "added")
    else:
        if not (args.bundle_id and args.name and args.profile):
            raise StoreError("bad-usage", "without an .ipa, app add needs --bundle-id, --name and --profile")
        app = store.add_app(args.bundle_id, args.name, args.profile, args.cert)
    return _print_app(context, store, app, "added")


def _asked_to_replace(error: StoreError) -> bool:
    """At a terminal, ask whether the new build replaces the stored one (default no)."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    sys.stderr.write(f"provdesk: {error.message.split(';')[0]}. Replace its build? [y/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _print_app(context: Context, store: Any, app: Any, done: str) -> int:
    """The app row as JSON, or a few lines saying what was done."""
    if context.json:
        print_json(app_row(app, store.fleet()))
        return 0
    cert = app.signing_certificate
    print_lines([
        f"{done} {app.name} ({app.bundle_id}) {app.version}".rstrip(),
        f"  certificate: {cert.sha256 if cert else '-'} until {iso(cert.not_after) if cert else '-'}",
        f"  profile: {app.embedded_profile.label if app.embedded_profile else '-'}",
        *(["  needs a re-sign"] if app.needs_resign else []),
    ])
    return 0


def run_app_replace(args: argparse.Namespace, context: Context) -> int:
    """Put a new build (.ipa) in place of a stored app: assignments and history kept."""
    store = open_store(context)
    app = store.replace_app_ipa(args.ref, Path(args.ipa).name, read_input(args.ipa))
    return _print_app(context, store, app, "replaced")


def run_apps(args: argparse.Namespace, context: Context) -> int:
    """List every app."""
    fleet = open_store(context).fleet()
    apps = sorted(fleet.apps, key=lambda a: a.name.lower())
    if context.json:
        print_json([app_row(a, fleet) for a in apps])
        return 0
    rows = [[a.name, a.bundle_id, a.version,
             iso(a.embedded_profile.expires) or "" if a.embedded_profile else "-",
             "re-sign" if a.needs_resign else ""] for a in apps]
    print_lines(columns(rows, ["NAME", "BUNDLE ID", "VERSION", "PROFILE EXPIRES", ""]))
    return 0


def run_app_delete(args: argparse.Namespace, context: Context) -> int:
    """Delete one app (and its assignment)."""
    app = open_store(context).delete_app(args.ref)
    emit(context, {"deleted": app.bundle_id, "name": app.name}, [f"deleted {app.name} ({app.bundle_id})"])
    return 0


def run_app_resign(args: argparse.Namespace, context: Context) -> int:
    """Mark (or with --done, unmark) an app as needing a re-sign."""
    app = open_store(context).set_needs_resign(args.ref, not args.done)
    emit(
        context,
        {"bundle_id": app.bundle_id, "needs_resign": app.needs_resign},
        [f"{app.name}: {'needs a re-sign' if app.needs_resign else 're-signed'}"],
    )
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``app add|replace|assign|delete|resign`` and ``apps``."""
    app = subparsers.add_parser("app", help="add, replace, assign or delete an app")
    verbs = app.add_subparsers(dest="app_verb", metavar="ACTION", required=True)
    p = verbs.add_parser("add", help="add an app from an .ipa, or by hand from a stored profile")
    add_common(p)
    p.add_argument("ipa", nargs="?", metavar="FILE.ipa")
    p.add_argument("--bundle-id", metavar="ID")
    p.add_argument("--name", metavar="N")
    p.add_argument("--profile", metavar="REF", help="the stored profile covering the app")
    p.add_argument("--cert", metavar="SHA256", help="the profile's certificate the app is signed with")
    p.add_argument("--replace", action="store_true",
                   help="if the bundle ID is stored, replace that app's build (assignments kept)")
    p.set_defaults(handler=run_app_add)
    p = verbs.add_parser("replace", help="replace a stored app's .ipa with a new build (assignments kept)")
    add_common(p)
    p.add_argument("ref", metavar="REF", help="bundle ID or unique name")
    p.add_argument("ipa", metavar="FILE.ipa")
    p.set_defaults(handler=run_app_replace)
    p = verbs.add_parser("assign", help="include / exclude groups for an app")
    add_common(p)
    add_assign_options(p)
    p.set_defaults(handler=lambda a, c: run_assignment("app", a, c))
    p = verbs.add_parser("delete", help="delete an app and its assignment")
    add_common(p)
    p.add_argument("ref", metavar="REF", help="bundle ID or unique name")
    p.set_defaults(handler=run_app_delete)
    p = verbs.add_parser("resign", help="mark an app as needing a re-sign (--done when re-signed)")
    add_common(p)
    p.add_argument("ref", metavar="REF", help="bundle ID or unique name")
    p.add_argument("--done", action="store_true")
    p.set_defaults(handler=run_app_resign)
    p = subparsers.add_parser("apps", help="list the stored apps")
    add_common(p)
    p.set_defaults(handler=run_apps)
