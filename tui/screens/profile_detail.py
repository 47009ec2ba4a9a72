"""One profile, every fact: what inspect prints, its certificates with countdowns, its
entitlements, its assignments, which groups it keeps alive, and its audit history."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from store.model import Profile
from tui.screens.audit_history import AuditHistory
from tui.screens.detail import DetailScreen
from tui.screens.profiles import trust_word
from tui.snapshot import Snapshot
from tui.timefmt import stamp
from tui.widgets.countdown import Countdown
from tui.widgets.facts import CertificateRow, entitlements_text, facts, heading, source_facts


def profile_facts(profile: Profile) -> list[tuple[str, object]]:
    """The inspect facts of a profile, in the order an admin checks them."""
    devices = "all devices (in-house)" if profile.type == "enterprise" else f"{profile.device_count} listed"
    return [
        ("Name", profile.name),
        ("Display name", profile.display_name or "—"),
        ("Description", profile.description or "—"),
        ("UUID", profile.uuid),
        ("Type", profile.type),
        ("App ID", profile.app_id),
        ("App ID name", profile.app_id_name),
        ("Team", f"{profile.team_name} ({profile.team_id})"),
        ("Platforms", ", ".join(profile.platforms) or "—"),
        ("Devices", devices),
        ("Created", stamp(profile.created)),
        ("Expires", stamp(profile.expires)),
        ("Signature", f"{profile.signature} · trust: {trust_word(profile)}"),
        ("File", profile.file_name or "—"),
        ("SHA-256", profile.file_sha256 or "—"),
        ("Imported", f"{stamp(profile.imported_at)} by {profile.imported_by or '—'}"),
        *source_facts(profile.intune),
    ]


def _intune_step(profile: Profile, snapshot: Snapshot) -> list[tuple[str, object]]:
    """The "out of step with Intune" flag, with what Intune holds, until the next push or pull."""
    origin = profile.intune
    if origin is None or profile.uuid not in snapshot.out_of_step:
        return []
    inc, exc = ", ".join(sorted(origin.include)) or "—", ", ".join(sorted(origin.exclude)) or "—"
    held = f"include {inc} · exclude {exc}"
    return [("Intune", f"⚠ out of step with Intune (Intune has {held}): push or pull")]


class ProfileDetailScreen(DetailScreen):
    """Detail of the profile with ``uuid``; ``a`` assigns it, ``e`` edits, ``x`` deletes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assign", "Assign"),
        Binding("e", "edit", "Edit"),
        Binding("x", "delete", "Delete"),
    ]

    def __init__(self, uuid: str) -> None:
        super().__init__()
        self.uuid = uuid

    def build(self, snapshot: Snapshot) -> tuple[str, list[Widget]]:
        """Facts, certificates, entitlements, assignments, groups kept alive, audit."""
        profile = snapshot.profiles.get(self.uuid)
        if profile is None:
            return "Profile not found", [Static("This profile is no longer in the store.", markup=False)]
        now = snapshot.now
        assignment = snapshot.assignment("profile", profile.uuid)
        keeps = [g.group for g in snapshot.timeline.groups if any(i.profile == profile.uuid for i in g.items)]
        widgets: list[Widget] = [
            Horizontal(
                Static("Expired       " if profile.expires <= now else "Expires in    ", classes="label"),
                Countdown(profile.expires, now),
                classes="line",
            ),
            Static(facts(profile_facts(profile))),
            heading("Certificates"),
            *(CertificateRow(cert, now) for cert in profile.certificates),
            heading("Entitlements"),
            Static(entitlements_text(profile.entitlements)),
            heading("Assignments"),
            Static(
                facts(
                    [
                        ("Included", ", ".join(sorted(assignment.include)) or "—"),
                        ("Excluded", ", ".join(sorted(assignment.exclude)) or "—"),
                        ("Covers apps in", ", ".join(keeps) or "—"),
                        *_intune_step(profile, snapshot),
                    ]
                )
            ),
            heading("Audit history"),
            AuditHistory(f"profile:{profile.uuid}"),
        ]
        return f"Profile · {profile.label}", widgets

    def action_assign(self) -> None:
        """Include/exclude groups for this profile."""
        from tui.screens.assign import AssignScreen

        self.app.push_screen(AssignScreen("profile", self.uuid))

    def action_edit(self) -> None:
        """Change the display name and description (the Intune pane's fields)."""
        from tui.screens.edit_profile import EditProfileScreen

        self.app.push_screen(EditProfileScreen(self.uuid))

    def action_delete(self) -> None:
        """Delete after confirmation."""
        from tui.screens.changes import confirm_and_run

        snapshot = self.snapshot
        profile = snapshot.profiles.get(self.uuid) if snapshot else None
        if profile is None:
            return
        uuid = self.uuid
        confirm_and_run(
            self,
            f"Delete profile '{profile.label}'? Its assignments go with it.",
            f"Deleted profile '{profile.label}'",
            lambda store: store.delete_profile(uuid),
            pop=True,
        )
