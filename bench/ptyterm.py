"""A program run in a real pseudo-terminal, its output fed to a terminal emulator (pyte).

Textual's headless driver discards its output, so what an SSH user pays for (bytes on the
wire, the time until the screen is really drawn) can only be seen from the other side of
a pty. This helper opens one at a fixed size, starts the program with the pty as its
controlling terminal, and records every byte it writes with a timestamp, so a benchmark
can ask "when did the screen first show X and then go quiet?" and "how many bytes in 60 s?".

pyte is a bench-only dependency (the ``dev`` extra); nothing under ``store/`` or ``tui/``
imports this module.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pyte

#: How long output must stay silent before a frame counts as finished. Textual flushes a
#: frame in one or a few writes a few milliseconds apart; a quarter second of silence
#: is far longer than any gap inside one frame and short enough to keep the bench quick.
QUIET = 0.25


class PtyTimeout(RuntimeError):
    """The screen never showed what was awaited; carries the screen text for the report."""


@dataclass
class Chunk:
    """One read from the pty: when it arrived (perf_counter seconds) and how many bytes."""

    at: float
    size: int


@dataclass
class PtyTerminal:
    """A child process on a pty of ``columns`` x ``lines``, emulated by pyte as it writes."""

    argv: Sequence[str]
    columns: int = 80
    lines: int = 24
    env: Mapping[str, str] | None = None
    cwd: str | None = None
    chunks: list[Chunk] = field(default_factory=list)
    started: float = 0.0

    def __post_init__(self) -> None:
        self.screen = pyte.Screen(self.columns, self.lines)
        self.stream = pyte.ByteStream(self.screen)
        self._master = -1
        self._proc: subprocess.Popen[bytes] | None = None

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> PtyTerminal:
        """Open the pty at the set size and start the program; ``started`` is the instant before."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0))
        env = dict(os.environ if self.env is None else self.env)
        env.update(TERM="xterm-256color", COLUMNS=str(self.columns), LINES=str(self.lines))
        self.started = time.perf_counter()
        self._proc = subprocess.Popen(
            list(self.argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=self.cwd,
            start_new_session=True,
            preexec_fn=_take_controlling_tty,  # the bench process runs no threads
            close_fds=True,
        )
        os.close(slave)
        os.set_blocking(master, False)
        self._master = master
        return self

    def close(self) -> None:
        """Stop the child we started (SIGTERM, then SIGKILL) and close the pty."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=3)
        if self._master >= 0:
            os.close(self._master)
            self._master = -1

    def __enter__(self) -> PtyTerminal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- input and output -------------------------------------------------------------

    def send(self, data: bytes | str) -> float:
        """Type ``data`` into the terminal; returns the instant it was written."""
        raw = data.encode() if isinstance(data, str) else data
        at = time.perf_counter()
        os.write(self._master, raw)
        return at

    def pump(self, timeout: float) -> int:
        """Read whatever arrives within ``timeout`` seconds into the emulator; bytes read."""
        if self._master < 0:
            return 0
        ready, _, _ = select.select([self._master], [], [], max(timeout, 0.0))
        if not ready:
            return 0
        total = 0
        while True:
            try:
                data = os.read(self._master, 65536)
            except BlockingIOError:
                break
            except OSError:  # EIO: the child closed its side
                break
            if not data:
                break
            now = time.perf_counter()
            self.chunks.append(Chunk(now, len(data)))
            self.stream.feed(data)
            total += len(data)
        return total

    @property
    def alive(self) -> bool:
        """Whether the child is still running (a crash shows as a timeout otherwise)."""
        return self._proc is not None and self._proc.poll() is None

    # -- what is on screen ------------------------------------------------------------

    def text(self) -> str:
        """The emulated screen as plain text, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def bytes_since(self, instant: float) -> int:
        """Bytes the program wrote after ``instant`` (perf_counter seconds)."""
        return sum(c.size for c in self.chunks if c.at > instant)

    def last_output(self) -> float:
        """The instant of the last byte received (``started`` if none yet)."""
        return self.chunks[-1].at if self.chunks else self.started

    def settle(
        self, shows: Callable[[str], bool], *, timeout: float = 15.0, quiet: float = QUIET
    ) -> float:
        """Wait until the screen text satisfies ``shows`` and then no byte arrives for ``quiet`` s.

        Returns the instant of the last byte before that silence: the moment the screen was
        complete. A screen that shows the content but keeps writing is not complete yet.
        """
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            got = self.pump(0.02)
            if got or not shows(self.text()):
                if not self.alive and not got:
                    break
                continue
            # The content is there: now wait for silence, restarting the wait on any byte.
            while self.pump(quiet):
                pass
            if shows(self.text()):
                return self.last_output()
        raise PtyTimeout(f"screen never settled on the expected content:\n{self.text()}")

    def idle_bytes(self, seconds: float) -> int:
        """Bytes written during the next ``seconds`` while nothing is typed."""
        start = time.perf_counter()
        end = start + seconds
        while (now := time.perf_counter()) < end:
            self.pump(end - now)
        return self.bytes_since(start)


def _take_controlling_tty() -> None:
    """In the child, after ``setsid``: make the pty (already on fd 0) the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def pump_all(terminals: Sequence[PtyTerminal], seconds: float) -> None:
    """Read from several terminals at once for ``seconds`` (to measure idle runs side by side)."""
    end = time.perf_counter() + seconds
    while (now := time.perf_counter()) < end:
        fds = {t._master: t for t in terminals if t._master >= 0}
        if not fds:
            time.sleep(end - now)
            return
        ready, _, _ = select.select(list(fds), [], [], end - now)
        for fd in ready:
            fds[fd].pump(0)
