"""``store copy SRC DST``: move a whole store between a directory and PostgreSQL (either way).

Prints what was copied (``--json``: ``source``, ``destination``, ``documents`` per table,
``audit_events``, ``blobs``). Locations are shown with any password hidden.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from tui.commands.common import Context, emit


def run_copy(args: argparse.Namespace, context: Context) -> int:
    """Copy SRC into the new, empty store DST."""
    from store.db.copy import copy_store

    summary = copy_store(args.source, args.destination, context.clock)
    counts = ", ".join(f"{n} {name}" for name, n in summary.documents.items() if n)
    emit(context, asdict(summary), [
        f"copied {summary.source} to {summary.destination}",
        f"{counts or 'no documents'}; {summary.audit_events} audit events; {summary.blobs} original files",
    ])
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``store copy``."""
    p = subparsers.add_parser("store", help="move a whole store between a directory and PostgreSQL")
    verbs = p.add_subparsers(dest="store_verb", metavar="ACTION", required=True)
    c = verbs.add_parser("copy", help="copy SRC (directory or postgresql:// URL) into a new, empty DST")
    add_common(c)
    c.add_argument("source", metavar="SRC")
    c.add_argument("destination", metavar="DST")
    c.set_defaults(handler=run_copy)
