"""Small helpers for Pilot tests: wait for every worker, read what a widget shows."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages be handled (no sleeps)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def shown(widget: Static) -> str:
    """The plain text a Static currently shows."""
    return str(widget.render())


def table_column(table: Any, index: int) -> list[str]:
    """The plain text of one column of a DataTable, top to bottom."""
    return [table.get_row_at(row)[index].plain for row in range(table.row_count)]
