"""Trust anchors, settings and the audit trail: the store's remaining repository verbs.

Extra anchors exist for demo data and for organisations testing with their own CA; a
profile signed under one imports only once its root is added here. Thresholds are
settings (not constants) because teams disagree about how early "warning" should start.
"""

from __future__ import annotations

from contextlib import suppress

from store.db.codec import encode
from store.db.core import StoreCore, reads
from store.db.refs import resolve_anchor_ref, resolve_app_ref, resolve_profile_ref
from store.db.views import audit_events
from store.errors import RefError, StoreError
from store.formats.trust import anchor_from_pem
from store.model import AuditEvent, Thresholds, TrustAnchor


class TrustMixin(StoreCore):
    """Anchors, thresholds and the audit trail."""

    def add_anchor(self, pem: bytes, label: str, demo: bool = False) -> TrustAnchor:
        """Trust another root (PEM or DER); profiles it signs can then be imported."""
        anchor = anchor_from_pem(pem, label, demo=demo)
        with self.transaction() as tx:
            for known in self.fleet_anchors():
                if known.sha256 == anchor.sha256:
                    raise StoreError(
                        "duplicate-anchor", f"{known.label!r} ({known.sha256[:16]}) is already trusted"
                    )
            tx.put("anchors", encode(anchor))
            tx.audit("trust.add", f"anchor:{anchor.sha256}", None,
                     {"label": anchor.label, "sha256": anchor.sha256, "demo": anchor.demo})
        return anchor

    def remove_anchor(self, ref: str) -> TrustAnchor:
        """Stop trusting an added root (Apple Root CA is built in and stays).

        Profiles already imported under it stay; new imports signed by it are refused.
        """
        with self.transaction() as tx:
            anchor = resolve_anchor_ref(self.fleet_anchors(), ref)
            if anchor.builtin:
                raise StoreError("builtin-anchor", f"{anchor.label} is built in and cannot be removed")
            tx.remove("anchors", anchor.sha256)
            tx.audit("trust.remove", f"anchor:{anchor.sha256}",
                     {"label": anchor.label, "sha256": anchor.sha256, "demo": anchor.demo}, None)
        return anchor

    def set_thresholds(self, critical_days: int, warning_days: int) -> Thresholds:
        """Change how many days ahead a break turns critical / warning (audited)."""
        if not 0 <= critical_days <= warning_days:
            raise StoreError("bad-thresholds", "need 0 <= critical days <= warning days")
        after = Thresholds(critical_days=critical_days, warning_days=warning_days)
        with self.transaction() as tx:
            before = self.thresholds()
            if after != before:
                # One settings document: keep what else it holds (the identity path, the Intune tenant).
                tx.put("settings", {**self.settings_doc(), **encode(after)})
                tx.audit("settings.set", "settings", encode(before), encode(after))
        return after

    @reads
    def audit(self, subject: str | None = None, limit: int | None = None) -> list[AuditEvent]:
        """The audit trail, newest first; ``subject`` may be ``profile:UUID`` or any profile/app/group ref."""
        self._refresh()
        return audit_events(self, None if subject is None else self._subjects(subject), limit)

    def _subjects(self, ref: str) -> set[str]:
        """Every audit subject ``ref`` may mean: a stored profile, app, group or anchor by any of
        its refs, or anything the trail ever named (deleted things included) by its id, a UUID
        prefix of four or more characters, or the name it had. Nothing at all is ``unknown-ref``."""
        text = ref.strip()
        subjects = {text} if ":" in text else set()
        fleet = self.fleet()
        with suppress(RefError):
            subjects.add(f"profile:{resolve_profile_ref(fleet.profiles, text).uuid}")
        with suppress(RefError):
            subjects.add(f"app:{resolve_app_ref(fleet.apps, text).bundle_id}")
        with suppress(RefError):
            subjects.add(f"anchor:{resolve_anchor_ref(fleet.anchors, text).sha256}")
        subjects.update(f"group:{g.name}" for g in fleet.groups if g.name.lower() == text.lower())
        subjects.update(event.subject for event in audit_events(self, None, None) if _names(event, text))
        if not subjects:
            raise RefError("unknown-ref", f"nothing in the store or its audit trail is called {ref!r}")
        return subjects


def _names(event: AuditEvent, ref: str) -> bool:
    """Whether ``event`` is about what ``ref`` names: its id, a UUID prefix, or a name it had."""
    low = ref.lower()
    ident = event.subject.partition(":")[2].lower()
    if event.subject.lower() == low or ident == low or (len(low) >= 4 and ident.startswith(low)):
        return True
    names = (side.get(key) for side in (event.before, event.after) if isinstance(side, dict)
             for key in ("name", "display_name", "bundle_id", "label"))
    return ref in names
