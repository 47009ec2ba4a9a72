"""Changing the store from a screen: confirm first when it destroys something, then run it
in the app's change worker, which reports success or the store's one-line refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from tui.screens.confirm import ConfirmScreen

StoreCall = Callable[[Any], object]


def run_change(screen: Screen[Any], summary: str, call: StoreCall) -> None:
    """Run ``call(store)`` in a worker; the app notifies ``summary`` and reloads, or shows the error."""
    screen.app.run_change(summary, call)  # type: ignore[attr-defined]


def confirm_and_run(
    screen: Screen[Any], question: str, summary: str, call: StoreCall, *, pop: bool = False
) -> None:
    """Ask ``question``; on yes, run the change (and close ``screen`` when ``pop``)."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        if pop and screen.app.screen is screen:
            screen.app.pop_screen()
        run_change(screen, summary, call)

    screen.app.push_screen(ConfirmScreen(question), answered)
