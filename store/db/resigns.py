"""What the re-signer needs from the store: an app's stored archive, the signing identity's path, the audit.

A re-sign replaces an app's ``.ipa`` through the replace-an-app rule (assignments and
history kept); this mixin adds what that rule does not know: the archive to start from,
the settings entry that names the identity file (a path, never the key), and the audit
event that says which certificate and cdhash the app moved from and to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store.db.core import StoreCore, reads
from store.errors import StoreError

IDENTITY_KEY = "identity_path"


class ResignMixin(StoreCore):
    """The re-sign half of the repository API."""

    @reads
    def app_ipa_bytes(self, ref: str) -> bytes:
        """The stored ``.ipa`` of an app, byte for byte (``no-ipa`` for an app added by hand)."""
        self._refresh()
        app = self._find_app(ref)
        if not app.file_sha256:
            raise StoreError("no-ipa", f"{app.name} was added by hand: the store holds no .ipa to re-sign")
        return self.blobs.get(app.file_sha256)

    @reads
    def identity_path(self) -> Path | None:
        """The signing identity file the console offers to re-sign with, if an admin configured one."""
        self._refresh()
        value = self.settings_doc().get(IDENTITY_KEY)
        return Path(value) if isinstance(value, str) and value else None

    def set_identity_path(self, path: Path | None) -> Path | None:
        """Configure (or with ``None`` clear) the identity file's path; the file itself is never read here."""
        value = str(path.expanduser().absolute()) if path is not None else ""
        if path is not None and not Path(value).is_file():
            raise StoreError("bad-identity-path", f"{value} is not a file")
        with self.transaction() as tx:
            doc = self.settings_doc()
            before = doc.get(IDENTITY_KEY, "")
            if before != value:
                doc[IDENTITY_KEY] = value
                tx.put("settings", doc)
                tx.audit("settings.set", "settings", {IDENTITY_KEY: before}, {IDENTITY_KEY: value})
        return Path(value) if value else None

    def record_resign(self, ref: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        """Audit a re-sign: the certificate and cdhash the app was signed with, and is now."""
        with self.transaction() as tx:
            app = self._find_app(ref)
            tx.audit("app.resign", f"app:{app.bundle_id}", before, after)


__all__ = ["IDENTITY_KEY", "ResignMixin"]
