"""Colours that survive an SSH session: a 256-colour default and a 16-colour ANSI theme.

The default theme picks only colours that exist in the xterm-256 palette, so the
down-conversion Textual does for 256-colour terminals does not shift them. ``ansi16``
uses the terminal's own 16 colours (good on old terminals and light backgrounds).
Both give text a WCAG contrast of at least 4.5:1 on what it is drawn on (for ``ansi16``,
in xterm's default palette on its black background: hence bright red, not red, and cyan,
not blue), checked by ``tests/tui/test_colour.py``. Under ``NO_COLOR`` the app strips every
colour (``tui/app.py``) and the cursor is reverse video; status is always also given as a
word and a symbol, so nothing depends on colour.
"""

from __future__ import annotations

from textual.theme import Theme

DEFAULT = "provdesk"
ANSI16 = "provdesk-ansi16"

PROVDESK_256 = Theme(
    name=DEFAULT,
    primary="#5f87d7",
    secondary="#5f87af",
    accent="#d7af5f",
    warning="#d7af00",
    error="#d75f5f",
    success="#5faf5f",
    foreground="#d0d0d0",
    background="#1c1c1c",
    surface="#262626",
    panel="#303030",
    dark=True,
)

PROVDESK_ANSI16 = Theme(
    name=ANSI16,
    ansi=True,
    primary="ansi_cyan",
    secondary="ansi_cyan",
    warning="ansi_yellow",
    error="ansi_bright_red",
    success="ansi_green",
    accent="ansi_cyan",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "block-cursor-foreground": "ansi_black",
        "block-cursor-background": "ansi_white",
        "input-cursor-background": "ansi_white",
        "input-cursor-foreground": "ansi_black",
        "border-blurred": "ansi_bright_black",
        "text-muted": "ansi_bright_black",
        "footer-key-foreground": "ansi_cyan",
    },
)

THEMES = (PROVDESK_256, PROVDESK_ANSI16)


def theme_name(requested: str | None) -> str:
    """The registered theme for the ``--theme`` choice (``default``/``ansi16``/None)."""
    return ANSI16 if requested == "ansi16" else DEFAULT
