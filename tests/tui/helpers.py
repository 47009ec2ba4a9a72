"""Small helpers for Pilot tests: wait for the workers, read what a widget shows."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages be handled (no sleeps).

    DirectoryTree's ``_loader`` worker runs for the tree's whole life, so it is not waited on;
    a worker cancelled by a newer exclusive one is done as far as a test is concerned.
    """
    for _ in range(4):
        pending = [w for w in pilot.app.workers if w.name != "_loader" and not w.is_finished]
        if pending:
            with contextlib.suppress(WorkerCancelled):
                await pilot.app.workers.wait_for_complete(pending)
        await pilot.pause()


def shown(widget: Static) -> str:
    """The plain text a Static currently shows."""
    return str(widget.render())


def table_column(table: Any, index: int) -> list[str]:
    """The plain text of one column of a DataTable, top to bottom."""
    return [table.get_row_at(row)[index].plain for row in range(table.row_count)]
