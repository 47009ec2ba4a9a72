"""What every form shares: it is marked as one, and Escape with unsaved changes asks first.

The app reads :data:`FORM_MARK` to keep section keys and ``q`` from firing while a form is
open (a stray ``q`` typed outside a field must never quit with a half-made change), and
each form binds Escape to :func:`cancel_form` with whether it holds changes.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from tui.screens.confirm import ConfirmScreen

FORM_MARK = "IS_FORM"


def is_form(screen: Screen[Any]) -> bool:
    """Whether ``screen`` is a form (or a question asked over one)."""
    return bool(getattr(screen, FORM_MARK, False))


def cancel_form(screen: Screen[Any], changed: bool) -> None:
    """Close ``screen``; when it holds changes, only after the admin says ``y`` to discarding them."""

    def answered(discard: bool | None) -> None:
        if discard and screen.app.screen is screen:
            screen.dismiss(None)

    if not changed:
        screen.dismiss(None)
        return
    screen.app.push_screen(ConfirmScreen("Discard your changes?"), answered)
