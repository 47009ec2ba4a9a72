"""A table of records drawn line by line: filter-as-you-type and sort stay fast at 5,000 rows.

Profiles, apps, groups, triage items and audit events are all "a list of records, some
columns, filter, sort, Enter for the detail": one widget does that, each screen only
says which columns. It is a ``ScrollView`` on Textual's line API: only the visible lines
are rendered, so a filter keystroke costs a list filter plus ~20 lines, where a
``DataTable`` would rebuild and measure every row. Every cell is a Rich ``Text`` made by
:func:`tui.text.literal`, so text from files is never read as markup. Nothing here ticks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: title, width in cells, the cell's text, and an optional sort key."""

    title: str
    width: int
    cell: Callable[[R], Text]
    sort: Callable[[R], Any] | None = None


class RecordTable(ScrollView, Generic[R], can_focus=True):
    """Rows from records; posts :class:`RecordTable.Chosen` with the record's key on Enter."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"record-table--header", "record-table--cursor"}
    DEFAULT_CSS = """
    RecordTable { height: 1fr; }
    RecordTable > .record-table--header { text-style: bold; color: $text-muted; }
    RecordTable > .record-table--cursor { background: $block-cursor-blurred-background; }
    RecordTable:focus > .record-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "move(-1000000000)", "First row", show=False),
        Binding("end,G", "move(1000000000)", "Last row", show=False),
    ]

    cursor_row: reactive[int] = reactive(0)

    @dataclass
    class Chosen(Message):
        """Enter on a row: ``key`` identifies the record (UUID, bundle ID, group name…)."""

        table: RecordTable[Any]
        key: str

    def __init__(
        self, columns: Sequence[Column[R]], key_of: Callable[[R], str], search_text: Callable[[R], str],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.key_of = key_of
        self.search_text = search_text
        self.records: list[R] = []
        self.shown: list[R] = []
        self.filter_text = ""
        self.sort_index = 0
        self.sort_reverse = False
        self._lines: dict[int, Text] = {}
        self._haystacks: list[str] = []
        self.configure(columns)

    def configure(self, columns: Sequence[Column[R]], search_text: Callable[[R], str] | None = None) -> None:
        """Set the column definitions (they may close over the snapshot's ``now``)."""
        self.columns_spec = list(columns)
        self._sortable = [i for i, c in enumerate(self.columns_spec) if c.sort is not None]
        if self.sort_index not in self._sortable and self._sortable:
            self.sort_index = self._sortable[0]
        if search_text is not None:
            self.search_text = search_text

    @property
    def row_count(self) -> int:
        """How many rows the filter lets through."""
        return len(self.shown)

    def set_records(self, records: Sequence[R]) -> None:
        """New data (a snapshot arrived): keep the filter, sort and the highlighted record."""
        self.records = list(records)
        self._haystacks = [self.search_text(r).casefold() for r in self.records]
        self._rebuild()

    def set_filter(self, text: str) -> None:
        """Show only records whose searchable text contains ``text`` (case-insensitive)."""
        self.filter_text = text.casefold()
        self._rebuild()

    def action_cycle_sort(self) -> None:
        """Next sortable column; after the last one, the same columns in reverse."""
        if not self._sortable:
            return
        position = self._sortable.index(self.sort_index)
        if position + 1 < len(self._sortable):
            self.sort_index = self._sortable[position + 1]
        else:
            self.sort_index = self._sortable[0]
            self.sort_reverse = not self.sort_reverse
        self._rebuild()
        arrow = "↓" if self.sort_reverse else "↑"
        self.notify(f"Sorted by {self.columns_spec[self.sort_index].title} {arrow}", timeout=2)

    def shown_records(self) -> list[R]:
        """The records shown now, filtered and sorted."""
        return list(self.shown)

    def current_key(self) -> str | None:
        """The key of the highlighted record, if any row is shown."""
        return self.key_of(self.shown[self.cursor_row]) if self.shown else None

    def get_row_index(self, key: str) -> int:
        """The row showing the record with ``key`` (``ValueError`` when filtered out)."""
        for index, record in enumerate(self.shown):
            if self.key_of(record) == key:
                return index
        raise ValueError(key)

    def get_row_at(self, row: int) -> list[Text]:
        """The cells of one shown row (tests read them)."""
        record = self.shown[row]
        return [column.cell(record) for column in self.columns_spec]

    def move_cursor(self, row: int) -> None:
        """Highlight ``row`` and scroll it into view."""
        self.cursor_row = max(0, min(row, len(self.shown) - 1))

    def action_move(self, delta: int) -> None:
        """j/k, arrows, g/G: move the highlight."""
        self.move_cursor(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        """Page up/down by the visible height."""
        self.move_cursor(self.cursor_row + direction * max(self.size.height - 2, 1))

    def action_choose(self) -> None:
        """Enter: ask the screen to open the highlighted record."""
        key = self.current_key()
        if key is not None:
            self.post_message(self.Chosen(self, key))

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Keep the highlighted row visible; repaint only the two rows that changed."""
        visible = max(self.size.height - 1, 1)
        top = int(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()

    def _rebuild(self) -> None:
        keep = self.current_key()
        wanted = self.filter_text
        if wanted:
            rows = [r for r, hay in zip(self.records, self._haystacks, strict=True) if wanted in hay]
        else:
            rows = list(self.records)
        spec = self.columns_spec[self.sort_index] if self._sortable else None
        if spec is not None and spec.sort is not None:
            rows.sort(key=spec.sort, reverse=self.sort_reverse)
        self.shown = rows
        self._lines = {}
        width = sum(c.width + 1 for c in self.columns_spec) + 1
        self.virtual_size = Size(width, len(rows) + 1)
        index = 0
        if keep is not None:
            index = next((i for i, r in enumerate(rows) if self.key_of(r) == keep), 0)
        self.set_reactive(RecordTable.cursor_row, min(index, max(len(rows) - 1, 0)))
        self.watch_cursor_row(index, self.cursor_row)

    def _line_text(self, row: int) -> Text:
        """One row as fixed-width cells (cached until the data or filter changes)."""
        line = self._lines.get(row)
        if line is None:
            record = self.shown[row]
            line = Text(" ", no_wrap=True)
            for column in self.columns_spec:
                cell = column.cell(record).copy()
                cell.truncate(column.width, overflow="ellipsis", pad=True)
                line.append_text(cell)
                line.append(" ")
            self._lines[row] = line
        return line

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header; the rest are rows from the scroll position."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if y == 0:
            header = Text(" ", no_wrap=True)
            for column in self.columns_spec:
                header.append(column.title[: column.width].ljust(column.width) + " ")
            style = self.get_component_rich_style("record-table--header")
            return self._strip(header, style, scroll_x, width)
        row = scroll_y + y - 1
        if not self.shown and y == 1:
            note = Text(" nothing to show" + (" (the filter matches nothing)" if self.filter_text else ""))
            return self._strip(note, self.rich_style + Style(dim=True), 0, width)
        if row >= len(self.shown):
            return Strip.blank(width, self.rich_style)
        style = self.rich_style
        line = self._line_text(row)
        if row == self.cursor_row:
            style = style + self.get_component_rich_style("record-table--cursor")
            line = Text("▶", no_wrap=True) + line[1:]  # the cursor reads without colour too
        return self._strip(line, style, scroll_x, width)

    def _strip(self, text: Text, style: Style, scroll_x: int, width: int) -> Strip:
        segments = list(text.render(self.app.console, end=""))
        strip = Strip(segments).apply_style(style) if segments else Strip([Segment("")])
        return strip.crop_extend(scroll_x, scroll_x + width, style)
