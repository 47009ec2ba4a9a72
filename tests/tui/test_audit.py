"""The audit log names subjects, says what changed, and Enter on a deleted subject shows the event."""

from __future__ import annotations

from textual.widgets import Static

from tests.tui.helpers import settle, shown, table_column
from tui.app import ProvdeskApp
from tui.screens.audit_event import AuditEventScreen
from tui.widgets.record_table import RecordTable


async def test_names_changes_and_a_deleted_subjects_event(demo_app: ProvdeskApp) -> None:
    store = demo_app.store
    profile = store.fleet().profiles[0]
    store.update_profile(profile.uuid, display_name="Renamed for the log")
    store.delete_profile(profile.uuid)
    async with demo_app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        table = demo_app.screen.query_one("#audit", RecordTable)
        subjects = table_column(table, 3)
        assert not any(profile.uuid in s for s in subjects), "subjects are named, not UUIDs"
        assert subjects[0] == "profile 'Renamed for the log' (deleted)"
        changes = table_column(table, 4)
        assert changes[0] == "deleted"
        assert "display_name: " in changes[1] and " → Renamed for the log" in changes[1]
        await pilot.press("g", "enter")
        await settle(pilot)
        assert isinstance(demo_app.screen, AuditEventScreen)
        assert "profile.delete" in shown(demo_app.screen.query_one("#detail-title", Static))
        # Before is indented JSON, one key a line: it once read '{␊  "app_id": …' on one line.
        before = next(s for s in demo_app.screen.query(Static) if shown(s).startswith("{"))
        lines = shown(before).split("\n")
        assert "␊" not in shown(before) and len(lines) > 3 and lines[0] == "{"
