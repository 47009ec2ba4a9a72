"""One app: what it is, what signs it (with a countdown), whether its signatures and seal
hold, where it breaks and why, its profiles, extensions, entitlements, assignment and
audit history."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from store.model import App
from tui.screens.audit_history import AuditHistory
from tui.screens.changes import confirm_and_run, run_change
from tui.screens.detail import DetailScreen
from tui.snapshot import Snapshot
from tui.timefmt import short_date, stamp, until
from tui.widgets.facts import CertificateRow, entitlements_text, facts, heading, source_facts
from tui.widgets.timeline import reason_words


def app_facts(app: App) -> list[tuple[str, object]]:
    """The facts read from the app's .ipa (or given when it was added by hand)."""
    embedded = app.embedded_profile
    return [
        ("Name", app.name),
        ("Bundle ID", app.bundle_id),
        ("Version", f"{app.version or '—'} ({app.build or '—'})"),
        ("Minimum iOS", app.min_os or "—"),
        ("Embedded", f"{embedded.label} (until {short_date(embedded.expires)})" if embedded else "—"),
        ("Needs re-sign", "YES" if app.needs_resign else "no"),
        ("Added", f"{stamp(app.added_at)} by {app.added_by or '—'}"),
        ("SHA-256", app.file_sha256 or "—"),
        *source_facts(app.intune),
        *([("Intune expiry", stamp(app.intune.expires))] if app.intune and app.intune.expires else []),
    ]


def integrity_rows(app: App) -> list[tuple[str, object]]:
    """Each integrity problem (code: where, why) and the fix, or that every signature holds."""
    assert app.integrity is not None
    if app.integrity.ok:
        return [("ok", f"{len(app.integrity.bundles)} code items: every signature and seal holds")]
    rows: list[tuple[str, object]] = [
        (p.code, f"{p.path.removeprefix('Payload/')}: {p.message}") for p in app.integrity.problems
    ]
    return [*rows, ("Fix", "rebuild or re-sign the app")]


def breaks_text(snapshot: Snapshot, bundle_id: str) -> list[tuple[str, object]]:
    """Per group: when this app breaks there, and why."""
    rows: list[tuple[str, object]] = []
    for row in snapshot.timeline.groups:
        for item in row.items:
            if item.app != bundle_id:
                continue
            label = snapshot.target_label("profile", item.profile) if item.profile else None
            words = reason_words(item.reason, label, item.breaks_at <= snapshot.now)
            rows.append((row.group, f"{until(item.breaks_at, snapshot.now)} · {words}"))
    return rows or [("—", "not in any group: assign it (a)")]


class AppDetailScreen(DetailScreen):
    """Detail of one app; ``a`` assign, ``r`` re-sign flag, ``x`` delete."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assign", "Assign"),
        Binding("r", "resign", "Re-sign flag"),
        Binding("x", "delete", "Delete"),
    ]

    def __init__(self, bundle_id: str) -> None:
        super().__init__()
        self.bundle_id = bundle_id

    def build(self, snapshot: Snapshot) -> tuple[str, list[Widget]]:
        """Facts, signing certificate, breaks per group, nested bundles, entitlements, audit."""
        app = snapshot.apps.get(self.bundle_id)
        if app is None:
            return "App not found", [Static("This app is no longer in the store.", markup=False)]
        assignment = snapshot.assignment("app", app.bundle_id)
        nested = [(n.path, n.bundle_id or "—") for n in app.nested] or [("—", "none")]
        widgets: list[Widget] = [
            Static(facts(app_facts(app))),
            heading("Signing certificate"),
            *(
                [CertificateRow(app.signing_certificate, snapshot.now)]
                if app.signing_certificate
                else [Static("unknown (added without an .ipa)", markup=False)]
            ),
            *([heading("Integrity"), Static(facts(integrity_rows(app)))] if app.integrity else []),
            heading("Breaks, per group"),
            Static(facts(breaks_text(snapshot, app.bundle_id))),
            heading("Assignment"),
            Static(
                facts(
                    [
                        ("Included", ", ".join(sorted(assignment.include)) or "—"),
                        ("Excluded", ", ".join(sorted(assignment.exclude)) or "—"),
                    ]
                )
            ),
            heading("Extensions and frameworks"),
            Static(facts(nested)),
            heading("Entitlements"),
            Static(entitlements_text(app.entitlements)),
            heading("Audit history"),
            AuditHistory(f"app:{app.bundle_id}"),
        ]
        return f"App · {app.name}", widgets

    def action_assign(self) -> None:
        """Include/exclude groups for this app."""
        from tui.screens.assign import AssignScreen

        self.app.push_screen(AssignScreen("app", self.bundle_id))

    def action_resign(self) -> None:
        """Toggle the needs-re-signing flag."""
        snapshot = self.snapshot
        app = snapshot.apps.get(self.bundle_id) if snapshot else None
        if app is not None:
            flag, bundle = not app.needs_resign, app.bundle_id
            run_change(
                self,
                f"{app.name}: needs re-signing {'on' if flag else 'off'}",
                lambda store: store.set_needs_resign(bundle, flag),
            )

    def action_delete(self) -> None:
        """Delete after confirmation."""
        bundle = self.bundle_id
        confirm_and_run(
            self,
            f"Delete app {bundle}?",
            f"Deleted app {bundle}",
            lambda store: store.delete_app(bundle),
            pop=True,
        )
