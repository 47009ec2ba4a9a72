"""Changing the store from a screen: confirm first when it destroys something, then run it
in the app's change worker, which reports success or the store's one-line refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import Resolver, StoreCall


def run_change(
    screen: Screen[Any], summary: str, call: StoreCall, resolve: Resolver | None = None,
    close: Callable[[], object] | None = None,
) -> None:
    """Run ``call(store)`` in a worker; the app notifies ``summary`` and reloads, or shows the error.

    A form passes ``resolve`` with a save that checks the record's revision: a refusal
    then opens the conflict screen, where the admin reapplies the edit or discards it.
    A form passes ``close`` to stay open, fields intact, when the store refuses the change.
    """
    screen.app.run_change(summary, call, resolve, close)  # type: ignore[attr-defined]


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
