"""What screens may ask of the application, typed without importing ``tui.app``.

Screens are imported by the app, so they reach it through this protocol instead of
the class: the store, the clock, the current snapshot and a way to ask for a reload.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

from textual.dom import DOMNode

from store.clock import Clock
from tui.snapshot import Snapshot


class ConsoleHost(Protocol):
    """The slice of ``ProvdeskApp`` that screens and widgets use."""

    store: Any
    clock: Clock
    snapshot: Snapshot | None

    def reload(self) -> None:
        """Re-read the store in a worker and publish a new snapshot."""


def host(node: DOMNode) -> ConsoleHost:
    """The running console app, seen through :class:`ConsoleHost`."""
    return cast(ConsoleHost, node.app)
