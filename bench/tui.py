"""The console's cost as an SSH user sees it, measured from the far side of a real pty.

Three figures from issue 6, each beside a plain Textual app measured the same way in the
same run (these machines are noisy; only the ratio to the anchor travels):

- ``first_frame_5000_profiles``: from spawning ``provdesk --store P --no-mouse`` on a
  store of 5,000 profiles to the moment the emulated 80x24 screen shows the overview (nav
  bar, a group row, the footer) and output goes quiet; best of five starts. Anchor: a
  Textual app showing one static label.
- ``filter_keystroke_redraw``: on the Profiles screen (``2``), after ``/``, from writing
  ``k`` to the moment the table shows only the matching rows and output goes quiet; median
  of five keystrokes. Anchor: the same keystroke into a plain Textual ``Input``.
- ``idle_bytes_per_second``: bytes written while the overview sits idle for 60 s with
  nothing expiring within the hour (the real clock runs). Anchor: a Textual app ticking one
  label each second, measured side by side in the same minute.

Everything runs under TERM=xterm-256color at 80x24, the size the issue promises. The same
file holds the anchor apps (``--anchor NAME``) so they are started exactly like the console:
a fresh interpreter on a pty. Run: ``.venv/bin/python -m bench.tui [--idle SECONDS]``
(about two minutes, most of it the idle minute and building the store).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = "tui"
PROFILES = 5_000
STARTS = 5  # spawns per first-frame figure; the best is reported, as benchlib.timed does
KEYSTROKES = 5  # filter keystrokes per figure; the median is reported
ANCHOR_READY = "anchor ready"
WARM_UP = 2.0  # seconds after the first frame before idle bytes are counted


# -- the anchor apps (run in their own interpreter: ``python -m bench.tui --anchor NAME``) ---------


def run_anchor(name: str) -> None:
    """Run one anchor app in this process's terminal: ``static``, ``input`` or ``ticking``.

    Only Textual is imported here, so the anchor pays the same interpreter and import cost a
    minimal Textual program pays, and nothing of the bench's own machinery.
    """
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Label

    class StaticAnchor(App[None]):
        """The least a Textual app can draw: one label."""

        def compose(self) -> ComposeResult:
            yield Label(ANCHOR_READY)

    class InputAnchor(App[None]):
        """A label and a focused Input: the naive filter box."""

        def compose(self) -> ComposeResult:
            yield Label(ANCHOR_READY)
            yield Input(placeholder="filter")

    class TickingAnchor(App[None]):
        """A label rewritten every second: the naive live countdown."""

        def compose(self) -> ComposeResult:
            yield Label(ANCHOR_READY)
            yield Label("0", id="tick")

        def on_mount(self) -> None:
            self.ticks = 0
            self.set_interval(1.0, self.tick)

        def tick(self) -> None:
            self.ticks += 1
            self.query_one("#tick", Label).update(f"{self.ticks} s")

    apps: dict[str, type[App[None]]] = {
        "static": StaticAnchor, "input": InputAnchor, "ticking": TickingAnchor,
    }
    apps[name]().run(mouse=False)


def anchor_argv(name: str) -> list[str]:
    """How the bench starts an anchor app: a fresh interpreter, like the console."""
    return [sys.executable, "-m", "bench.tui", "--anchor", name]


def console_argv(store: Path) -> list[str]:
    """How the bench starts the console: exactly what an admin types, minus the mouse."""
    return [sys.executable, "-m", "tui.cli", "--store", str(store), "--no-mouse"]


# -- the 5,000-profile store ---------------------------------------------------------------

APPS = 50
GROUPS = 12
TEAM = "B3NCH7T5QZ"
#: App names cycle through these; only the last two hold a "k" (nothing else in a profile's
#: searchable text does: hex UUIDs, the team, "enterprise", "Bench Team"), so the filter
#: keystroke "k" keeps 2,000 of the 5,000 rows and visibly changes the first screenful.
APP_NAMES = ("Dispatch", "Field Service", "Ward Rounds", "Kiosk", "Stocktake")
FILTER_KEY = "k"


def app_name(app: int) -> str:
    """The name of bench app ``app`` (``Dispatch 00``, ``Field Service 01``, ...)."""
    return f"{APP_NAMES[app % len(APP_NAMES)]} {app:02d}"


def build_store(path: Path, profiles: int = PROFILES) -> Path:
    """A store of ``profiles`` real signed profiles through the public API, nothing expiring soon.

    One seeded EC demo PKI (fast to sign with) chains every profile to a bench root added as
    a demo anchor, so every profile is trusted exactly as a real one is. Expiries spread from
    three days to a year ahead, with one in twenty long expired: nothing is within the hour,
    so the idle figure measures a console with minute-level countdowns. Fifty apps in twelve
    groups, each shipping a profile that runs out at a different distance, make the overview
    a real timeline of critical, warning and ok rows. The store is built once per bench run.
    """
    import random
    import uuid
    from datetime import timedelta

    from cryptography.hazmat.primitives import serialization

    from store.clock import fixed_clock, system_clock
    from store.db import Store
    from store.demo.pki import make_intermediate, make_leaf, make_root
    from store.demo.signing import make_profile

    now = system_clock()
    rng = random.Random(5000)
    root = make_root("provdesk bench root", key_type="ec", seed="bench-root")
    middle = make_intermediate(root, "Bench iPhone Certification Authority", key_type="ec", seed="bench-ca")
    signer = make_leaf(
        middle, "Bench Provisioning Profile Signing", kind="profile-signing", key_type="ec",
        seed="bench-signer", not_before=now - timedelta(days=400), not_after=now + timedelta(days=2000),
    )
    distribution = make_leaf(
        middle, "iPhone Distribution: Bench Logistics, Inc.", TEAM, key_type="ec", seed="bench-dist",
        organization="Bench Logistics, Inc.", not_before=now - timedelta(days=100),
        not_after=now + timedelta(days=3 * 365 - 100),
    )
    store = Store.open(path, fixed_clock(now))
    store.add_anchor(root.cert.public_bytes(serialization.Encoding.PEM), "bench root", demo=True)
    valid: dict[int, list[tuple[datetime, str]]] = {}
    items: list[tuple[str, bytes]] = []
    for index in range(profiles):
        app = index % APPS
        if rng.random() < 0.05:
            expires = now - timedelta(days=rng.uniform(2, 200))
        else:
            expires = now + timedelta(days=rng.uniform(3, 360))
        expires = expires.replace(microsecond=0)
        profile_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
        items.append((f"bench-{index:05d}.mobileprovision", make_profile(
            signer, [middle.cert], name=f"{app_name(app)} #{index // APPS:03d}",
            uuid=profile_uuid, team_id=TEAM, team_name="Bench Logistics, Inc.",
            app_id=f"com.benchlogistics.app{app:02d}", app_id_name=app_name(app),
            created=expires - timedelta(days=365), expires=expires, certificates=[distribution.cert],
        )))
        if expires > now:
            valid.setdefault(app, []).append((expires, profile_uuid))
    for start in range(0, len(items), 1000):
        outcomes = store.import_profiles(items[start:start + 1000])
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            raise RuntimeError(f"bench profile refused: {failed[0].error}")
    groups = [f"Bench Team {g:02d}" for g in range(GROUPS)]
    for g, name in enumerate(groups):
        store.add_group(name, "device" if g % 4 == 3 else "user")
    for app, candidates in sorted(valid.items()):
        # App n ships with the profile expiring closest to 3 + 7n days from now, so the
        # timeline has critical, warning and ok rows, each counting down in days or months.
        wanted = now + timedelta(days=3 + 7 * app)
        _, profile_uuid = min(candidates, key=lambda c: abs(c[0] - wanted))
        bundle_id = f"com.benchlogistics.app{app:02d}"
        store.add_app(bundle_id, app_name(app), profile_uuid)
        targets = [groups[app % GROUPS], groups[(app * 7 + 3) % GROUPS]]
        store.assign("app", bundle_id, include=targets, exclude=())
        store.assign("profile", profile_uuid, include=targets, exclude=())
    return path


# -- measurements --------------------------------------------------------------------------


def first_frames(programs: list[tuple[list[str], Callable[[str], bool]]]) -> list[float]:
    """Seconds from spawn to the settled first frame satisfying each program's ``ready``.

    The programs are started in turn, STARTS rounds, so noise falls on all of them alike;
    the best round of each is reported (as ``benchlib.timed`` does).
    """
    from bench.ptyterm import PtyTerminal

    best = [float("inf")] * len(programs)
    for _ in range(STARTS):
        for index, (argv, ready) in enumerate(programs):
            with PtyTerminal(argv, cwd=ROOT) as term:
                done = term.settle(ready, timeout=30)
                best[index] = min(best[index], done - term.started)
    return best


def keystroke_latency(
    argv: list[str],
    prepare: Callable[[Any], None],
    key: str,
    shows: Callable[[str], bool],
    cleared: Callable[[str], bool],
) -> float:
    """Median seconds from writing ``key`` to the settled screen satisfying ``shows``.

    ``prepare(term)`` brings the program to the state where the key is typed (e.g. the
    Profiles screen with the filter open); after each measurement a backspace and
    ``cleared`` restore that state, so every keystroke is measured from the same screen.
    """
    from bench.ptyterm import PtyTerminal

    samples = []
    with PtyTerminal(argv, cwd=ROOT) as term:
        prepare(term)
        for _ in range(KEYSTROKES):
            sent = term.send(key)
            done = term.settle(shows, timeout=10)
            samples.append(done - sent)
            term.send("\x7f")
            term.settle(cleared, timeout=10)
    return statistics.median(samples)


def idle_rates(argvs: list[tuple[list[str], Callable[[str], bool]]], seconds: float) -> list[float]:
    """Bytes per second each program writes while idle, all measured over the same seconds."""
    from bench.ptyterm import PtyTerminal, PtyTimeout, pump_all

    terms = [PtyTerminal(argv, cwd=ROOT).start() for argv, _ in argvs]
    try:
        for term, (_, ready) in zip(terms, argvs, strict=True):
            term.settle(ready, timeout=30)
        pump_all(terms, WARM_UP)  # let start-up work (workers, first refreshes) finish first
        start = time.perf_counter()
        pump_all(terms, seconds)
        for term, (argv, ready) in zip(terms, argvs, strict=True):
            if not term.alive or not ready(term.text()):  # silence from a dead program proves nothing
                raise PtyTimeout(f"{argv[-3:]} did not stay on its screen while idle:\n{term.text()}")
        return [term.bytes_since(start) / seconds for term in terms]
    finally:
        for term in terms:
            term.close()


# -- what the screens must show -----------------------------------------------------------


def anchor_ready(text: str) -> bool:
    """The anchor app's label is drawn."""
    return ANCHOR_READY in text


