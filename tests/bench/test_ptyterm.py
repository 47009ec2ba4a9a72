"""The pty harness under bench/ must see what a real terminal sees, or its figures mean nothing."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("pyte")

from bench.ptyterm import PtyTerminal, PtyTimeout

SIZE_AND_COLOUR = (
    "import os, sys\n"
    "c, l = os.get_terminal_size(0)\n"
    "sys.stdout.write(f'\\x1b[2J\\x1b[5;3H\\x1b[31m{c}x{l} {os.environ[\"TERM\"]} '"
    "f'{os.isatty(0)}\\x1b[0m')\n"
    "sys.stdout.flush()\n"
    "sys.stdin.readline()\n"
    "print('bye', len(sys.argv))\n"
)


def test_child_sees_an_80x24_xterm_and_the_emulator_places_its_text() -> None:
    """The window size, TERM and tty-ness reach the child; cursor moves land where they should."""
    with PtyTerminal([sys.executable, "-c", SIZE_AND_COLOUR]) as term:
        term.settle(lambda text: "80x24" in text)
        row = term.screen.display[4]
        assert row.startswith("  80x24 xterm-256color True")
        assert term.screen.buffer[4][2].fg == "red"
        term.send("\r")
        term.settle(lambda text: "bye 1" in text)
        assert term.bytes_since(term.started) == sum(c.size for c in term.chunks) > 20


def test_settle_gives_up_with_the_screen_when_the_content_never_comes() -> None:
    """A timeout says what was on screen instead, so a failed bench run can be read."""
    argv = [sys.executable, "-c", "print('something else'); input()"]
    with PtyTerminal(argv) as term, pytest.raises(PtyTimeout, match="something else"):
        term.settle(lambda text: "never shown" in text, timeout=1.5)


def test_idle_bytes_counts_only_the_window() -> None:
    """Output before the idle window is not charged to it; a silent program costs nothing."""
    with PtyTerminal([sys.executable, "-c", "print('x' * 500); input()"]) as term:
        term.settle(lambda text: "xxxx" in text)
        assert term.idle_bytes(0.5) == 0
