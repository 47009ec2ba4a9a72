"""``log [--subject REF] [--limit N]``: the audit trail, newest first.

Answers "who changed this, from where, and what was it before?" on a shared jump host.
``--json`` prints events with ``at``, ``actor``, ``client``, ``action``, ``subject``,
``before``, ``after``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from store.model import iso
from tui.commands.common import Context, print_json, print_lines
from tui.commands.storeio import open_store


def _brief(value: Any) -> str:
    return "-" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def run_log(args: argparse.Namespace, context: Context) -> int:
    """Print the audit events."""
    events = open_store(context).audit(args.subject, args.limit)
    if context.json:
        print_json(events)
        return 0
    for e in events:
        print_lines([f"{iso(e.at)}  {e.actor}@{e.client}  {e.action}  {e.subject}"])
        if e.before is not None:
            print_lines([f"    before: {_brief(e.before)}"])
        if e.after is not None:
            print_lines([f"    after:  {_brief(e.after)}"])
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``log`` verb."""
    p = subparsers.add_parser("log", help="show the audit trail (who changed what, newest first)")
    add_common(p)
    p.add_argument("--subject", metavar="REF", help="only events about this profile, app, group or anchor")
    p.add_argument("--limit", type=int, metavar="N", help="at most N events")
    p.set_defaults(handler=run_log)