def overview_ready(text: str) -> bool:
    """The overview is complete: nav bar on top, a group row of the timeline, the footer below."""
    lines = text.splitlines()
    return (
        len(lines) >= 24 and "1 Overview" in lines[0] and "Bench Team" in text and bool(lines[-1].strip())
    )


def profiles_ready(text: str) -> bool:
    """The Profiles table shows its first rows (sorted by name, so ``Dispatch 00 #000`` leads)."""
    return "Dispatch 00 #000" in text and "Expires in" in text


def filter_open(text: str) -> bool:
    """The filter box is open and empty (its placeholder shows) above the unfiltered table."""
    return "filter profiles" in text and profiles_ready(text)


def filter_cleared(text: str) -> bool:
    """The filter box is empty again and the table is back (scrolled to the kept cursor row)."""
    return "filter profiles" in text and "enterprise" in text and "Expires in" in text


def filtered(text: str) -> bool:
    """The table reflects the ``k`` filter: only Kiosk and Stocktake rows, the box shows ``k``."""
    return "Kiosk 03 #000" in text and "Dispatch" not in text and "filter profiles" not in text


def run_bench(tmp: Path, idle: float) -> bool:
    """Build the store, then measure the three figures and their anchors; False if any failed.

    A figure whose screen never appears (the console crashed, or shows something else) is
    reported on stderr with the screen it did show, and the other figures are still measured.
    """
    from bench.benchlib import figure
    from bench.ptyterm import PtyTimeout

    began = time.perf_counter()
    store = build_store(tmp / "store")
    print(f"# built a {PROFILES}-profile store in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    console = console_argv(store)

    def first_frame() -> None:
        value, anchor = first_frames([(console, overview_ready), (anchor_argv("static"), anchor_ready)])
        figure(
            BENCH, "first_frame_5000_profiles", value, "s", "<= 1.0 s", value <= 1.0,
            "Textual app showing one static label", anchor,
        )

    def open_filter(term: Any) -> None:
        term.settle(overview_ready, timeout=30)
        term.send("2")
        term.settle(profiles_ready)
        term.send("/")
        term.settle(filter_open)

    def filter_keystroke() -> None:
        value = keystroke_latency(console, open_filter, FILTER_KEY, filtered, filter_cleared)
        anchor = keystroke_latency(
            anchor_argv("input"), lambda term: term.settle(anchor_ready), "x",
            lambda text: "x" in text.replace(ANCHOR_READY, ""), lambda text: "filter" in text,
        )
        figure(
            BENCH, "filter_keystroke_redraw", value, "s", "<= 0.1 s", value <= 0.1,
            "the same keystroke into a plain Textual Input", anchor,
        )

    def idle_bytes() -> None:
        value, anchor = idle_rates(
            [(console, overview_ready), (anchor_argv("ticking"), lambda text: " s" in text)], idle,
        )
        figure(
            BENCH, "idle_bytes_per_second", value, "B/s", "<= 50 B/s", value <= 50,
            "Textual app ticking one label each second", anchor,
        )

    ok = True
    for measure in (first_frame, filter_keystroke, idle_bytes):
        try:
            measure()
        except PtyTimeout as error:
            ok = False
            print(f"# {BENCH}: {measure.__name__} not measured: {error}", file=sys.stderr)
    return ok


def anchors_only(idle: float) -> None:
    """The anchor half alone: proves the harness before (or without) the console."""
    from bench.benchlib import figure

    (static,) = first_frames([(anchor_argv("static"), anchor_ready)])
    figure(BENCH, "anchor_first_frame", static, "s", "<= 1.0 s", static <= 1.0, "itself", static)
    typed = keystroke_latency(
        anchor_argv("input"), lambda term: term.settle(anchor_ready), "x",
        lambda text: "x" in text.replace(ANCHOR_READY, ""), lambda text: "filter" in text,
    )
    figure(BENCH, "anchor_input_keystroke", typed, "s", "<= 0.1 s", typed <= 0.1, "itself", typed)
    (ticking,) = idle_rates([(anchor_argv("ticking"), lambda text: " s" in text)], idle)
    figure(BENCH, "anchor_ticking_bytes", ticking, "B/s", "<= 50 B/s", ticking <= 50, "itself", ticking)


def main() -> None:
    """Parse options; run an anchor app, or the whole bench."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchor", choices=("static", "input", "ticking"), help=argparse.SUPPRESS)
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of idle to measure (default 60)")
    parser.add_argument("--anchors-only", action="store_true", help="measure only the anchor apps")
    args = parser.parse_args()
    if args.anchor:
        run_anchor(args.anchor)
        return
    if args.anchors_only:
        anchors_only(args.idle)
        return
    with tempfile.TemporaryDirectory(prefix="provdesk-bench-tui-") as tmp:
        if not run_bench(Path(tmp), args.idle):
            sys.exit(1)


if __name__ == "__main__":
    from bench.benchlib import main_guard

    main_guard(main)
