"""Apps in the store: from an .ipa, or by hand from a bundle ID, a name and a stored profile.

An app is what breaks for users, so the store keeps what decides whether iOS launches it:
the signing certificate, the entitlements it claims and the profile it shipped with. By
hand, those come from the chosen profile (the common case of an app built elsewhere).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePath

from store.db.codec import assignment_key, encode
from store.db.core import StoreCore, reads
from store.db.revisions import require_revision
from store.errors import StoreError
from store.model import App, Certificate, Profile
from store.rules.appid import app_id_matches
from store.rules.replacement import resign_fixed


def choose_certificate(profile: Profile, cert_sha256: str | None) -> Certificate:
    """The profile's certificate the app is signed with: the only one, or the one named by SHA-256."""
    certs = profile.certificates
    listing = ", ".join(f"{c.sha256} ({c.common_name}, until {c.not_after:%Y-%m-%d})" for c in certs)
    if cert_sha256:
        wanted = cert_sha256.strip().lower().replace(":", "")
        matches = [c for c in certs if c.sha256.lower().startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        raise StoreError(
            "unknown-cert" if not matches else "ambiguous-cert",
            f"profile {profile.label!r} has no single certificate {cert_sha256!r}; "
            f"it holds: {listing or 'none'}",
        )
    if len(certs) == 1:
        return certs[0]
    if not certs:
        raise StoreError("no-certificate", f"profile {profile.label!r} holds no developer certificate")
    raise StoreError(
        "ambiguous-cert",
        f"profile {profile.label!r} holds {len(certs)} certificates; pick one with --cert: {listing}",
    )


class AppsMixin(StoreCore):
    """The app half of the repository API."""

    def _insert_app(self, app: App, blob: bytes | None) -> App:
        """Store a new app (refusing a bundle ID already present), audited."""
        with self.transaction() as tx:
            existing = tx.get("apps", app.bundle_id)
            if existing is not None:
                raise StoreError(
                    "duplicate-app",
                    f"an app with bundle ID {app.bundle_id} is already stored as {existing['name']!r}; "
                    f"replace its build with `provdesk app replace {app.bundle_id} FILE.ipa`",
                )
            app = replace(app, added_by=self.actor, added_at=tx.now)
            if blob is not None:
                self.blobs.put(blob)
            app = replace(app, revision=tx.put("apps", encode(app)))
            tx.audit("app.add", f"app:{app.bundle_id}", None, _app_summary(app))
        return app

    def add_app_from_ipa(self, file_name: str, data: bytes | Path, *, replace_existing: bool = False) -> App:
        """Add an app from its .ipa: every fact read from the archive; the archive kept as a blob.

        A bundle ID already stored is ``duplicate-app``, unless ``replace_existing``: then the
        new build replaces the stored one (:meth:`replace_app_ipa`). An app pulled from Intune
        without its ``.ipa`` is completed the same way: the certificate joins that record.
        """
        from store.formats.ipa import read_ipa

        with self._mutex:
            self._refresh()
            anchors = self.fleet_anchors()
        report = read_ipa(data, anchors)
        raw = data.read_bytes() if isinstance(data, Path) else data
        app: App = report.app
        if not app.name:
            app = replace(app, name=PurePath(file_name).stem)
        try:
            return self._insert_app(app, raw)
        except StoreError as error:
            if error.code != "duplicate-app" or not (replace_existing or self._pulled_without_ipa(app)):
                raise
        return self._replace_build(app.bundle_id, file_name, report.app, raw, None)

    @reads
    def _pulled_without_ipa(self, app: App) -> bool:
        """Whether the stored app with ``app``'s bundle ID came from Intune and has no archive yet."""
        stored = self._find_app(app.bundle_id)
        return stored.intune is not None and not stored.file_sha256

    def add_app(self, bundle_id: str, name: str, profile_ref: str, cert_sha256: str | None = None) -> App:
        """Add an app by hand: certificate and entitlements from the stored profile that covers it."""
        if not bundle_id.strip() or not name.strip():
            raise StoreError("bad-app", "an app needs a bundle ID and a name")
        with self._mutex:
            self._refresh()
            profile = self._find_profile(profile_ref)
        if not app_id_matches(profile.app_id, bundle_id.strip()):
            raise StoreError(
                "app-id-mismatch",
                f"profile {profile.label!r} is for app ID {profile.app_id}, which does not cover {bundle_id}",
            )
        certificate = choose_certificate(profile, cert_sha256)
        app = App(
            bundle_id=bundle_id.strip(), name=name.strip(), signing_certificate=certificate,
            entitlements=dict(profile.entitlements), embedded_profile=profile,
        )
        return self._insert_app(app, None)

    def replace_app_ipa(
        self, ref: str, file_name: str, data: bytes | Path, expected_revision: int | None = None
    ) -> App:
        """Replace a stored app's .ipa with a new build of the same bundle ID (audited ``app.replace``).

        Its assignments (keyed by bundle ID), audit history, admin's name and origin stay;
        the certificate, profile, entitlements and version are read from the new archive,
        and the re-sign mark clears when the new build is signed with a longer-lasting
        certificate (``store.rules.replacement``). The old archive goes once unused.
        """
        from store.formats.ipa import read_ipa

        with self._mutex:
            self._refresh()
            anchors = self.fleet_anchors()
        report = read_ipa(data, anchors)
        raw = data.read_bytes() if isinstance(data, Path) else data
        return self._replace_build(ref, file_name, report.app, raw, expected_revision)

    def _replace_build(self, ref: str, file_name: str, build: App, raw: bytes, expected: int | None) -> App:
        """Store ``build`` (read from ``raw``) in place of the app ``ref`` names, in one transaction."""
        with self.transaction() as tx:
            old = self._find_app(ref)
            require_revision(self, f"app {old.name!r}", f"app:{old.bundle_id}", old, expected)
            if build.bundle_id != old.bundle_id:
                raise StoreError(
                    "bundle-mismatch",
                    f"{PurePath(file_name).name} is {build.bundle_id}, not {old.bundle_id} "
                    f"({old.name}); add it as a new app instead",
                )
            new = replace(
                build, name=old.name, added_by=old.added_by, added_at=old.added_at, intune=old.intune,
                needs_resign=old.needs_resign and not resign_fixed(old, build),
            )
            self.blobs.put(raw)
            new = replace(new, revision=tx.put("apps", encode(new)))
            before, after = _app_summary(old), _app_summary(new)
            before["needs_resign"], after["needs_resign"] = old.needs_resign, new.needs_resign
            tx.audit("app.replace", f"app:{old.bundle_id}", before, after)
        return new

    def update_app(self, ref: str, name: str | None = None, expected_revision: int | None = None) -> App:
        """Rename an app as admins call it (audited); the bundle ID, its key, never changes."""
        with self.transaction() as tx:
            before = self._find_app(ref)
            subject = f"app:{before.bundle_id}"
            require_revision(self, f"app {before.name!r}", subject, before, expected_revision)
            clean = before.name if name is None else name.strip()
            if not clean:
                raise StoreError("bad-app", "an app needs a name")
            after = replace(before, name=clean)
            if after != before:
                after = replace(after, revision=tx.put("apps", encode(after)))
                tx.audit("app.update", f"app:{before.bundle_id}", {"name": before.name}, {"name": clean})
        return after

    @reads
    def resolve_app(self, ref: str) -> App:
        """The one app ``ref`` names (bundle ID or unique name)."""
        self._refresh()
        return self._find_app(ref)

    def set_needs_resign(self, ref: str, flag: bool) -> App:
        """Mark an app as needing a re-sign (its certificate is going), audited."""
        with self.transaction() as tx:
            app = self._find_app(ref)
            after = replace(app, needs_resign=flag)
            if after != app:
                after = replace(after, revision=tx.put("apps", encode(after)))
                tx.audit("app.update", f"app:{app.bundle_id}", {"needs_resign": app.needs_resign},
                         {"needs_resign": flag})
        return after

    def delete_app(self, ref: str) -> App:
        """Remove an app and its assignment (audited); its .ipa goes once unused."""
        with self.transaction() as tx:
            app = self._find_app(ref)
            tx.remove("apps", app.bundle_id)
            assignment = tx.remove("assignments", assignment_key("app", app.bundle_id))
            before = _app_summary(app)
            if assignment is not None:
                before["assignment"] = {"include": assignment["include"], "exclude": assignment["exclude"]}
            tx.audit("app.delete", f"app:{app.bundle_id}", before, None)
        return app


def _app_summary(app: App) -> dict[str, object]:
    """The few fields an audit event keeps about an app."""
    cert = app.signing_certificate
    return {
        "bundle_id": app.bundle_id, "name": app.name, "version": app.version,
        "certificate_sha256": cert.sha256 if cert else None,
        "profile_uuid": app.embedded_profile.uuid if app.embedded_profile else None,
        "file_sha256": app.file_sha256,
    }
