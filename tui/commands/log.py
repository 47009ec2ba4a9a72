"""``log [--subject REF] [--limit N]``: the audit trail, newest first.

Answers "who changed this, from where, and what was it before?" on a shared jump host.
Subjects are named as people call them (a deleted one by the name it had, marked so).
``--json`` prints events with ``at``, ``actor``, ``client``, ``action``, ``subject``,
``before``, ``after``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from store.model import iso
from tui.audit_names import recorded_names, subject_label
from tui.commands.common import Context, print_json, print_lines, whole_number
from tui.commands.storeio import open_store


def _brief(value: Any) -> str:
    return "-" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def run_log(args: argparse.Namespace, context: Context) -> int:
    """Print the audit events."""
    store = open_store(context)
    events = store.audit(args.subject, args.limit)
    if context.json:
        print_json(events)
        return 0
    if not events:
        print_lines([f"no audit events about {args.subject!r}" if args.subject else "no audit events yet"])
    fleet = store.fleet()
    names = recorded_names(store.audit())
    for e in events:
        label = subject_label(e.subject, fleet, names)
        print_lines([f"{iso(e.at)}  {e.actor}@{e.client}  {e.action}  {label}"])
        if e.before is not None:
            print_lines([f"    before: {_brief(e.before)}"])
        if e.after is not None:
            print_lines([f"    after:  {_brief(e.after)}"])
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``log`` verb."""
    p = subparsers.add_parser("log", help="show the audit trail (who changed what, newest first)")
    add_common(p)
    p.add_argument("--subject", metavar="REF",
                   help="only events about this profile, app, group or anchor: a name, bundle ID, "
                   "UUID or UUID prefix (deleted ones too)")
    p.add_argument("--limit", type=whole_number("events"), metavar="N", help="at most N events")
    p.set_defaults(handler=run_log)
