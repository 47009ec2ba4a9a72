"""Messages the app-level workers post; screens' own messages live beside their widgets."""

from tui.messages.store import LoadFailed, SnapshotLoaded, StoreChanged

__all__ = ["LoadFailed", "SnapshotLoaded", "StoreChanged"]
