"""Profiles in the store: import (checked, batched, idempotent), rename, delete, prune, export bytes.

Import is the gate between the outside world and the fleet: a file goes in only when
Apple (or an anchor the admin added) signed it and the signature holds, so every profile
the timeline reasons about is one iOS would accept. The same file twice is a no-op; a
different file claiming a UUID already stored is refused, since Intune keys on it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePath
from typing import Any, Literal

from store.db.codec import assignment_key, docs_of, encode
from store.db.core import StoreCore, reads
from store.db.revisions import require_revision
from store.db.tx import Tx, next_revision
from store.errors import ProvdeskError, StoreError
from store.model import Profile, TrustAnchor, iso
from store.rules.profilekind import kind_notes

ImportStatus = Literal["imported", "unchanged", "failed"]


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file of an import (or would happen, for a preview)."""

    file_name: str
    status: ImportStatus
    profile: Profile | None = None
    error: ProvdeskError | None = None
    notes: list[str] = field(default_factory=list)


def profile_summary(profile: Profile) -> dict[str, Any]:
    """The few fields an audit event keeps about a profile (the full facts live in the table)."""
    return {
        "uuid": profile.uuid, "name": profile.name, "display_name": profile.display_name,
        "type": profile.type, "expires": iso(profile.expires), "file_sha256": profile.file_sha256,
        "file_name": profile.file_name,
    }


