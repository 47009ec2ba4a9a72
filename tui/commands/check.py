"""``provdesk check``: for cron and monitoring, exit 1 when any app breaks within the window.

Exit codes are the interface: 0 nothing breaks within ``--within`` days (default: the
warning threshold), 1 something does (one line each: group, app, date, reason), 2 on
error. Silent on success, so cron mails only when there is something to do. It imports
no Textual: a monitoring job starts fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from store.model import iso
from store.rules.suggestions import breaking_within
from store.rules.timeline import build_timeline
from tui.commands.common import Context, print_json, print_lines, whole_number
from tui.commands.storeio import open_store

EXIT_BREAKING = 1


def run_check(args: argparse.Namespace, context: Context) -> int:
    """List every (group, app) breaking before now + the window; exit 1 if there is any."""
    fleet = open_store(context).fleet()
    now = context.clock()
    within = fleet.thresholds.warning_days if args.within is None else args.within
    horizon = now + timedelta(days=within)
    timeline = build_timeline(fleet, now)
    breaking = breaking_within(timeline, horizon)
    if context.json:
        print_json({
            "now": now, "within_days": within, "ok": not breaking,
            "breaking": [
                {"group": group, "app": item.app, "breaks_at": item.breaks_at, "reason": item.reason,
                 "profile": item.profile, "resign_required": item.resign_required}
                for group, item in breaking
            ],
        })
    else:
        print_lines(f"{group}\t{item.app}\t{iso(item.breaks_at)}\t{item.reason}" for group, item in breaking)
    return EXIT_BREAKING if breaking else 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``check`` verb."""
    parser = subparsers.add_parser(
        "check", help="exit 1 if any app breaks within the window (for cron)",
        description="Exit 0 when no app in any group breaks within DAYS (default: the warning "
        "threshold), 1 when one does, printing one tab-separated line each: group, app, date, "
        "reason (profile, certificate, no-profile, integrity); 2 on error. Silent when all is well.",
    )
    add_common(parser)
    parser.add_argument("--within", type=whole_number("days"), default=None, metavar="DAYS",
                        help="the window in days (default: the warning threshold)")
    parser.set_defaults(handler=run_check)
