"""``provdesk demo``: fill an empty store with the demo data set, to try the console on something alive.

The data are real (signed profiles under a demo CA that only this store trusts) and dated
from now (or ``--now``), so there is always something expired, something critical and
something fine. A store that already holds data is refused rather than mixed with demo
profiles: point ``--store`` at a fresh directory instead.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from tui.commands.common import Context, emit


def run_demo(args: argparse.Namespace, context: Context) -> int:
    """Open (or create) the store, load the demo into it, print what was loaded."""
    from store.db import Store
    from store.demo.loader import load_demo

    store = Store.open(context.store_path, context.clock)
    # Under --now, date every signature from that clock too: a profile signed at today's
    # wall-clock time by a certificate dated around --now would not verify.
    reproducible = bool(args.reproducible) or args.now is not None
    summary = load_demo(store, context.clock(), reproducible=reproducible)
    emit(
        context,
        {"store": store.location, **asdict(summary)},
        [summary.sentence(), f"Store: {store.location}"],
    )
    return 0


def register(subparsers: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``demo`` verb to the command line."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="fill an empty store with demo profiles, apps, groups and assignments",
        description=(
            "Fill an empty store with a realistic demo: about 30 signed enterprise profiles "
            "(expired, expiring within the hour, the week, the month, and later), a dozen apps, "
            "user and device groups, and assignments. They are signed by a demo CA that only "
            "this store trusts. A store that already holds data is refused."
        ),
    )
    add_common(parser)
    parser.add_argument(
        "--reproducible", action="store_true",
        help="sign every profile at its creation date so files repeat byte for byte (screenshots)",
    )
    parser.set_defaults(handler=run_demo)
