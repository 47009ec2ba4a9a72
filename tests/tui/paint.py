"""Count what the console would write to the terminal, from inside a Pilot test.

The headless driver discards output, so this wraps ``App._display`` and passes each
compositor update through a :class:`tui.wire.Wire` of its own, as the real app does on a
terminal: the bytes a key costs over SSH, without a pty or a clock. The writes are also
fed to a pyte screen, so a test can check the terminal really shows the frame.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyte
from textual._compositor import CompositorUpdate
from textual.app import App

from tui.wire import Wire


class PaintLog:
    """The bytes sent while the log was open, and an emulated terminal that received them."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.bytes = 0
        self.raw_bytes = 0
        self.wire = Wire()
        self.screen = pyte.Screen(*app.size)
        self.stream = pyte.Stream(self.screen)

    def send(self, update: CompositorUpdate) -> None:
        """What the app would write for ``update``, written to the emulated terminal."""
        self.raw_bytes += len(update.render_segments(self.app.console).encode())
        sent = self.wire.update(update, self.app.console)
        if sent is not None:
            sequence = sent.render_segments(self.app.console)
            self.bytes += len(sequence.encode())
            self.stream.feed(sequence)

    def text(self) -> str:
        """The emulated terminal's text."""
        return "\n".join(line.rstrip() for line in self.screen.display)


@contextmanager
def painted(app: App[Any]) -> Iterator[PaintLog]:
    """Record every frame the app sends while the ``with`` block runs."""
    log = PaintLog(app)
    original = app._display

    def capture(screen: Any, renderable: Any) -> None:
        if isinstance(renderable, CompositorUpdate) and not app._batch_count:
            log.send(renderable)
        original(screen, renderable)

    app._display = capture  # type: ignore[method-assign]
    try:
        yield log
    finally:
        app._display = original  # type: ignore[method-assign]


def full_frame(app: App[Any]) -> CompositorUpdate:
    """The whole current screen as one update (what a fresh terminal would be sent)."""
    return app.screen._compositor.render_update(full=True)
