"""Store administration verbs: ``init [--shared-group G]``, ``doctor``, ``settings``.

``init --store postgresql://...`` applies the database schema (or migrates it).

``init --shared-group admins`` makes a team store (setgid directory 2770, files 0660,
owned by the group) so every admin on the jump host can work in it. ``doctor`` lists
every problem and exits 2 when one puts data at risk; leftovers of an interrupted write are
notes marked "(harmless ...)" (``--json``: a list of strings). ``settings``
shows or changes the warning/critical thresholds and the signing identity file the console
re-signs with (a path; the key is never read or stored here) (``--json``: critical_days,
warning_days, identity_path).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.errors import StoreError
from store.model import to_json
from tui.commands.common import Context, emit, print_json, print_lines
from tui.commands.storeio import open_store


def run_init(args: argparse.Namespace, context: Context) -> int:
    """Create an empty store."""
    from store.db import init_store

    root = init_store(context.store_path, args.shared_group)
    if context.json:
        print_json({"store": str(root), "shared_group": args.shared_group})
    else:
        who = f"shared with group {args.shared_group}" if args.shared_group else "private"
        print_lines([f"created a {who} store at {root}"])
    return 0


def run_doctor(args: argparse.Namespace, context: Context) -> int:
    """Check the store; exit 2 when anything is wrong."""
    from store.db import doctor, is_harmless

    problems = doctor(context.store_path)
    serious = [p for p in problems if not is_harmless(p)]
    if context.json:
        print_json(problems)
    elif problems:
        print_lines([f"{'note' if is_harmless(p) else 'problem'}: {p}" for p in problems])
    else:
        from store.db.location import describe

        print_lines([f"{describe(context.store_path)}: no problems found"])
    return 2 if serious else 0


def run_settings(args: argparse.Namespace, context: Context) -> int:
    """Show the thresholds, or change them."""
    store = open_store(context)
    current = store.fleet().thresholds
    if args.critical_days is not None or args.warning_days is not None:
        critical = current.critical_days if args.critical_days is None else args.critical_days
        warning = current.warning_days if args.warning_days is None else args.warning_days
        if critical < 0 or warning < 0:
            raise StoreError("bad-thresholds", "days cannot be negative")
        current = store.set_thresholds(critical, warning)
    if args.identity is not None or args.no_identity:
        store.set_identity_path(None if args.no_identity else Path(args.identity))
    identity = store.identity_path()
    emit(
        context,
        {**to_json(current), "identity_path": str(identity) if identity else None},
        [f"critical: {current.critical_days} days", f"warning: {current.warning_days} days",
         f"identity: {identity or '-'}"],
    )
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``init``, ``doctor`` and ``settings``."""
    p = subparsers.add_parser(
        "init", help="create a store (for a team: --shared-group), or apply/migrate a postgresql:// schema"
    )
    add_common(p)
    p.add_argument("--shared-group", metavar="GROUP", help="Unix group of the admins sharing this store")
    p.set_defaults(handler=run_init)
    p = subparsers.add_parser("doctor", help="check the store and say what is wrong")
    add_common(p)
    p.set_defaults(handler=run_doctor)
    p = subparsers.add_parser(
        "settings", help="show or change the warning / critical thresholds and the re-sign identity path",
    )
    add_common(p)
    p.add_argument("--critical-days", type=int, metavar="N")
    p.add_argument("--warning-days", type=int, metavar="N")
    p.add_argument(
        "--identity", metavar="IDENTITY.p12", help="the .p12 the console offers to re-sign with (a path)",
    )
    p.add_argument("--no-identity", action="store_true", help="forget the identity path")
    p.set_defaults(handler=run_settings)
