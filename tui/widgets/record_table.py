"""A table of records drawn line by line: filter-as-you-type and sort stay fast at 5,000 rows.

Profiles, apps, groups, triage items and audit events are all "a list of records, some
columns, filter, sort, Enter for the detail": one widget does that, each screen only
says which columns. It is a :class:`CursorList` on Textual's line API: only the visible
lines are rendered, so a filter keystroke costs a list filter plus ~20 lines, where a
``DataTable`` would rebuild and measure every row, and a cursor move repaints two lines.
Every cell is a Rich ``Text`` made by :func:`tui.text.literal`, so text from files is never
read as markup. Nothing here ticks.

The header says what a narrow terminal hides: the sorted column carries ``↑``/``↓``, its
right end says which row of how many is highlighted (``3/30``, in place of a scrollbar
that cost two columns and a second frame) and counts the columns beyond the right edge
(``+2 →``); a cell cut by the edge ends in ``…``. The cursor row's colours give way to the
cursor's own, so its text keeps its contrast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from tui.widgets.cursor_list import CursorList
from tui.widgets.fit import fit

R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: title, width in cells, the cell's text, and an optional sort key."""

    title: str
    width: int
    cell: Callable[[R], Text]
    sort: Callable[[R], Any] | None = None


class RecordTable(CursorList, Generic[R]):
    """Rows from records; posts :class:`RecordTable.Chosen` with the record's key on Enter."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"record-table--header", "record-table--cursor"}
    DEFAULT_CSS = """
    RecordTable { height: 1fr; scrollbar-size-vertical: 0; }
    RecordTable > .record-table--header { text-style: bold; color: $text-muted; }
    RecordTable > .record-table--cursor { background: $block-cursor-blurred-background; }
    RecordTable:focus > .record-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    RecordTable:nocolor > .record-table--cursor { text-style: reverse; }
    RecordTable:nocolor:focus > .record-table--cursor { text-style: reverse bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open"),
        Binding("s", "cycle_sort", "Sort"),
    ]

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
        self.notify(f"Sorted by {self.columns_spec[self.sort_index].title} {self.sort_arrow}", timeout=2)

    @property
    def sort_arrow(self) -> str:
        """``↑`` ascending, ``↓`` descending: shown in the sorted column's header."""
        return "↓" if self.sort_reverse else "↑"

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

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Repaint the two rows, and the header's ``row/rows`` (it stands for a scrollbar)."""
        super().watch_cursor_row(old, new)
        self.refresh(Region(0, 0, self.size.width, 1))

    def action_choose(self) -> None:
        """Enter: ask the screen to open the highlighted record."""
        key = self.current_key()
        if key is not None:
            self.post_message(self.Chosen(self, key))

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
        self.virtual_size = Size(self.line_width, len(rows) + self.HEADER_LINES)
        index = 0
        if keep is not None:
            index = next((i for i, r in enumerate(rows) if self.key_of(r) == keep), 0)
        self.set_reactive(RecordTable.cursor_row, min(index, max(len(rows) - 1, 0)))
        self.show_row(self.cursor_row)
        self.refresh()

    @property
    def line_width(self) -> int:
        """Cells of one full row: a leading marker cell, then each column and a space."""
        return sum(c.width + 1 for c in self.columns_spec) + 1

    def _line_text(self, row: int) -> Text:
        """One row as fixed-width cells (cached until the data or filter changes)."""
        line = self._lines.get(row)
        if line is None:
            record = self.shown[row]
            line = Text(" ", no_wrap=True)
            for column in self.columns_spec:
                cell = fit(column.cell(record), column.width)
                cell.truncate(column.width, pad=True)
                line.append_text(cell)
                line.append(" ")
            self._lines[row] = line
        return line

    def _cut_at(self, line: Text, right: int) -> Text:
        """``line`` with ``…`` in cell ``right - 1`` when the column there runs on past the edge."""
        plain = line.plain
        if len(plain) <= right or line.cell_len != len(plain):
            return line
        start = 1
        for column in self.columns_spec:
            end = start + column.width
            if start < right < end and plain[right:end].strip():
                return line[: right - 1] + Text("…") + line[right:]
            start = end + 1
        return line

    def header_text(self, scroll_x: int, width: int) -> Text:
        """Column titles, the sorted one with its arrow; at the right end where the cursor is
        (``3/30``: there is no vertical scrollbar) and ``+N →`` for columns off the right edge."""
        header = Text(" ", no_wrap=True)
        for index, column in enumerate(self.columns_spec):
            title = column.title
            if self._sortable and index == self.sort_index:
                title = f"{title[: max(column.width - 2, 1)]} {self.sort_arrow}"
            header.append(title[: column.width].ljust(column.width) + " ")
        header = header[scroll_x: scroll_x + width]
        hidden = self._columns_beyond(scroll_x + width)
        mark = f" {self.cursor_row + 1}/{len(self.shown)}" if self.shown else ""
        if hidden:
            mark += f" +{hidden} →"
        if mark:
            header = header[: max(width - len(mark), 0)]
            header.append(mark, style="bold")
        if scroll_x > 0:
            header = Text("←", style="bold") + header[1:]
        return header

    def _columns_beyond(self, right: int) -> int:
        """How many columns end past cell ``right`` (cut or wholly off screen)."""
        hidden, end = 0, 1
        for column in self.columns_spec:
            end += column.width + 1
            if end - 1 > right:
                hidden += 1
        return hidden

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header; the rest are rows from the scroll position."""
        scroll_x = self.scroll_offset.x
        width = self.scrollable_content_region.width  # without the scrollbar gutter
        if y == 0:
            style = self.get_component_rich_style("record-table--header")
            return self._strip(self.header_text(scroll_x, width), style, 0, width)
        row = self.row_at_line(y)
        if not self.shown and y == 1:
            note = Text(" nothing to show" + (" (the filter matches nothing)" if self.filter_text else ""))
            return self._strip(note, self.rich_style + Style(dim=True), 0, width)
        if row is None or row >= len(self.shown):
            return Strip.blank(width, self.rich_style)
        line = self._cut_at(self._line_text(row), scroll_x + width)
        if row == self.cursor_row:
            cursor = Text("▶", no_wrap=True) + line[1:]  # the cursor reads without colour too
            style = self.cursor_style("record-table--cursor")
            return self._strip(cursor, style, scroll_x, width, cursor=True)
        return self._strip(line, self.rich_style, scroll_x, width)

    def _strip(self, text: Text, style: Style, scroll_x: int, width: int, *, cursor: bool = False) -> Strip:
        segments = list(text.render(self.app.console, end=""))
        if cursor:
            segments = [Segment(s.text, without_colour(s.style)) for s in segments]
        strip = Strip(segments).apply_style(style) if segments else Strip([Segment("")])
        return strip.crop_extend(scroll_x, scroll_x + width, style).simplify()


def without_colour(style: Style | None) -> Style | None:
    """``style`` keeping its attributes (bold, reverse…) but not its colours nor dim.

    On the cursor row every cell takes the cursor's colours, which the theme pairs for
    contrast; a red status word on the blue cursor would be unreadable.
    """
    if style is None:
        return None
    return Style(bold=style.bold, italic=style.italic, underline=style.underline,
                 reverse=style.reverse, strike=style.strike)
