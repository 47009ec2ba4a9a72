"""A table of records with column definitions, filter-as-you-type and a sort key to cycle.

Profiles, apps, groups, triage items and audit events are all "a list of records, some
columns, filter, sort, Enter for the detail": one widget does that, each screen only
says which columns. Every cell is a Rich ``Text`` made by :func:`tui.text.literal`,
so text from files is never read as markup. Rows are rebuilt when the data, filter or
sort changes, never on a timer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from tui.widgets.vim_lists import VimTable

R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: title, width in cells, the cell's text, and an optional sort key."""

    title: str
    width: int
    cell: Callable[[R], Text]
    sort: Callable[[R], Any] | None = None


class RecordTable(VimTable, Generic[R]):
    """Rows from records; posts :class:`RecordTable.Chosen` with the record's key on Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open"),
        Binding("s", "cycle_sort", "Sort"),
    ]

    @dataclass
    class Chosen(Message):
        """Enter on a row: ``key`` identifies the record (UUID, bundle ID, group name…)."""

        table: RecordTable[Any]
        key: str

    def __init__(
        self,
        columns: Sequence[Column[R]],
        key_of: Callable[[R], str],
        search_text: Callable[[R], str],
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        self.columns_spec = list(columns)
        self.key_of = key_of
        self.search_text = search_text
        self.records: list[R] = []
        self.filter_text = ""
        self.sort_index = 0
        self.sort_reverse = False
        self._sortable = [i for i, c in enumerate(self.columns_spec) if c.sort is not None]

    def configure(self, columns: Sequence[Column[R]], search_text: Callable[[R], str] | None = None) -> None:
        """Set the column definitions (they may close over the snapshot's ``now``).

        Columns are fixed-width, so nothing is measured when thousands of rows arrive; the
        table's columns are created once, the first time.
        """
        self.columns_spec = list(columns)
        self._sortable = [i for i, c in enumerate(self.columns_spec) if c.sort is not None]
        if search_text is not None:
            self.search_text = search_text
        if not self.columns:
            for column in self.columns_spec:
                self.add_column(column.title, width=column.width)

    def set_records(self, records: Sequence[R]) -> None:
        """New data (a snapshot arrived): keep the filter, sort and the highlighted record."""
        self.records = list(records)
        self._rebuild()

    def set_filter(self, text: str) -> None:
        """Show only records whose searchable text contains ``text`` (case-insensitive)."""
        self.filter_text = text.casefold()
        self._rebuild()

    def action_cycle_sort(self) -> None:
        """Next sortable column; after the last one, the same columns in reverse."""
        if not self._sortable:
            return
        position = self._sortable.index(self.sort_index) if self.sort_index in self._sortable else -1
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
        wanted = self.filter_text
        rows = [r for r in self.records if not wanted or wanted in self.search_text(r).casefold()]
        spec = self.columns_spec[self.sort_index] if self._sortable else None
        if spec is not None and spec.sort is not None:
            rows.sort(key=spec.sort, reverse=self.sort_reverse)
        return rows

    def current_key(self) -> str | None:
        """The key of the highlighted record, if any row is shown."""
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return None if row_key.value is None else str(row_key.value)

    def _rebuild(self) -> None:
        keep = self.current_key()
        self.clear()
        for record in self.shown_records():
            self.add_row(*(c.cell(record) for c in self.columns_spec), key=self.key_of(record))
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep), scroll=True)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Chosen(self, str(event.row_key.value)))
