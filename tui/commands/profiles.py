"""Profile verbs: ``import``, ``profiles``, ``show``, ``delete``, ``prune``.

``import`` takes many files at once (a folder of renewals) and writes all the good ones in
one locked transaction; every bad file is reported and makes the exit status 2, so a
cron job or a script notices; each failure is a ``provdesk: CODE: FILE: message`` line on
stderr. ``import --json`` prints one object per file: ``file``,
``status`` (imported|unchanged|failed), ``uuid``, ``name``, ``type``, ``expires``,
``error`` ({code, message} or null), ``notes``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from store.errors import StoreError
from store.model import iso, parse_iso, to_json
from tui.commands.common import Context, emit, print_json, print_lines
from tui.commands.storeio import columns, error_json, open_store, profile_row, read_input, warn


def run_import(args: argparse.Namespace, context: Context) -> int:
    """Import the named files; exit 2 when any of them failed."""
    if args.name and len(args.files) > 1:
        raise StoreError("bad-usage", "--name gives one profile its name: import one file at a time with it")
    items = [(path, read_input(path)) for path in args.files]
    store = open_store(context, create=True)
    outcomes = store.import_profiles(items, display_name=args.name, description=args.description)
    if context.json:
        print_json([{
            "file": o.file_name, "status": o.status,
            "uuid": o.profile.uuid if o.profile else None, "name": o.profile.label if o.profile else None,
            "type": o.profile.type if o.profile else None,
            "expires": iso(o.profile.expires) if o.profile else None,
            "error": error_json(o.error), "notes": o.notes,
        } for o in outcomes])
    else:
        for o in outcomes:
            if o.error is not None:  # on stderr, in the one error form scripts already parse
                sys.stderr.write(f"provdesk: {o.error.code}: {o.file_name}: {o.error.message}\n")
                continue
            assert o.profile is not None
            print_lines([f"{o.status:<10} {o.file_name}: {o.profile.label} ({o.profile.uuid})"])
            for note in o.notes:
                print_lines([f"           note: {note}"])
    return 2 if any(o.status == "failed" for o in outcomes) else 0


def run_profiles(args: argparse.Namespace, context: Context) -> int:
    """List every profile (soonest expiry first)."""
    fleet = open_store(context).fleet()
    profiles = sorted(fleet.profiles, key=lambda p: p.expires)
    if context.json:
        print_json([profile_row(p, fleet) for p in profiles])
        return 0
    now = context.clock()
    rows = [[p.uuid[:8], p.label, p.type, iso(p.expires) or "", "expired" if p.expires <= now else "",
             p.trust] for p in profiles]
    print_lines(columns(rows, ["UUID", "NAME", "TYPE", "EXPIRES", "", "TRUST"]))
    return 0


def shown(value: object) -> str:
    """A value as text: lists joined by commas (``-`` when empty), never a Python repr."""
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value) or "-"
    return "-" if value is None else str(value)


def run_show(args: argparse.Namespace, context: Context) -> int:
    """Every stored fact of one profile, with its assignment."""
    store = open_store(context)
    profile = store.resolve_profile(args.ref)
    fleet = store.fleet()
    if context.json:
        print_json({**to_json(profile), **profile_row(profile, fleet)})
        return 0
    row = profile_row(profile, fleet)
    lines = [f"{key}: {shown(value)}" for key, value in row.items() if key not in ("certificates",)]
    lines += [f"certificate: {c.sha256} {c.common_name} (until {iso(c.not_after)})"
              for c in profile.certificates]
    lines += [f"entitlement: {k} = {v}" for k, v in sorted(profile.entitlements.items())]
    print_lines(lines)
    return 0


def run_delete(args: argparse.Namespace, context: Context) -> int:
    """Delete one profile (and its assignment)."""
    profile = open_store(context).delete_profile(args.ref)
    emit(
        context,
        {"deleted": profile.uuid, "name": profile.label},
        [f"deleted {profile.label} ({profile.uuid})"],
    )
    return 0


def run_prune(args: argparse.Namespace, context: Context) -> int:
    """Delete every profile that expired before the given date."""
    try:
        before = parse_iso(args.expired_before)
    except ValueError:
        raise StoreError("bad-date", f"not an ISO-8601 date: {args.expired_before!r}") from None
    assert before is not None
    gone = open_store(context).prune_expired(before)
    if context.json:
        print_json([{"uuid": p.uuid, "name": p.label, "expires": iso(p.expires)} for p in gone])
    else:
        print_lines([f"pruned {p.label} ({p.uuid}), expired {iso(p.expires)}" for p in gone])
        if not gone:
            warn(f"no profile expired before {iso(before)}")
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``import``, ``profiles``, ``show``, ``delete`` and ``prune``."""
    p = subparsers.add_parser("import", help="import profiles signed by Apple or a trusted anchor")
    add_common(p)
    p.add_argument("files", nargs="+", metavar="FILE", help=".mobileprovision files (- for stdin)")
    p.add_argument("--name", help="display name (default: the profile's own Name)")
    p.add_argument("--description", help="description, as in Intune's Create profile pane")
    p.set_defaults(handler=run_import)
    p = subparsers.add_parser("profiles", help="list the stored profiles")
    add_common(p)
    p.set_defaults(handler=run_profiles)
    p = subparsers.add_parser("show", help="show one stored profile")
    add_common(p)
    p.add_argument("ref", metavar="REF", help="UUID, unique UUID prefix, or unique name")
    p.set_defaults(handler=run_show)
    p = subparsers.add_parser("delete", help="delete a stored profile and its assignment")
    add_common(p)
    p.add_argument("ref", metavar="REF", help="UUID, unique UUID prefix, or unique name")
    p.set_defaults(handler=run_delete)
    p = subparsers.add_parser("prune", help="delete the profiles that expired before a date")
    add_common(p)
    p.add_argument("--expired-before", required=True, metavar="DATE", help="ISO-8601 date")
    p.set_defaults(handler=run_prune)
