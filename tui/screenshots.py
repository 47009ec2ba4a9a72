"""Regenerate ``screenshots/*.svg``: each main screen of the console on the demo data, at 100x30.

``make screenshots`` runs ``python -m tui.screenshots screenshots``. The README shows these
files, so they must only change when the console does: the demo store is built fresh in a
temporary directory for a fixed moment with reproducible signatures, the console runs on a
frozen clock, the audit trail names a fixed actor, and Python's string hashing is pinned
(a set shown in its iteration order would otherwise reorder between runs). Running it twice
leaves ``git status`` clean.

Each screen is reached with the keys an admin presses, from a fresh console, so a
screenshot also proves the key still leads there.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SIZE = (100, 30)
#: Who the audit trail says made the demo changes; the real login name would vary per machine.
ACTOR = "admin"
HASH_SEED = "0"
#: Where the Create pane's file browser opens (its path is on screen, so it is fixed).
DOWNLOADS = Path("/tmp/provdesk-screenshots/Downloads")
#: The demo profiles laid out there as files (renewals an admin would have just downloaded).
DOWNLOADED = frozenset({"hb-scan-2026", "bf-rounds-2026", "jr-sales-h2"})
RENEWAL = "bf-badge-2027"
LONG_LIVED_WORKER_GROUPS = frozenset({"_loader"})
MAX_SETTLE_ROUNDS = 500
#: Variables that would put this machine's session into the audit trail (``store/actor.py``).
UNSET = ("SUDO_USER", "SSH_CONNECTION")
DESCRIPTION = "Regenerate the console's screenshots (SVG, 100x30) from the demo data on a frozen clock."


@dataclass(frozen=True)
class Shot:
    """One screenshot: the file stem and the keys pressed from the overview to reach the screen."""

    name: str
    keys: tuple[str, ...]
    why: str


def typed(text: str) -> tuple[str, ...]:
    """The key names that type ``text`` into a focused Input."""
    return tuple("space" if char == " " else char for char in text)


SHOTS: tuple[Shot, ...] = (
    Shot("overview", (), "the timeline: which group loses which app, when"),
    Shot("profiles", ("2",), "every profile with its countdown"),
    Shot("profile-detail", ("2", "enter"), "every fact of one profile, its assignments and history"),
    Shot(
        "create", ("2", "n", *typed("Badge Access 2027"), "ctrl+o", "down", "enter"),
        "the Create profile pane, a downloaded renewal picked and previewed",
    ),
    Shot(
        "assign", ("2", *["down"] * 7, "a", *["down"] * 5, "space"),
        "the Assign pane: the team wildcard ticked for Executives, the effect shown before saving",
    ),
    Shot("group-detail", ("enter",), "one group: each app's break, its reason and covering profile"),
    Shot("problems", ("p",), "what timeline warns about: exclusions excluding nobody, failing assignments"),
    Shot("apps", ("3",), "the apps and what signs them"),
    Shot("app-detail", ("3", "enter"), "one app: its certificate, each group's break and its assignment"),
    Shot("groups", ("4",), "user and device groups"),
    Shot("triage", ("5",), "what breaks within the warning window, most urgent first"),
    Shot("audit", ("6",), "who changed what, when"),
    Shot("help", ("question_mark",), "every key"),
)


def pinned_environment() -> dict[str, str] | None:
    """The environment to re-run under when this one is not pinned yet, else ``None``."""
    wanted = {"PYTHONHASHSEED": HASH_SEED, "LOGNAME": ACTOR, "USER": ACTOR, "TZ": "UTC"}
    if all(os.environ.get(k) == v for k, v in wanted.items()) and not any(k in os.environ for k in UNSET):
        return None
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(wanted)
    return env


def make_demo_store(path: Path) -> Any:
    """A fresh store at ``path`` with the demo data loaded for :data:`NOW` on a frozen clock."""
    from store.clock import fixed_clock
    from store.db import Store
    from store.demo.loader import load_demo

    store = Store.open(path, fixed_clock(NOW))
    load_demo(store, NOW, reproducible=True)
    return store


async def take(shot: Shot, store: Any) -> str:
    """Start a console on ``store``, press the shot's keys, and return the SVG of what shows."""
    from store.clock import fixed_clock
    from tui.app import ProvdeskApp

    app = ProvdeskApp(store, fixed_clock(NOW), mouse=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in shot.keys:
            await pilot.press(key)
            await settle(app, pilot)
        return app.export_screenshot(title=f"provdesk — {shot.name}")


async def settle(app: Any, pilot: Any) -> None:
    """Wait until the first snapshot is published and every short-lived worker has finished.

    Some workers never finish by design (DirectoryTree's loader waits on a queue for the
    next folder to read), so they are left out rather than awaited.
    """
    for _ in range(MAX_SETTLE_ROUNDS):
        await pilot.pause()
        busy = [w for w in app.workers if w.is_running and w.group not in LONG_LIVED_WORKER_GROUPS]
        if not busy and getattr(app, "snapshot", None) is not None:
            break
        await asyncio.sleep(0.02)
    else:
        raise TimeoutError(f"the console did not settle: {[w.name for w in busy]} still running")
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def lay_out_downloads(folder: Path) -> None:
    """A fixed folder of profile files for the Create pane's file browser to show and preview.

    The browser opens in the working directory, and a picked file's full path is shown, so
    the shots run in a folder whose path and content are the same on every run (not the
    repo, not a random temporary name). Besides three demo profiles it holds one renewal
    that is not in the store yet, signed by the demo CA at :data:`NOW`, for the preview.
    """
    from store.demo.dataset import build_demo, profile_uuid
    from store.demo.signing import make_profile

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    world = build_demo(NOW, reproducible=True)
    for profile in world.profiles:
        if profile.key in DOWNLOADED:
            (folder / profile.file_name).write_bytes(profile.data)
    authority = world.intermediates[0]
    company = next(c for c in world.companies if c.key == "bluefin")
    renewal = make_profile(
        world.signer, (authority.cert, world.root.cert), signing_time=NOW,
        name="Bluefin Badge Access 2027", uuid=profile_uuid("screenshots:bf-badge-2027"),
        team_id=company.team_id, team_name=company.name, app_id="com.bluefinhealth.badge",
        app_id_name="Badge Access", created=NOW, expires=NOW + timedelta(days=365),
        certificates=(company.current.cert,),
    )
    (folder / f"{RENEWAL}.mobileprovision").write_bytes(renewal)


async def take_all(out: Path, shots: Sequence[Shot]) -> list[Path]:
    """Write one SVG per shot into ``out``; only files whose bytes changed are rewritten."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    here = Path.cwd()
    lay_out_downloads(DOWNLOADS)
    try:
        os.chdir(DOWNLOADS)
        with tempfile.TemporaryDirectory(prefix="provdesk-screenshots-") as tmp:
            store = make_demo_store(Path(tmp) / "store")
            for shot in shots:
                svg = await take(shot, store)
                target = out / f"{shot.name}.svg"
                if not target.exists() or target.read_text(encoding="utf-8") != svg:
                    target.write_text(svg, encoding="utf-8")
                written.append(target)
    finally:
        os.chdir(here)
        shutil.rmtree(DOWNLOADS.parent, ignore_errors=True)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tui.screenshots DIR [--only NAME ...]``: regenerate the screenshots in DIR."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m tui.screenshots", description=DESCRIPTION)
    parser.add_argument("out", type=Path, help="directory for the SVG files (the repo's screenshots/)")
    parser.add_argument("--only", action="append", choices=[s.name for s in SHOTS], help="just these")
    args = parser.parse_args(args_list)
    env = pinned_environment()
    if env is not None:
        os.execve(sys.executable, [sys.executable, "-m", "tui.screenshots", *args_list], env)
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    for path in asyncio.run(take_all(args.out, shots)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
