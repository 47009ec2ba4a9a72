"""The store side of the Intune bridge: its settings, a pull applied whole, a push recorded.

A pull is decided by :func:`store.intune.plan.plan_pull` inside the write transaction,
over the tables as they are under the lock (another admin may have changed them since the
tenant was read), then applied at once with its audit events. A pull that changes nothing
writes no record and no event: only the "last pulled" time in the settings moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from store.db.codec import encode
from store.db.core import StoreCore, reads
from store.errors import StoreError
from store.model import App, Assignment, Group, IntuneOrigin, Profile, iso, parse_iso

SETTING_KEYS = {"tenant": "intune_tenant", "client_id": "intune_client_id",
                "certificate": "intune_certificate", "pulled_at": "intune_pulled_at"}


@dataclass(frozen=True)
class IntuneState:
    """The tables a pull decides over, as they stand inside its transaction."""

    profiles: tuple[Profile, ...]
    apps: tuple[App, ...]
    groups: tuple[Group, ...]
    assignments: tuple[Assignment, ...]
    now: datetime
    actor: str


class PlanLike(Protocol):
    """What :meth:`IntuneMixin.apply_intune_pull` needs of a plan (:class:`store.intune.plan.PullPlan`)."""

    puts: list[tuple[str, dict[str, Any]]]
    removes: list[tuple[str, str]]
    blobs: list[bytes]
    events: list[tuple[str, str, Any, Any]]


class IntuneMixin(StoreCore):
    """Intune settings, pulls and pushes in the repository API."""

    @reads
    def intune_settings(self) -> dict[str, str]:
        """``tenant``, ``client_id``, ``certificate`` (a path) and ``pulled_at``, where set."""
        self._refresh()
        doc = self.settings_doc()
        return {key: str(doc[stored]) for key, stored in SETTING_KEYS.items() if doc.get(stored)}

    def intune_pulled_at(self) -> datetime | None:
        """When the last pull finished (the console's header counts from it)."""
        return parse_iso(self.intune_settings().get("pulled_at"))

    def set_intune_settings(self, tenant: str, client_id: str, certificate: str | None) -> None:
        """Remember which tenant and app registration to sign in with (audited; no secret is stored)."""
        if not tenant.strip() or not client_id.strip():
            raise StoreError("bad-intune-settings", "a tenant and a client ID are both needed")
        wanted = {"intune_tenant": tenant.strip(), "intune_client_id": client_id.strip(),
                  "intune_certificate": certificate or ""}
        with self.transaction() as tx:
            doc = dict(tx.get("settings", "settings") or {})
            before = {k: doc.get(k, "") for k in wanted}
            if before != wanted:
                tx.put("settings", {**doc, **wanted})
                tx.audit("settings.intune", "settings", before, wanted)

    def apply_intune_pull(self, decide: Callable[[IntuneState], PlanLike]) -> PlanLike:
        """Decide the pull over the locked tables and apply it in the same transaction."""
        with self.transaction() as tx:
            state = IntuneState(
                self._table("profiles", Profile), self._table("apps", App), self._table("groups", Group),
                self._table("assignments", Assignment), tx.now, self.actor,
            )
            plan = decide(state)
            if plan.blobs:
                self.blobs.put_many(plan.blobs)  # durable before any document names them
            for table, key in plan.removes:
                tx.remove(table, key)
            for table, doc in plan.puts:
                tx.put(table, doc)
            for action, subject, before, after in plan.events:
                tx.audit(action, subject, before, after)
            doc = dict(tx.get("settings", "settings") or {})
            tx.put("settings", {**doc, SETTING_KEYS["pulled_at"]: iso(tx.now)})
        return plan

    def record_intune_push(
        self, uuid: str, origin: IntuneOrigin, diff: dict[str, Any], *, verified: bool,
    ) -> Profile:
        """After a push: the profile's origin is what Intune now holds; one audit event with the diff."""
        with self.transaction() as tx:
            profile = self._find_profile(uuid)
            after = replace(profile, intune=origin)
            if verified:
                tx.put("profiles", encode(after))
            tx.audit("intune.push", f"profile:{uuid}", None if profile.intune is None else
                     {"intune_id": profile.intune.intune_id},
                     {"intune_id": origin.intune_id, "verified": verified, **diff})
        return after

    @reads
    def intune_group_ids(self) -> dict[str, str]:
        """provdesk group name -> Entra group ID, for groups pulled from Intune and not gone."""
        self._refresh()
        return {g.name: g.intune.intune_id for g in self._table("groups", Group)
                if g.intune is not None and not g.intune.gone}

    @reads
    def intune_gone_groups(self) -> set[str]:
        """Names of pulled groups that were deleted in Entra since."""
        self._refresh()
        return {g.name for g in self._table("groups", Group) if g.intune is not None and g.intune.gone}
