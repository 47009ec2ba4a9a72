"""Group verbs: ``group add NAME --kind user|device``, ``group delete NAME [--force]``, ``groups``.

Groups mirror Intune's: user or device, with All users and All devices built in. Deleting
a group an assignment still uses needs ``--force`` (the error names the assignments).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from tui.commands.common import Context, emit, print_json, print_lines
from tui.commands.storeio import columns, group_row, open_store


def run_group_add(args: argparse.Namespace, context: Context) -> int:
    """Create a group."""
    store = open_store(context, create=True)
    group = store.add_group(args.name, args.kind, args.description or "")
    emit(context, group_row(group, store.fleet()), [f"added {group.kind} group {group.name}"])
    return 0


def run_group_delete(args: argparse.Namespace, context: Context) -> int:
    """Delete a group (``--force`` when assignments use it)."""
    group = open_store(context).delete_group(args.name, force=args.force)
    emit(context, {"deleted": group.name, "kind": group.kind}, [f"deleted {group.kind} group {group.name}"])
    return 0


def run_groups(args: argparse.Namespace, context: Context) -> int:
    """List every group, built-ins first."""
    fleet = open_store(context).fleet()
    rows = [group_row(g, fleet) for g in fleet.groups]
    if context.json:
        print_json(rows)
        return 0
    table = [[r["name"], r["kind"], "built in" if r["builtin"] else "", str(r["included_by"]),
              str(r["excluded_by"]), r["description"]] for r in rows]
    print_lines(columns(table, ["NAME", "KIND", "", "INCLUDED BY", "EXCLUDED BY", "DESCRIPTION"]))
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``group add|delete`` and ``groups``."""
    group = subparsers.add_parser("group", help="add or delete a user or device group")
    verbs = group.add_subparsers(dest="group_verb", metavar="ACTION", required=True)
    p = verbs.add_parser("add", help="add a group")
    add_common(p)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--kind", required=True, choices=("user", "device"))
    p.add_argument("--description", metavar="D")
    p.set_defaults(handler=run_group_add)
    p = verbs.add_parser("delete", help="delete a group (--force if assignments use it)")
    add_common(p)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--force", action="store_true", help="also remove it from every assignment")
    p.set_defaults(handler=run_group_delete)
    p = subparsers.add_parser("groups", help="list the groups")
    add_common(p)
    p.set_defaults(handler=run_groups)
