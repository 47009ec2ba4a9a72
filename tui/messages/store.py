"""What the store workers report back to the UI thread.

Workers run in threads and never touch widgets: they post one of these, and an ``@on``
handler on the app changes state on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from store.errors import ConflictError, ProvdeskError
from tui.snapshot import Snapshot


@dataclass
class SnapshotLoaded(Message):
    """A fresh picture of the store is ready to publish to every screen."""

    snapshot: Snapshot


@dataclass
class LoadFailed(Message):
    """Reading the store failed; the message is shown to the admin as one line."""

    error: ProvdeskError


@dataclass
class StoreChanged(Message):
    """A change made from this console succeeded: say so, then reload."""

    summary: str


@dataclass
class ChangeConflict(Message):
    """A form's save was refused because its record changed underneath it (``changed-underneath``).

    ``resolve`` turns the refusal into what the admin may reapply (see ``tui.screens.conflict``).
    """

    summary: str
    error: ConflictError
    resolve: Any
