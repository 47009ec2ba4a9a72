"""One cursor for every list: the same keys, always in sight, and only two rows repainted per move.

Every list of the console (the overview's timeline, the profile, app, group, triage and
audit tables) is a line-API ``ScrollView`` drawing a header line and rows of one or more
lines. This base owns what they share, so ``g G j k`` behave the same everywhere:

- the keys: ``j``/``k``/arrows, ``g``/``G``/Home/End, PgUp/PgDn, ``←``/``→`` across wide rows;
- the highlighted row is always fully visible: the view scrolls by the least that shows it,
  never under a scrollbar (there is no horizontal scrollbar: off-screen columns are
  signalled in the header instead, see ``record_table.py``);
- a move repaints the old and the new cursor row only, a few hundred bytes over SSH,
  and nothing animates (``scroll_to(animate=False)``).
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.reactive import reactive
from textual.scroll_view import ScrollView

#: How far ``←``/``→`` move across rows wider than the screen.
SIDE_STEP = 12


class CursorList(ScrollView, can_focus=True):
    """A scrolling list with a highlighted row; subclasses say how many rows and draw them."""

    #: Lines at the top that never scroll (the column titles).
    HEADER_LINES: ClassVar[int] = 1
    #: Lines each row takes.
    ROW_LINES: ClassVar[int] = 1

    DEFAULT_CSS = """
    CursorList { height: 1fr; scrollbar-size-horizontal: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "first", "First row", show=False),
        Binding("end,G", "last", "Last row", show=False),
        Binding("right", "side(1)", "Columns to the right", show=False),
        Binding("left", "side(-1)", "Columns to the left", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, repaint=False)

    @property
    def row_count(self) -> int:
        """How many rows the list shows now."""
        raise NotImplementedError

    @property
    def visible_lines(self) -> int:
        """Lines below the header that are really on screen (scrollbars excluded)."""
        return max(self.scrollable_content_region.height - self.HEADER_LINES, self.ROW_LINES)

    def move_cursor(self, row: int) -> None:
        """Highlight ``row`` (clamped to the rows there are) and bring it into view."""
        self.cursor_row = max(0, min(row, self.row_count - 1))

    def action_move(self, delta: int) -> None:
        """j/k and the arrows."""
        self.move_cursor(self.cursor_row + delta)

    def action_first(self) -> None:
        """g and Home: the first row."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """G and End: the last row, highlighted and in view."""
        self.move_cursor(self.row_count - 1)

    def action_page(self, direction: int) -> None:
        """PgUp/PgDn by what fits on screen."""
        self.move_cursor(self.cursor_row + direction * max(self.visible_lines // self.ROW_LINES - 1, 1))

    def action_side(self, direction: int) -> None:
        """←/→ across rows wider than the screen, at once (no animation over SSH)."""
        self.scroll_to(x=self.scroll_offset.x + direction * SIDE_STEP, animate=False)

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Scroll the new row into view; repaint only the two rows that changed."""
        if not self.show_row(new):
            self.refresh_row(old)
            self.refresh_row(new)

    def show_row(self, row: int) -> bool:
        """Scroll by the least that shows every line of ``row``; True if the view moved."""
        visible = self.visible_lines
        top = int(self.scroll_offset.y)
        first = row * self.ROW_LINES
        last = first + self.ROW_LINES
        if first < top:
            target = first
        elif last > top + visible:
            target = last - visible
        else:
            return False
        self.scroll_to(y=target, animate=False, immediate=True)
        self.refresh()
        return True

    def refresh_row(self, row: int) -> None:
        """Repaint the lines of one row, if they are on screen."""
        y = self.HEADER_LINES + row * self.ROW_LINES - int(self.scroll_offset.y)
        if self.HEADER_LINES <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, self.ROW_LINES))

    def row_at_line(self, y: int) -> int | None:
        """The row drawn on widget line ``y`` (None for the header)."""
        if y < self.HEADER_LINES:
            return None
        return (int(self.scroll_offset.y) + y - self.HEADER_LINES) // self.ROW_LINES

    def cursor_style(self, component: str) -> Style:
        """The cursor row's style: the ``component`` class of the list's stylesheet."""
        return self.rich_style + self.get_component_rich_style(component)
