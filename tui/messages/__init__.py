"""Messages the app-level workers post; screens' own messages live beside their widgets."""

from tui.messages.store import ChangeConflict, LoadFailed, SnapshotLoaded, StoreChanged

__all__ = ["ChangeConflict", "LoadFailed", "SnapshotLoaded", "StoreChanged"]
