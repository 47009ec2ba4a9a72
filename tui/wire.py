"""Only what changed reaches the terminal: a shadow of the screen, diffed on every frame.

Over SSH, bytes are latency. Textual repaints whole regions: a widget's every line when
one cell changed, a new screen twice when it is shown (the layout pass, then a full
refresh), a scrollbar cell by cell with its own escape codes, and each segment as
``ESC[codes m text ESC[0m`` even when its neighbour has the same style. This module keeps
what the terminal already shows (character and style per cell) and turns each compositor
update into the shortest writes that make the terminal match: cells that did not change
are skipped, short unchanged gaps are rewritten rather than jumped over (a cursor jump
costs about as much as six cells), and a style is sent only when it differs from the
previous cell's. The app (``tui/app.py``) routes every frame through :class:`Wire`; the
shadow is forgotten when the terminal may have lost its contents (resize, resume).

It reads Textual's two compositor updates (``LayoutUpdate`` for whole regions,
``ChopsUpdate`` for spans of lines); anything else is sent unchanged and the shadow is
dropped, so an unknown update can cost bytes but never leave a stale screen.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import Strip

#: A cell as the terminal shows it: its character ("" for the right half of a wide one), style.
Cell = tuple[str, Style | None]
#: Unchanged cells cheaper to rewrite than to jump over with a cursor move.
GAP = 6
RESET = "\x1b[0m"


class WireUpdate(CompositorUpdate):
    """A frame already turned into terminal writes."""

    def __init__(self, sequence: str) -> None:
        self.sequence = sequence

    def render_segments(self, console: Console) -> str:
        """The writes computed by :meth:`Wire.update`."""
        return self.sequence


class Wire:
    """The terminal's contents as last written, and the diff of each new frame against them."""

    def __init__(self) -> None:
        self.shadow: dict[tuple[int, int], Cell] = {}
        self._codes: dict[Style, str] = {}

    def forget(self) -> None:
        """The terminal may no longer show what was written: repaint everything next time."""
        self.shadow.clear()

    def update(self, update: CompositorUpdate, console: Console) -> CompositorUpdate | None:
        """The writes that bring the terminal to ``update``'s frame; None if nothing changed."""
        frame = _frame(update)
        if frame is None:
            self.forget()
            return update
        changed = {pos: cell for pos, cell in frame.items() if self.shadow.get(pos) != cell}
        if not changed:
            return None
        self.shadow.update(frame)
        color_system = console._color_system or ColorSystem.TRUECOLOR
        return WireUpdate(self._render(changed, color_system))

    def _render(self, changed: dict[tuple[int, int], Cell], color_system: ColorSystem) -> str:
        out: list[str] = []
        current: Style | None = None
        at: tuple[int, int] | None = None
        for y, x in sorted((y, x) for x, y in changed):
            if (x, y) not in changed:
                continue
            if self.shadow[(x, y)][0] == "" and (x - 1, y) in self.shadow:
                x -= 1  # the right half of a wide character: write the character itself
            if at is not None and at[1] == y and 0 <= x - at[0] <= GAP and self._known(at[0], x, y):
                start = at[0]  # rewrite the short unchanged gap instead of jumping over it
            else:
                out.append(f"\x1b[{y + 1};{x + 1}H")
                start = x
            for column in range(start, x + 1):
                char, style = self.shadow[(column, y)]
                changed.pop((column, y), None)
                if char == "":
                    continue
                if style != current:
                    out.append(self._sgr(style, color_system))
                    current = style
                out.append(char)
                if get_character_cell_size(char[0]) == 2:
                    changed.pop((column + 1, y), None)  # its right half is written with it
            width = get_character_cell_size(self.shadow[(x, y)][0][:1] or " ") or 1
            at = (x + width, y)
        if current is not None:
            out.append(RESET)
        return "".join(out)

    def _known(self, start: int, end: int, y: int) -> bool:
        return all((column, y) in self.shadow for column in range(start, end))

    def _sgr(self, style: Style | None, color_system: ColorSystem) -> str:
        if style is None:
            return RESET
        codes = self._codes.get(style)
        if codes is None:
            codes = self._codes[style] = style._make_ansi_codes(color_system)
        return f"\x1b[0;{codes}m" if codes else RESET


def _frame(update: CompositorUpdate) -> dict[tuple[int, int], Cell] | None:
    """Every cell ``update`` paints, later strips over earlier ones; None if it cannot be read."""
    pieces = _pieces(update)
    if pieces is None:
        return None
    frame: dict[tuple[int, int], Cell] = {}
    for x, y, strip in pieces:
        for text, style, control in strip:
            if control:
                return None
            for char in text:
                width = get_character_cell_size(char)
                if width == 0:  # a combining mark joins the cell before it
                    before = frame.get((x - 1, y))
                    if before is not None:
                        frame[(x - 1, y)] = (before[0] + char, before[1])
                    continue
                frame[(x, y)] = (char, style)
                if width == 2:
                    frame[(x + 1, y)] = ("", style)
                x += width
    return frame


def _pieces(update: CompositorUpdate) -> Iterator[tuple[int, int, Strip]] | None:
    if isinstance(update, LayoutUpdate):
        return _layout_pieces(update)
    if isinstance(update, ChopsUpdate):
        return _chops_pieces(update)
    return None


def _layout_pieces(update: LayoutUpdate) -> Iterator[tuple[int, int, Strip]]:
    for y, line in enumerate(update.strips, update.region.y):
        x = update.region.x
        for strip in line:
            yield x, y, strip
            x += strip.cell_length


def _chops_pieces(update: ChopsUpdate) -> Iterator[tuple[int, int, Strip]]:
    """The strips ``ChopsUpdate.render_segments`` writes, with the same cropping."""
    for y, x1, x2 in update.spans:
        for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if x2 > x >= x1 and end <= x2:
                yield x, y, strip
            else:
                yield x, y, strip.crop(0, min(end, x2) - x)
