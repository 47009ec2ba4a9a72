"""Bytes over the wire: what each key costs an SSH user, beside a plain Textual DataTable app.

Issue 10's figures, measured from the far side of a real pty at 80x24 under
TERM=xterm-256color, on the demo store (``provdesk demo --now``), with the console's clock
frozen at the same ``--now`` so no countdown ticks mix into the counts:

- ``first_frame_bytes``: from spawn until the overview is drawn and output goes quiet;
- ``cursor_move_bytes_<list>``: one ``j`` on the Overview and on each list (screens 2-6);
- ``screen_switch_bytes_<n>``: pressing ``2`` … ``6``;
- ``late_bytes_after_cursor_move`` / ``_screen_switch``: bytes that arrive after the key's
  answer went quiet for 50 ms, over every key above: an animation, or a second frame
  sent after the first, shows here (the time taken to draw the first frame does not);
- ``idle_bytes_per_second``: ten quiet seconds on the overview.

The anchor is a plain Textual app showing a 30-row, 7-column ``DataTable`` (the naive
way to build this console), run the same way in the same run: its first frame, a ``j``
in it, its late bytes, its idle rate. Run: ``.venv/bin/python -m bench.tui_bytes``.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
BENCH = "tui_bytes"
NOW = "2026-11-29T12:00:00Z"
WAIT = 0.6  # seconds of output collected after each key
LATE = 0.05  # output after a silence this long, once the answer began, is "late"
IDLE = 10.0
LISTS = (("2", "profiles", "Expires in"), ("3", "apps", "Re-sign"), ("4", "groups", "Kind"),
         ("5", "triage", "Reason"), ("6", "audit", "Who"))
ANCHOR_READY = "row 00"


def run_anchor() -> None:
    """The anchor: a plain DataTable of 30 rows and 7 columns, row cursor, j/k bound."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import DataTable

    class TableAnchor(App[None]):
        BINDINGS = [Binding("j", "down", "Down"), Binding("k", "up", "Up")]  # noqa: RUF012

        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="row")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Name", "Expires in", "Type", "Trust", "Groups", "App ID", "Team")
            for row in range(30):
                table.add_row(f"row {row:02d} profile", f"{row + 1} days", "enterprise", "anchor",
                              "All users", f"com.example.app{row:02d}", "Example Team (ABCDE12345)")

        def action_down(self) -> None:
            self.query_one(DataTable).action_cursor_down()

        def action_up(self) -> None:
            self.query_one(DataTable).action_cursor_up()

    TableAnchor().run(mouse=False)


def key_cost(term: object, key: str, shows: Callable[[str], bool] | None = None) -> tuple[int, int]:
    """Bytes written in answer to ``key``, and how many of them came late."""
    from bench.ptyterm import PtyTerminal

    assert isinstance(term, PtyTerminal)
    sent = term.send(key)
    term.idle_bytes(WAIT)
    if shows is not None:
        term.settle(shows, timeout=10)
    answer = [c for c in term.chunks if c.at > sent]
    late = 0
    for before, chunk in itertools.pairwise(answer):
        if late or chunk.at - before.at > LATE:
            late += chunk.size
    return sum(c.size for c in answer), late


def overview_ready(text: str) -> bool:
    """The demo overview: nav bar, the timeline header and the footer."""
    lines = text.splitlines()
    return len(lines) >= 24 and "1 Overview" in lines[0] and "BREAKS IN" in text and bool(lines[-1].strip())


def measure(store: Path) -> bool:
    """Every figure and its anchor; False if the console never showed a screen."""
    from bench.benchlib import figure
    from bench.ptyterm import PtyTerminal, PtyTimeout

    console = [sys.executable, "-m", "tui.cli", "--store", str(store), "--now", NOW, "--no-mouse"]
    anchor = [sys.executable, "-m", "bench.tui_bytes", "--anchor"]
    try:
        with PtyTerminal(anchor, cwd=ROOT) as term:
            term.settle(lambda text: ANCHOR_READY in text, timeout=30)
            anchor_first = term.bytes_since(term.started)
            anchor_move, anchor_late = key_cost(term, "j")
            anchor_idle = term.idle_bytes(IDLE) / IDLE
        with PtyTerminal(console, cwd=ROOT) as term:
            term.settle(overview_ready, timeout=30)
            first = term.bytes_since(term.started)
            moves = {"overview": key_cost(term, "j")}
            switches: dict[str, tuple[int, int]] = {}
            for digit, name, title in LISTS:
                switches[digit] = key_cost(term, digit, lambda text, title=title: title in text)
                moves[name] = key_cost(term, "j")
            term.send("1")
            term.settle(overview_ready)
            idle = term.idle_bytes(IDLE) / IDLE
    except PtyTimeout as error:
        print(f"# {BENCH}: not measured: {error}", file=sys.stderr)
        return False
    table = "plain Textual DataTable app"
    figure(BENCH, "first_frame_bytes", first, "B", "<= 16384 B", first <= 16384, f"{table}: first frame",
           anchor_first)
    for name, (size, _) in moves.items():
        figure(BENCH, f"cursor_move_bytes_{name}", size, "B", "<= 1024 B", size <= 1024,
               f"{table}: j", anchor_move)
    for digit, (size, _) in switches.items():
        figure(BENCH, f"screen_switch_bytes_{digit}", size, "B", "<= 8192 B", size <= 8192,
               f"{table}: first frame", anchor_first)
    for kind, costs in (("cursor_move", moves), ("screen_switch", switches)):
        late = max(lateness for _, lateness in costs.values())
        figure(BENCH, f"late_bytes_after_{kind}", late, "B", "0 B (no animation)", late == 0,
               f"{table}: late bytes after j", anchor_late)
    figure(BENCH, "idle_bytes_per_second", idle, "B/s", "0 B/s", idle == 0, f"{table}: idle", anchor_idle)
    return True


def main() -> None:
    """Run the anchor app, or build the demo store and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchor", action="store_true", help=argparse.SUPPRESS)
    if parser.parse_args().anchor:
        run_anchor()
        return
    with tempfile.TemporaryDirectory(prefix="provdesk-bench-bytes-") as tmp:
        store = Path(tmp) / "demo"
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "demo", "--store", str(store), "--now", NOW],
            cwd=ROOT, check=True, capture_output=True,
        )
        if not measure(store):
            sys.exit(1)


if __name__ == "__main__":
    from bench.benchlib import main_guard

    main_guard(main)
