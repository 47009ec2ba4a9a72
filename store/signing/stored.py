"""Re-sign an app kept in the store: its stored ``.ipa`` in, the verified result replacing it.

The replace-an-app rule (``Store.replace_app_ipa``) keeps the app's assignments and audit
history, reads the new certificate and profile from the new archive (so the timeline counts
down to the new certificate's expiry) and clears the re-sign mark when the new certificate
lasts longer; this adds the ``app.resign`` audit event with the old and new certificate
and cdhash. Without a ``--profile``, the stored profile that covers the bundle, lists the
identity's certificate and passes every refusal check is used (the one that lasts longest),
for the app and for each extension.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.model import App, Certificate, iso
from store.signing.checks import profile_refusal
from store.signing.entitlements import EntitlementsSource
from store.signing.identity import Identity, SigningError, load_identity
from store.signing.resign import ResignRequest, ResignResult, resign
from store.signing.verify import verify_archive

if TYPE_CHECKING:
    from store.db import Store


@dataclass(frozen=True)
class StoredResign:
    """The app as the store now holds it, and what the re-sign wrote."""

    app: App
    result: ResignResult


def stored_profile_for(store: Store, bundle_id: str, identity: Identity, now: datetime) -> bytes:
    """The stored profile to sign ``bundle_id`` with: passes every check, lasts longest."""
    usable = [
        p
        for p in store.fleet().profiles
        if p.file_sha256 and profile_refusal(p, identity, bundle_id, now) is None
    ]
    if not usable:
        raise SigningError(
            "missing-profile",
            f"no stored profile covers {bundle_id}, lists {identity.common_name!r} and is valid: "
            "import one, or give --profile FILE",
        )
    best = max(usable, key=lambda p: p.expires)
    return store.profile_bytes(best.uuid)


def _signature(certificate: Certificate | None, cdhash: str | None) -> dict[str, Any]:
    """One side of the ``app.resign`` audit event."""
    return {
        "certificate_sha256": certificate.sha256 if certificate else None,
        "certificate_common_name": certificate.common_name if certificate else None,
        "certificate_expires": iso(certificate.not_after) if certificate else None,
        "cdhash": cdhash,
    }


def resign_stored_app(
    store: Store,
    ref: str,
    identity: Identity,
    profiles: Mapping[str | None, bytes],
    now: datetime,
    entitlements_from: EntitlementsSource = "profile",
    output: Path | None = None,
) -> StoredResign:
    """Re-sign the stored app ``ref`` and replace its ``.ipa`` with the verified result."""
    app = store.resolve_app(ref)
    chosen = dict(profiles)
    if None not in chosen:
        chosen[None] = stored_profile_for(store, app.bundle_id, identity, now)
    for nested in app.nested:
        if nested.bundle_id and nested.bundle_id not in chosen and nested.path.endswith((".appex", ".app")):
            with contextlib.suppress(SigningError):  # the app's own profile may cover it (a wildcard)
                chosen[nested.bundle_id] = stored_profile_for(store, nested.bundle_id, identity, now)
    with tempfile.TemporaryDirectory(prefix="provdesk-resign-") as work:
        source = Path(work) / f"{app.bundle_id}.ipa"
        source.write_bytes(store.app_ipa_bytes(app.bundle_id))
        target = output or Path(work) / f"{app.bundle_id}.resigned.ipa"
        request = ResignRequest(
            source,
            target,
            identity,
            chosen,
            store.fleet().anchors,
            now,
            entitlements_from=entitlements_from,
        )
        result = resign(request, verify_archive)
        updated = store.replace_app_ipa(app.bundle_id, f"{app.name}.ipa", target)
    store.record_resign(
        app.bundle_id,
        _signature(app.signing_certificate, result.previous_cdhash),
        _signature(updated.signing_certificate, result.cdhash),
    )
    return StoredResign(updated, result)


def resign_with_configured_identity(store: Store, ref: str, password: bytes, now: datetime) -> StoredResign:
    """The console's "re-sign now": the identity file the settings name, with the stored profile that fits."""
    path = store.identity_path()
    if path is None:
        raise SigningError("no-identity", "no identity file is set: provdesk settings --identity FILE.p12")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError("bad-identity", f"cannot read {path}: {exc.strerror or exc}") from None
    return resign_stored_app(store, ref, load_identity(data, password), {}, now)


__all__ = ["StoredResign", "resign_stored_app", "resign_with_configured_identity", "stored_profile_for"]