class ProfilesMixin(StoreCore):
    """The profile half of the repository API."""

    def _check(self, file_name: str, data: bytes, anchors: Sequence[TrustAnchor]) -> ImportOutcome:
        """Read and gate one file; nothing is written."""
        from store.formats.mobileprovision import read_mobileprovision, require_trusted  # not for read verbs

        name = PurePath(file_name).name
        try:
            profile = read_mobileprovision(data, anchors)
            require_trusted(profile)
        except ProvdeskError as error:
            return ImportOutcome(name, "failed", None, error)
        notes = kind_notes(profile, self.clock())
        return ImportOutcome(name, "imported", replace(profile, file_name=name), None, notes)

    def _against_store(self, outcome: ImportOutcome, existing: Profile | None) -> ImportOutcome:
        """Same file already stored -> unchanged; same UUID from another file -> duplicate-uuid."""
        profile = outcome.profile
        if outcome.status != "imported" or profile is None or existing is None:
            return outcome
        if existing.file_sha256 == profile.file_sha256:
            return replace(outcome, status="unchanged", profile=existing, notes=["already in the store"])
        error = StoreError(
            "duplicate-uuid",
            f"{outcome.file_name!r} has UUID {profile.uuid}, already in the store as "
            f"{existing.label!r} (from {existing.file_name!r}); delete that one first to replace it",
        )
        return ImportOutcome(outcome.file_name, "failed", profile, error)

    @reads
    def check_profile(self, file_name: str, data: bytes) -> ImportOutcome:
        """Read and gate one file exactly as ``import`` does (readers, signature, trust); writes nothing."""
        self._refresh()
        return self._check(file_name, data, self.fleet_anchors())

    @reads
    def preview_profile(self, file_name: str, data: bytes) -> ImportOutcome:
        """What importing this file would do (the Create pane shows it before saving)."""
        self._refresh()
        outcome = self._check(file_name, data, self.fleet_anchors())
        if outcome.profile is None:
            return outcome
        uuid = outcome.profile.uuid
        stored = [d for d in docs_of(self.storage.tables, "profiles") if d.get("uuid") == uuid]
        return self._against_store(outcome, self._decode_profile(stored[0]) if stored else None)

    def import_profiles(
        self, items: Sequence[tuple[str, bytes]], *, display_name: str | None = None,
        description: str | None = None,
    ) -> list[ImportOutcome]:
        """Import every good file in one locked write; report each bad one. Nothing bad is written.

        Files are read and verified before the lock is taken (so other admins are not kept
        waiting on signature checks), and again under it if the trust anchors changed meanwhile.
        """
        with self._mutex:
            self._refresh()
            anchors_seen = self.storage.hashes.get("anchors")
            anchors = self.fleet_anchors()
        checked = [self._check(name, data, anchors) for name, data in items]
        with self.transaction() as tx:
            if self.storage.hashes.get("anchors") != anchors_seen:
                anchors = self.fleet_anchors()
                checked = [self._check(name, data, anchors) for name, data in items]
            outcomes: list[ImportOutcome] = []
            batch: dict[str, Profile] = {}
            new_docs: list[dict[str, Any]] = []
            blobs: list[bytes] = []
            for (_, data), outcome in zip(items, checked, strict=True):
                uuid = outcome.profile.uuid if outcome.profile is not None else ""
                stored = tx.get("profiles", uuid) if uuid else None
                existing = batch.get(uuid) or (self._decode_profile(stored) if stored is not None else None)
                outcome = self._against_store(outcome, existing)
                if outcome.status == "imported" and outcome.profile is not None:
                    profile = replace(
                        outcome.profile, display_name=display_name or outcome.profile.name,
                        description=description or "", imported_by=self.actor, imported_at=tx.now,
                    )
                    new_docs.append(encode(profile))
                    profile = replace(profile, revision=next_revision(None, new_docs[-1]))
                    outcome = replace(outcome, profile=profile)
                    batch[uuid] = profile
                    blobs.append(data)
                    tx.audit("profile.import", f"profile:{uuid}", None, profile_summary(profile))
                outcomes.append(outcome)
            self.blobs.put_many(blobs)  # durable before any document names them
            tx.insert_many("profiles", new_docs)
        return outcomes

    @reads
    def resolve_profile(self, ref: str) -> Profile:
        """The one profile ``ref`` names (UUID, unique UUID prefix, or unique name)."""
        self._refresh()
        return self._find_profile(ref)

    def update_profile(
        self, ref: str, display_name: str | None = None, description: str | None = None,
        expected_revision: int | None = None,
    ) -> Profile:
        """Change the admin's name or description of a profile (audited).

        With ``expected_revision`` (what the Edit form read), a change made meanwhile is
        refused with ``changed-underneath`` rather than overwritten.
        """
        with self.transaction() as tx:
            before = self._find_profile(ref)
            require_revision(
                self, f"profile {before.label!r}", f"profile:{before.uuid}", before, expected_revision
            )
            after = replace(
                before,
                display_name=before.display_name if display_name is None else (display_name or before.name),
                description=before.description if description is None else description,
            )
            if after != before:
                after = replace(after, revision=tx.put("profiles", encode(after)))
                tx.audit(
                    "profile.update", f"profile:{before.uuid}",
                    {"display_name": before.display_name, "description": before.description},
                    {"display_name": after.display_name, "description": after.description},
                )
        return after

    def delete_profile(self, ref: str) -> Profile:
        """Remove a profile and its assignment (audited); its original file goes once unused."""
        with self.transaction() as tx:
            profile = self._find_profile(ref)
            self._remove_profile(tx, profile, "profile.delete")
        return profile

    def prune_expired(self, before: datetime) -> list[Profile]:
        """Remove every profile that expired before ``before`` (each one audited)."""
        with self.transaction() as tx:
            gone = [p for p in self._table("profiles", Profile) if p.expires < before]
            for profile in gone:
                self._remove_profile(tx, profile, "profile.prune")
        return gone

    def _remove_profile(self, tx: Tx, profile: Profile, action: str) -> None:
        """Drop one profile and its assignment inside ``tx``, with one audit event."""
        tx.remove("profiles", profile.uuid)
        assignment = tx.remove("assignments", assignment_key("profile", profile.uuid))
        before = profile_summary(profile)
        if assignment is not None:
            before["assignment"] = {"include": assignment["include"], "exclude": assignment["exclude"]}
        tx.audit(action, f"profile:{profile.uuid}", before, None)

    @reads
    def profile_bytes(self, uuid: str) -> bytes:
        """The original file of a stored profile, byte for byte (verified against its SHA-256)."""
        self._refresh()
        profile = self._find_profile(uuid)
        return self.blobs.get(profile.file_sha256)
