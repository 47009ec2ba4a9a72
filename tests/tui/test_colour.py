"""Readable without colour (issue 10, bug 5): no colour at all under NO_COLOR, and WCAG
contrast ≥ 4.5:1 for every text colour of the default theme, cursor row included.

The contrast is computed from the theme's own generated variables (what the stylesheets
use), blended over what they are drawn on, with the WCAG 2 relative-luminance formula.
"""

from __future__ import annotations

import re

import pytest
from textual.color import Color

from store.db import Store
from tests.tui.conftest import DEMO_NOW, moment
from tests.tui.helpers import settle
from tests.tui.paint import full_frame, painted
from tui.app import ProvdeskApp
from tui.theme import PROVDESK_256, PROVDESK_ANSI16

WCAG_AA = 4.5
#: (text, drawn on) for every text colour the console uses on the default theme.
PAIRS = [
    ("foreground", "background"), ("text-muted", "background"), ("error", "background"),
    ("warning", "background"), ("success", "background"), ("primary", "background"),
    ("block-cursor-foreground", "block-cursor-background"),
    ("block-cursor-blurred-foreground", "block-cursor-blurred-background"),
    ("foreground", "panel"), ("footer-key-foreground", "footer-background"),
]


def luminance(color: Color) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def resolve(value: str, under: Color) -> Color:
    """A theme value (``#rrggbbaa`` or ``auto 60%``) as the opaque colour seen over ``under``."""
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
        return under + under.get_contrast_text(alpha)
    return under + Color.parse(value)


@pytest.mark.parametrize(("text", "ground"), PAIRS)
def test_default_theme_text_has_wcag_contrast(text: str, ground: str) -> None:
    """Each text colour on what it is drawn on reaches 4.5:1."""
    variables = PROVDESK_256.to_color_system().generate()
    background = Color.parse(variables["background"])
    under = resolve(variables[ground], background)
    over = resolve(variables[text], under)
    assert contrast(over, under) >= WCAG_AA, f"{text} on {ground}: {contrast(over, under):.2f}"


#: xterm's default palette (what TERM=xterm-256color shows for the 16 ANSI colours).
XTERM = {
    "ansi_black": (0, 0, 0), "ansi_red": (205, 0, 0), "ansi_green": (0, 205, 0),
    "ansi_yellow": (205, 205, 0), "ansi_blue": (0, 0, 238), "ansi_magenta": (205, 0, 205),
    "ansi_cyan": (0, 205, 205), "ansi_white": (229, 229, 229), "ansi_bright_black": (127, 127, 127),
    "ansi_bright_red": (255, 0, 0), "ansi_bright_green": (0, 255, 0), "ansi_bright_yellow": (255, 255, 0),
    "ansi_bright_blue": (92, 92, 255), "ansi_bright_cyan": (0, 255, 255),
    "ansi_bright_white": (255, 255, 255),
}
#: A dark terminal's own default colours (the theme is ``dark``).
XTERM_DEFAULT = {"fg": (229, 229, 229), "bg": (0, 0, 0)}
ANSI_PAIRS = [
    ("foreground", "background"), ("text-muted", "background"), ("error", "background"),
    ("warning", "background"), ("success", "background"), ("primary", "background"),
    ("block-cursor-foreground", "block-cursor-background"), ("footer-key-foreground", "footer-background"),
]


def ansi(value: str, role: str) -> Color:
    """An ANSI colour name as xterm's default palette shows it."""
    if value == "ansi_default":
        return Color(*XTERM_DEFAULT[role])
    return Color(*XTERM[value])


@pytest.mark.parametrize(("text", "ground"), ANSI_PAIRS)
def test_ansi16_theme_text_has_wcag_contrast(text: str, ground: str) -> None:
    """The 16-colour theme in xterm's palette: each pair reaches 4.5:1 (red and blue did not)."""
    variables = PROVDESK_ANSI16.to_color_system().generate()
    over, under = ansi(variables[text], "fg"), ansi(variables[ground], "bg")
    assert contrast(over, under) >= WCAG_AA, f"{text} on {ground}: {contrast(over, under):.2f}"


async def test_no_color_sends_no_colour_and_reverses_the_cursor(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under NO_COLOR every screen is sent without a colour code; the cursor row is reverse video.

    Before: Textual's Monochrome filter turned colours into greys (237 on 234).
    """
    from store.clock import fixed_clock

    monkeypatch.setenv("NO_COLOR", "1")
    app = ProvdeskApp(demo_store, fixed_clock(moment(DEMO_NOW)), mouse=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("j", "2", "5"):
            await pilot.press(key)
            await settle(pilot)
            with painted(app) as log:
                log.send(full_frame(app))
                sent = "".join(c for c in log.screen.display)
            frame = full_frame(app).render_segments(app.console)
            assert not re.search(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|38|4[0-7]|48|9[0-7]|10[0-7])[;m]", frame)
            marks = {y: log.screen.buffer[y][0] for y in range(24) if log.screen.buffer[y][0].data == "▶"}
            assert len(marks) == 1, sent
            assert all(cell.reverse for cell in marks.values())
            plain = next(iter(marks)) + (2 if key == "j" else 1)
            assert not log.screen.buffer[plain][0].reverse
