"""``assign REF``: include a profile for groups and exclude it from others (``app assign`` reuses this).

After saving, the assignment is resolved by the rules' ``resolve_targets`` so an admin is
warned at once when an exclusion does nothing (a device group excluded under All users
excludes nobody, as in Intune). ``--json`` prints ``target_kind``, ``target``, ``include``,
``exclude``, ``reaches`` (the groups it resolves to) and ``warnings``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from store.model import TargetKind
from store.rules.assignment import resolve_targets
from tui.commands.common import Context, print_json, print_lines
from tui.commands.storeio import open_store, warn


def add_assign_options(parser: argparse.ArgumentParser) -> None:
    """``REF [--include G]... [--exclude G]... [--clear]``, shared by ``assign`` and ``app assign``."""
    parser.add_argument("ref", metavar="REF")
    parser.add_argument("--include", action="append", default=[], metavar="GROUP", help="include a group")
    parser.add_argument("--exclude", action="append", default=[], metavar="GROUP", help="exclude a group")
    parser.add_argument("--clear", action="store_true", help="replace the sets instead of adding to them")


def run_assignment(target_kind: TargetKind, args: argparse.Namespace, context: Context) -> int:
    """Save the assignment, print it and the groups it reaches, warn about exclusions that do nothing."""
    store = open_store(context)
    assignment = store.assign(target_kind, args.ref, args.include, args.exclude, clear=args.clear)
    resolution = resolve_targets(store.fleet(), assignment)
    if context.json:
        print_json({
            "target_kind": assignment.target_kind, "target": assignment.target,
            "include": sorted(assignment.include), "exclude": sorted(assignment.exclude),
            "reaches": sorted(resolution.groups), "warnings": list(resolution.warnings),
        })
    else:
        print_lines([
            f"{target_kind} {assignment.target}",
            f"  include: {', '.join(sorted(assignment.include)) or '-'}",
            f"  exclude: {', '.join(sorted(assignment.exclude)) or '-'}",
            f"  reaches: {', '.join(sorted(resolution.groups)) or 'nobody'}",
        ])
    for message in resolution.warnings:
        warn(message)
    return 0


def run_assign(args: argparse.Namespace, context: Context) -> int:
    """``assign`` for a profile."""
    return run_assignment("profile", args, context)


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``assign`` verb."""
    parser = subparsers.add_parser(
        "assign", help="include / exclude groups for a profile",
        description="Add groups to a profile's included and excluded sets (--clear replaces them). "
        "REF is a UUID, unique UUID prefix or unique name; groups by name (All users, All devices built in).",
    )
    add_common(parser)
    add_assign_options(parser)
    parser.set_defaults(handler=run_assign)
